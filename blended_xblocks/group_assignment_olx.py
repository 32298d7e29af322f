"""The assignment's authored content: prompt, rubric and seeded groups, to and from OLX.

The rubric decides the score: max points = the sum of each criterion's best level, the same for
every learner (the LMS reads `max_score()` once per course publish).
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from lxml import etree

from .handlers import N_

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h3", "h4", "code", "blockquote", "a"}


class RubricError(ValueError):
    """The rubric an author wrote cannot be used (the message says why, in English for authors)."""


def clean_rubric(criteria) -> list:
    """Check and normalise [{"name", "label", "levels": [{"points", "label"}]}]."""
    if not isinstance(criteria, list) or len(criteria) > 20:
        raise RubricError("a rubric is a list of at most 20 criteria")
    cleaned, seen = [], set()
    for criterion in criteria:
        name = str(criterion.get("name", "")).strip() if isinstance(criterion, dict) else ""
        if not NAME.fullmatch(name) or name in seen:
            raise RubricError(f"criterion name {name!r} must be unique, lowercase letters, digits, - or _")
        seen.add(name)
        levels = []
        for level in criterion.get("levels") or []:
            try:
                points = float(level["points"])
            except (KeyError, TypeError, ValueError) as error:
                raise RubricError(f"criterion {name}: every level needs numeric points") from error
            if not 0 <= points <= 1000:
                raise RubricError(f"criterion {name}: points must be between 0 and 1000")
            levels.append({"points": _number(points), "label": str(level.get("label", ""))[:200]})
        if not levels or len({level["points"] for level in levels}) != len(levels):
            raise RubricError(f"criterion {name}: needs levels with distinct points")
        cleaned.append({"name": name, "label": str(criterion.get("label") or name)[:200],
                        "levels": sorted(levels, key=lambda level: level["points"])})
    return cleaned


def max_points(rubric: list) -> float:
    return _number(sum(max(level["points"] for level in criterion["levels"]) for criterion in rubric))


def _number(value):
    return int(value) if float(value).is_integer() else round(float(value), 2)


def parse_children(node) -> dict:
    """{"prompt": html, "rubric": [...], "groups": [{"name", "members": [usernames]}]} from OLX."""
    found = {"prompt": "", "rubric": [], "groups": []}
    for child in node:
        if child.tag is etree.Comment:
            continue
        if child.tag == "prompt":
            inner = (child.text or "") + "".join(etree.tostring(part, encoding="unicode") for part in child)
            found["prompt"] = inner.strip()
        elif child.tag == "rubric":
            found["rubric"] = clean_rubric([
                {"name": criterion.get("name", ""), "label": criterion.get("label", ""),
                 "levels": [{"points": level.get("points"), "label": level.get("label", "")}
                            for level in criterion if level.tag == "level"]}
                for criterion in child if criterion.tag == "criterion"])
        elif child.tag == "group":
            found["groups"].append({
                "name": (child.get("name") or "").strip()[:100],
                "members": [m.get("username", "").strip() for m in child if m.tag == "member" and m.get("username")]})
    return found


def export_children(node, prompt: str, rubric: list, groups: list):
    """Add <prompt>, <rubric> and <group> elements to the exported `node`."""
    if prompt:
        element = etree.SubElement(node, "prompt")
        try:
            fragment = etree.fromstring(f"<prompt>{prompt}</prompt>")
            element.text = fragment.text
            for part in fragment:
                element.append(part)
        except etree.XMLSyntaxError:
            element.text = prompt
    if rubric:
        rubric_node = etree.SubElement(node, "rubric")
        for criterion in rubric:
            criterion_node = etree.SubElement(rubric_node, "criterion", name=criterion["name"], label=criterion["label"])
            for level in criterion["levels"]:
                etree.SubElement(criterion_node, "level", points=str(level["points"]), label=level["label"])
    for group in groups:
        group_node = etree.SubElement(node, "group", name=group["name"])
        for username in group["members"]:
            etree.SubElement(group_node, "member", username=username)


class _Sanitiser(HTMLParser):
    """Keeps a small set of formatting tags; everything else is escaped text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not re.match(r"(https?:|mailto:)", href, re.I):
                self.out.append("<a>")
                return
            self.out.append(f'<a href="{html.escape(href)}" rel="noopener noreferrer">')
        else:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag in ALLOWED_TAGS and tag != "br":
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data))


def safe_prompt_html(prompt: str) -> str:
    """The author's prompt with only harmless formatting kept (never scripts or attributes)."""
    sanitiser = _Sanitiser()
    sanitiser.feed(prompt or "")
    sanitiser.close()
    return "".join(sanitiser.out)


def settings_errors(data) -> list:
    """Why the Studio editor's values cannot be saved (msgids, or (msgid, values) to fill in after
    translation), checked before anything is stored."""
    from zoneinfo import ZoneInfo

    from .group_assignment_drafts import ZONE_ALIASES  # noqa: PLC0415  (avoids an import cycle)

    errors = []
    if data.mode not in ("group", "individual"):
        errors.append(N_("Mode must be “group” or “individual”."))
    for name, low, high in (("max_group_size", 1, 100), ("max_files", 0, 20), ("max_file_mb", 1, 500)):
        if not isinstance(getattr(data, name), int) or not low <= getattr(data, name) <= high:
            errors.append((N_("“{field}” must be a whole number from {min} to {max}."), {"field": name, "min": low, "max": high}))
    if data.assignment_due:
        try:
            from datetime import datetime
            datetime.fromisoformat(data.assignment_due)
        except (TypeError, ValueError):
            errors.append(N_("The due date must look like 2022-06-10T23:59."))
    try:
        ZoneInfo(ZONE_ALIASES.get(data.timezone, data.timezone) or "UTC")
    except Exception:  # noqa: BLE001  (ZoneInfoNotFoundError, ValueError)
        errors.append(N_("Unknown time zone; use an IANA name such as Europe/Zurich."))
    try:
        if not clean_rubric(data.rubric):
            errors.append(N_("The rubric needs at least one criterion."))
    except (RubricError, AttributeError) as error:
        errors.append((N_("Rubric: {error}"), {"error": error}))
    groups = data.groups
    if not isinstance(groups, list) or not all(
            isinstance(g, dict) and isinstance(g.get("name"), str) and g["name"].strip() and
            isinstance(g.get("members", []), list) for g in groups):
        errors.append(N_("Each seeded group needs a name and a list of member usernames."))
    if len(data.prompt or "") > 20_000:
        errors.append(N_("The prompt is too long."))
    return errors
