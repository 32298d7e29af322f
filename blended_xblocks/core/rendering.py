"""Rendering our templates in a given language: one way for block views, pages and mails.

A view renders in the active language (the learner's); a mail or the supervisor's page renders in
the language of the person it is for (`render_in`), whatever language the request came in. Either
way a template gets the same base context: `_` (the domain's translator), `language` and
`direction` (rtl for Arabic), and Django's own formats (dates) follow the same language.
"""
from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine
from django.utils import translation

from blended_xblocks.core.i18n import Translator, is_rtl
from blended_xblocks.core.resources import TEMPLATES_DIR

TEMPLATES = Engine(
    dirs=[str(TEMPLATES_DIR)],
    builtins=["blended_xblocks.templatetags.blended_i18n"],
    autoescape=True,
)


def base_context(translator: Translator) -> dict:
    language = translator.language
    return {"_": translator, "language": language, "direction": "rtl" if is_rtl(language) else "ltr"}


def render(template: str, context: dict, translator: Translator) -> str:
    """`template` with `context`, in the translator's language (already the active one)."""
    return TEMPLATES.get_template(template).render(Context({**base_context(translator), **context}))


def render_in(language: str, domain: str, template: str, context: dict) -> str:
    """`template` rendered in `language` (not the requester's): strings, dates and direction."""
    translator = Translator(domain, language)
    with translation.override(language):
        return render(template, context, translator)


def known_language(code: str | None) -> str:
    """`code` when the site speaks it (or its base language), else the site's default: the language
    to write to someone in, from what they chose when they last used the site."""
    known = {known_code for known_code, _name in settings.LANGUAGES}
    if code and (code in known or code.split("-")[0] in known):
        return code
    return settings.LANGUAGE_CODE
