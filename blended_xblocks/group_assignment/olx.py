"""The assignment's authored content: prompt, rubric and seeded groups, to and from OLX.

The rubric decides the score: max points = the sum of each criterion's best level, the same for
every learner (the LMS reads `max_score()` once per course publish).
"""
from __future__ import annotations

import re
import unicodedata

from lxml import etree

from blended_xblocks.core.errors import N_
from blended_xblocks.core.html import read_olx_html, write_olx_html
from blended_xblocks.core.times import TIME_MESSAGES, TimeError, local_to_utc, zone_name

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_CRITERIA, MAX_LEVELS, MAX_LABEL, MAX_GROUPS = 20, 20, 200, 500
USERNAME = re.compile(r"[^\s,]{1,150}")
# Field labels as the block declares them (msgids), for messages naming a field.
FIELD_LABELS = {"max_group_size": N_("Maximum group size"), "max_files": N_("Maximum number of files"),
                "max_file_mb": N_("Maximum file size (MB)"), "weight": N_("Weight")}


class RubricError(ValueError):
    """The rubric an author wrote cannot be used. `message` is a msgid with `{name}`-style
    placeholders filled from `params`, so Studio can show it in the author's language."""

    def __init__(self, message: str, **params):
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def clean_rubric(criteria, strict: bool = False) -> list:
    """Check and normalise [{"name", "label", "levels": [{"points", "label"}]}].

    OLX import is lenient with labels (cut to 200 characters, a missing criterion label becomes its
    name); Studio (`strict`) refuses empty or too long labels so authors see what they typed."""
    if not isinstance(criteria, list) or len(criteria) > MAX_CRITERIA:
        raise RubricError(N_("A rubric has at most {count} criteria."), count=MAX_CRITERIA)
    cleaned, seen = [], set()
    for criterion in criteria:
        name = str(criterion.get("name", "")).strip() if isinstance(criterion, dict) else ""
        label = str(criterion.get("label") or "").strip() if isinstance(criterion, dict) else ""
        shown = (label or name)[:60]
        if not NAME.fullmatch(name) or name in seen:
            raise RubricError(N_("Criterion “{name}”: its identifier must be unique and use only lowercase "
                                 "letters, digits, - or _."), name=shown)
        seen.add(name)
        if strict:
            _check_label(label, shown)
        levels = _clean_levels(criterion.get("levels"), shown, strict)
        cleaned.append({"name": name, "label": (label or name)[:MAX_LABEL],
                        "levels": sorted(levels, key=lambda level: level["points"])})
    return cleaned


def _clean_levels(raw, shown: str, strict: bool) -> list:
    if not isinstance(raw, list) or not raw:
        raise RubricError(N_("Criterion “{name}” needs at least one level."), name=shown)
    if len(raw) > MAX_LEVELS:
        raise RubricError(N_("Criterion “{name}” has more than {count} levels."), name=shown, count=MAX_LEVELS)
    levels = []
    for level in raw:
        points = level.get("points") if isinstance(level, dict) else None
        try:
            if isinstance(points, bool):
                raise TypeError(points)
            points = float(points)
        except (TypeError, ValueError) as error:
            raise RubricError(N_("Criterion “{name}”: every level needs points as a number."), name=shown) from error
        if not 0 <= points <= 1000:
            raise RubricError(N_("Criterion “{name}”: points must be between 0 and 1000."), name=shown)
        if strict and not points.is_integer():  # OLX from before keeps its decimals; the push scales them
            raise RubricError(N_("Criterion “{name}”: points must be whole numbers (the gradebook counts whole "
                                 "points)."), name=shown)
        label = str(level.get("label") or "").strip()
        if strict:
            _check_label(label, shown)
        levels.append({"points": _number(points), "label": label[:MAX_LABEL]})
    if len({level["points"] for level in levels}) != len(levels):
        raise RubricError(N_("Criterion “{name}”: two levels give the same points."), name=shown)
    return levels


def _check_label(label: str, shown: str):
    if not label:
        raise RubricError(N_("Every criterion and level needs a label (criterion “{name}”)."), name=shown)
    if len(label) > MAX_LABEL:
        raise RubricError(N_("Labels are at most {count} characters (criterion “{name}”)."),
                          name=shown, count=MAX_LABEL)


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
            found["prompt"] = read_olx_html(child)
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
        write_olx_html(node, "prompt", prompt)
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


def settings_errors(data, gettext=lambda message: message) -> list:
    """Why the Studio editor's values cannot be saved, in the author's language (`gettext`).

    Checked on the server before anything is stored: the editor's JavaScript is never trusted."""
    errors = []

    def refuse(message, **params):
        errors.append(gettext(message).format(**params))

    if data.mode not in ("group", "individual"):
        refuse(N_("Mode must be “group” or “individual”."))
    for name, low, high in (("max_group_size", 1, 100), ("max_files", 0, 20), ("max_file_mb", 1, 500)):
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            refuse(N_("“{field}” must be a whole number from {low} to {high}."),
                   field=gettext(FIELD_LABELS[name]), low=low, high=high)
    weight = data.weight
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 100):
        label = FIELD_LABELS["weight"]
        refuse(N_("“{field}” must be a number from {low} to {high}."), field=gettext(label), low=0, high=100)
    elif weight:
        try:
            maximum = max_points(clean_rubric(data.rubric, strict=True))
        except (RubricError, ValueError):  # the rubric's own problem is listed below
            maximum = None
        if maximum is not None and weight != maximum:
            # The LMS takes scores from edx-submissions as already weighted, in whole points: the rubric's.
            refuse(N_("The rubric is worth {max} points and the gradebook counts them as they are: leave the "
                      "weight empty, or set 0 if the assignment is not graded. To make it count more, give the "
                      "rubric's levels more points."), max=maximum)
    zone = zone_name(data.timezone)
    if zone is None:
        refuse(TIME_MESSAGES["invalid_timezone"], field="timezone")
    elif data.assignment_due:
        try:
            local_to_utc(data.assignment_due, zone)
        except TimeError as error:  # the same rule as every block's local times (core/times.py)
            refuse(TIME_MESSAGES[error.code], field="assignment_due")
    try:
        if not clean_rubric(data.rubric, strict=True):
            refuse(N_("The rubric needs at least one criterion."))
    except RubricError as error:
        refuse(error.message, **error.params)
    for message, params in groups_errors(data.groups):
        refuse(message, **params)
    if not isinstance(data.prompt, str) or len(data.prompt) > 20_000:
        refuse(N_("The prompt is too long."))
    return errors


# Letters the collation reads as their base letters that have no Unicode decomposition.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})


def name_key(name: str) -> str:
    """A group name as the production database compares it (MySQL's utf8mb4_unicode_ci ignores case,
    accents, width and trailing spaces), a little stricter (all spacing): look-alike names are
    refused on every database alike, and a seeded group is found by the name the author wrote."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name or "").casefold().translate(_LETTERS))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(kept.split())


def groups_errors(groups) -> list:
    """[(msgid, params)] for seeded groups the block could not use: each needs a unique name and
    usernames, and a learner belongs to at most one seeded group (the seed places them once)."""
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS or not all(
            isinstance(g, dict) and isinstance(g.get("name"), str) and g["name"].strip() and
            isinstance(g.get("members", []), list) for g in groups):
        return [(N_("Each seeded group needs a name and a list of member usernames."), {})]
    errors, names, placed = [], set(), set()
    for group in groups:
        name = group["name"].strip()
        if len(name) > 100:
            errors.append((N_("Group names are at most 100 characters."), {}))
        if name_key(name) in names:
            errors.append((N_("Two seeded groups are called “{name}”."), {"name": name[:60]}))
        names.add(name_key(name))
        for username in group.get("members", []):
            if not isinstance(username, str) or not USERNAME.fullmatch(username):
                errors.append((N_("“{username}” is not a username."), {"username": str(username)[:60]}))
            elif username in placed:
                errors.append((N_("“{username}” is in more than one seeded group."), {"username": username}))
            placed.add(username)
    return errors[:10]


def clean_groups(groups):
    """Trimmed names and usernames, empty members dropped (what the editor's text boxes leave)."""
    if not isinstance(groups, list):
        return groups
    return [{"name": group["name"].strip(),
             "members": [m.strip() if isinstance(m, str) else m for m in group.get("members", [])
                         if not isinstance(m, str) or m.strip()]}
            if isinstance(group, dict) and isinstance(group.get("name"), str)
            and isinstance(group.get("members", []), list) else group
            for group in groups]
