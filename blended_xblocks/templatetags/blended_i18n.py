"""`{% t "Message" name=value %}`: translate with the block's catalogue (the `_` in the context).

Output is escaped like any variable; placeholders use str.format names.

A view's template says twenty or so of these, most with a constant message and no placeholder: their
escaped translation is kept per domain and language (ADR 0012, what depends on no learner is kept per
process), which spares each render Django's general tag machinery and an escape per string.
"""
from django import template
from django.utils.html import conditional_escape

register = template.Library()

# (domain, language, message) → the escaped translation of a constant message without placeholders.
_ESCAPED = {}


@register.tag(name="t")
def translate_tag(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'t' takes a message, then name=value placeholders")
    message = parser.compile_filter(bits[1])
    params = template.base.token_kwargs(bits[2:], parser, support_legacy=False)
    if len(params) != len(bits) - 2:
        raise template.TemplateSyntaxError(f"'t' takes name=value placeholders only: {token.contents!r}")
    return TranslateNode(message, params)


class TranslateNode(template.Node):
    """One `{% t %}`: the message, translated by the context's `_`, its placeholders filled, escaped."""

    def __init__(self, message, params):
        self.message = message
        self.params = params
        # A quoted message (the parser's constant: text, not a Variable) with no filter and no
        # placeholder is the same text at every render.
        self.constant = message.var if not params and not message.filters and isinstance(message.var, str) else None

    def render(self, context):
        translate = context.get("_")
        if self.constant is not None and context.autoescape:
            key = (getattr(translate, "domain", None), getattr(translate, "language", None), self.constant)
            if None not in key:  # a Translator (core.i18n): its text depends on its domain and language only
                escaped = _ESCAPED.get(key)
                if escaped is None:
                    escaped = _ESCAPED[key] = conditional_escape(translate(self.constant))
                return escaped
        message = self.message.resolve(context)
        text = translate(message) if translate else message
        if self.params:
            text = text.format(**{name: value.resolve(context) for name, value in self.params.items()})
        return conditional_escape(text) if context.autoescape else text
