"""`{% t "Message" name=value %}`: translate with the block's catalogue (the `_` in the context).

Output is escaped like any variable; placeholders use str.format names.
"""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context, message, **params):
    translate = context.get("_")
    text = translate(message) if translate else message
    return text.format(**params) if params else text
