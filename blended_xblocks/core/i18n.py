"""Translations for Python, templates and JavaScript, read from the package's own catalogues.

Each block has its own gettext domain (`translations/<locale>/LC_MESSAGES/<domain>.po`), chained
to the shared `common` domain, so a block's strings never clash with the platform's. The language
is Django's active one: the LMS activates the learner's preference, the demo takes `?lang=`.
JavaScript receives only the strings its file uses, in the block's init arguments.
"""
import gettext
import json
import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from blended_xblocks.core.resources import resource_dir, static_path

COMMON_DOMAIN = "common"
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi"}
JS_STRING = re.compile(r"""\bgettext\(\s*(['"])((?:\\.|(?!\1).)*)\1""")


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE or "en"


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


@lru_cache(maxsize=64)
def translations_for(domain: str, language: str) -> gettext.NullTranslations:
    """The block domain's catalogue with `common` as fallback, for `language`."""
    locale = translation.to_locale(language)
    directory = str(resource_dir("translations"))
    catalogue = gettext.translation(domain, directory, [locale], fallback=True)
    if domain != COMMON_DOMAIN:
        catalogue.add_fallback(gettext.translation(COMMON_DOMAIN, directory, [locale], fallback=True))
    return catalogue


class Translator:
    """gettext/ngettext bound to one domain and the active language."""

    def __init__(self, domain: str, language: str | None = None):
        self.domain = domain
        self.language = language or active_language()
        self.catalogue = translations_for(domain, self.language)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ngettext(singular, plural, count)

    __call__ = gettext


@lru_cache(maxsize=32)
def js_messages(js_file: str) -> tuple:
    """The msgids a static JS file passes to gettext() (plurals are built server-side)."""
    source = static_path(js_file).read_text(encoding="utf-8")
    return tuple(sorted({_unescape(match.group(2)) for match in JS_STRING.finditer(source)}))


def _unescape(literal: str) -> str:
    if "\\" not in literal:
        return literal
    return json.loads('"' + literal.replace("\\'", "'").replace('"', '\\"') + '"')


def js_catalogue(translator: Translator, *js_files: str) -> dict:
    """{msgid: translation} for the strings the given JS files use, in the active language.

    Built once per process for each domain, language and files (the catalogues are read once too):
    a page of twenty blocks would otherwise translate the same strings twenty times. Read only.
    A string whose translation is itself (every string in English) is left out: the script's
    `gettext` answers the msgid for what the catalogue lacks, and an English page carries no copy."""
    return _js_catalogue(translator.domain, translator.language, js_files)


@lru_cache(maxsize=256)
def _js_catalogue(domain: str, language: str, js_files: tuple) -> dict:
    catalogue = translations_for(domain, language)
    messages = {msgid for js_file in js_files for msgid in js_messages(js_file)}
    translated = ((msgid, catalogue.gettext(msgid)) for msgid in sorted(messages))
    return {msgid: text for msgid, text in translated if text != msgid}
