"""Text that reaches the supervisor: the author's agreement HTML and names put in mail.

The agreement is shown on a page anyone holding a link can open and in an HTML e-mail, so only
a few harmless formatting tags survive (no attributes, no scripts, no links); names and
organisations are single lines without control characters, so they can never inject a mail
header or break the subject.
"""
import re

from lxml import etree, html

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "h3", "h4", "blockquote"}
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
SINGLE_LINE = r"[^\x00-\x1f\x7f\u2028\u2029]*"


def single_line(text: str, limit: int = 200) -> str:
    """`text` on one line (control characters become spaces), at most `limit` characters."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:limit]


def clean_agreement_html(source: str) -> str:
    """The agreement's HTML with only ALLOWED_TAGS kept (attributes dropped, text escaped)."""
    if not source or not source.strip():
        return ""
    try:
        fragments = html.fragments_fromstring(source)
    except (etree.ParserError, ValueError):
        return _escape(source)
    return "".join(_render(node) for node in fragments)


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render(node) -> str:
    if isinstance(node, str):
        return _escape(node)
    if not isinstance(node.tag, str):  # comments, processing instructions
        return _escape(node.tail)
    inner = _escape(node.text) + "".join(_render(child) for child in node)
    if node.tag in ("script", "style"):
        inner = ""
    elif node.tag in ALLOWED_TAGS:
        inner = "<br>" if node.tag == "br" else f"<{node.tag}>{inner}</{node.tag}>"
    return inner + _escape(node.tail)


def agreement_plain_text(cleaned_html: str) -> str:
    """The cleaned agreement as plain text for the text part of the e-mail."""
    if not cleaned_html:
        return ""
    text = re.sub(r"<br>|</(p|li|h3|h4|blockquote)>", "\n", cleaned_html)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
