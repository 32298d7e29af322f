"""Author HTML: one sanitiser for everything a block shows, and one way to read and write it in OLX.

Authors (and imported courses) write HTML in a block's content: a webinar's description, an
assignment's prompt, an agreement. It reaches pages and mails only through `sanitise(html, policy)`:
the tags the policy names survive without any attribute; every other tag is dropped and its text
kept (escaped); scripts, styles, templates, frames and embedded objects are dropped with their
content; comments go. A link keeps its `href` only when its scheme is in the policy's and it is a
well-formed URL (`safe_url` for http(s)); otherwise the link stays as text.

The policies, per use (what a reader may click, and why):
- `DESCRIPTION` — webinar description, experience-sharing prompt, call for applications: simple
  formatting and http(s) links, opened in a new tab (the block sits in the LMS's iframe).
- `PROMPT` — group-assignment prompt: DESCRIPTION's formatting plus `code` and `blockquote`;
  http(s) and `mailto:` links (groups write to the organisers), opened in place.
- `AGREEMENT` — the supervisor's agreement: formatting and `blockquote`, no links at all (it is shown
  on a page anyone holding the signed link opens, and in an e-mail: no link may be slipped in).

Imports nothing of ours but core.
"""
from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from blended_xblocks.core.text import safe_url

FORMATTING = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4"})
# Never shown, not even as text: what is inside would read as code (or run, in a lax mail reader).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed"})
# Characters XML (and so lxml) cannot hold; nobody types them on purpose.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAILTO = re.compile(r"mailto:[^\s<>\"'`\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlPolicy:
    """Which tags survive and which links may be followed. `link_schemes` empty: no `<a>` at all."""

    tags: frozenset
    link_schemes: tuple = ()
    new_tab: bool = False

    def link(self, href: str | None) -> str | None:
        """`href` when a reader may follow it under this policy, else None."""
        href = (href or "").strip()
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme not in self.link_schemes:
            return None
        if scheme == "mailto":
            return href if MAILTO.fullmatch(href) else None
        return safe_url(href)


DESCRIPTION = HtmlPolicy(FORMATTING | {"a"}, ("http", "https"), new_tab=True)
PROMPT = HtmlPolicy(FORMATTING | {"a", "code", "blockquote"}, ("http", "https", "mailto"))
AGREEMENT = HtmlPolicy(FORMATTING | {"blockquote"})


def escape_text(text: str | None) -> str:
    return html_module.escape(text or "", quote=False)


@lru_cache(maxsize=256)
def sanitise(source: str | None, policy: HtmlPolicy) -> str:
    """`source` with only what `policy` allows (see the module's docstring); '' for nothing.

    Kept per (source, policy): a page shows the same authored text on every render, and parsing it
    is the largest part of a small block's own time (256 texts at most are kept)."""
    if not source or not source.strip():
        return ""
    source = NOT_XML.sub("", source)
    try:
        root = lxml_html.fragment_fromstring(source, create_parent="div")
    except (etree.ParserError, ValueError):
        return escape_text(source)
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str):  # comments, processing instructions
            element.drop_tree()
        elif element.tag in DROPPED_WITH_CONTENT:
            element.drop_tree()
        elif element.tag not in policy.tags or (element.tag == "a" and not policy.link_schemes):
            element.drop_tag()
        else:
            href = policy.link(element.get("href")) if element.tag == "a" else None
            element.attrib.clear()
            if href:
                element.set("href", href)
                element.set("rel", "noopener noreferrer")
                if policy.new_tab:
                    element.set("target", "_blank")
    return escape_text(root.text) + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root)


def plain_text(source: str | None) -> str:
    """HTML as one line of text (calendar files, previews); '' when it cannot be read."""
    if not source or not source.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(NOT_XML.sub("", source), create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter()):
        if element is not root and (not isinstance(element.tag, str) or element.tag in DROPPED_WITH_CONTENT):
            element.drop_tree()
    return " ".join(" ".join(root.itertext()).split())


def read_olx_html(element) -> str:
    """The HTML an OLX element holds (`<description><p>…</p></description>`), as stored in a field.

    Text stays text: `&lt;b&gt;` in the OLX is stored escaped, never turned into a tag."""
    parts = [escape_text(element.text)]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
        else:  # a comment: its text goes, what follows it stays
            parts.append(escape_text(child.tail))
    return "".join(parts).strip()


def write_olx_html(parent, tag: str, source: str | None):
    """Append `<tag>` holding `source`'s HTML to `parent` (what `read_olx_html` reads back)."""
    source = NOT_XML.sub("", source or "")
    element = None
    if source.strip():
        try:
            element = lxml_html.fragment_fromstring(source, create_parent=tag)
        except (etree.ParserError, ValueError):
            element = None
    if element is None:
        element = etree.Element(tag)
        element.text = source or None
    parent.append(element)
    return element
