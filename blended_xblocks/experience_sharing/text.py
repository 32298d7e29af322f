"""Learners write plain text. This is the one place that decides how it is shown.

Text is never turned into HTML on the server: it is cut into segments — text, line breaks and
http(s) links — that the browser turns into DOM nodes with `textContent` and `href`. A link is
only ever a URL `core.text.safe_url` accepted, so `javascript:` and other schemes stay inert text.
"""
import re
import unicodedata

from blended_xblocks.core.text import safe_url

URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}»”’"
MAX_TAG = 32
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINK_REL = "nofollow noopener ugc"


def clean_text(text: str) -> str:
    """Normalise line endings and drop control characters a browser would not show."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def segments(text: str) -> list:
    """[["t", text] | ["a", url] | ["br"]] for `text`; consecutive text is merged."""
    out = []

    def add_text(value):
        if not value:
            return
        if out and out[-1][0] == "t":
            out[-1][1] += value
        else:
            out.append(["t", value])

    for number, line in enumerate(clean_text(text).split("\n")):
        if number:
            out.append(["br"])
        position = 0
        for match in URL.finditer(line):
            url = match.group(0)
            trimmed = url.rstrip(TRAILING)
            # Keep a closing parenthesis that belongs to the URL, e.g. a Wikipedia link.
            while trimmed != url and url[len(trimmed)] == ")" and trimmed.count("(") > trimmed.count(")"):
                trimmed += ")"
            add_text(line[position:match.start()])
            if safe_url(trimmed):
                out.append(["a", trimmed])
            else:
                add_text(trimmed)
            position = match.start() + len(trimmed)
        add_text(line[position:])
    return out


def tag_form(word) -> str:
    """A tag as stored and compared: NFC (one "é" however it was typed), lower case."""
    return unicodedata.normalize("NFC", str(word).strip()).lower()


def is_tag(word: str) -> bool:
    """Letters, marks and digits of any script (Arabic, French, …), `-` and `_`; it starts with a
    letter or digit; at most 32 characters."""
    if not word or len(word) > MAX_TAG or unicodedata.category(word[0])[0] not in "LN":
        return False
    return all(unicodedata.category(char)[0] in "LMN" or char in "-_" for char in word)


def invalid_tags(value: str) -> list:
    """The words of an author's tag list that cannot be tags (what Studio refuses)."""
    return [word for word in (value or "").split() if not is_tag(tag_form(word))]


def normalise_tags(value) -> str:
    """Author-configured tags as stored: lower-case words, space-separated, no duplicates."""
    words = value.split() if isinstance(value, str) else list(value or [])
    seen = []
    for word in words:
        word = tag_form(word)
        if is_tag(word) and word not in seen:
            seen.append(word)
    return " ".join(seen)
