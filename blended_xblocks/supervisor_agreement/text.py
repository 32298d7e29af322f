"""The agreement as plain text, for the text part of the supervisor's e-mail.

The agreement's HTML is cleaned by `core.html.sanitise(…, AGREEMENT)` (formatting only, no links,
no attributes): it is shown on a page anyone holding a link can open and in an HTML e-mail. Names
and organisations in mail are `core.text.single_line`.
"""
import re


def agreement_plain_text(cleaned_html: str) -> str:
    """The cleaned agreement as plain text for the text part of the e-mail."""
    if not cleaned_html:
        return ""
    text = re.sub(r"<br>|</(p|li|h3|h4|blockquote)>", "\n", cleaned_html)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
