"""Author content of a webinar: OLX import/export and edit checks.

The description is authored HTML (`<description><p>…</p></description>`). It is shown to
learners only through `core.html.sanitise(…, DESCRIPTION)` (a few text tags, http(s) links), so a
pasted script or style never reaches a page. Validation of Studio edits lives here so the block stays thin.
"""
from __future__ import annotations

import logging
import re

from lxml import etree

from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.html import read_olx_html, write_olx_html
from blended_xblocks.core.text import safe_url
from blended_xblocks.core.times import check_local
from blended_xblocks.webinar.models import WebinarSession
from blended_xblocks.webinar.seed import parse_seeds

log = logging.getLogger(__name__)

# Field name → kind, in export order. url_name is kept apart (olx_url_name).
ATTRIBUTES = {
    "display_name": "str", "start": "str", "timezone": "str", "duration": "int", "capacity": "int",
    "waitlist": "bool", "registration_closes": "str", "join_url": "str", "join_opens": "int",
    "languages": "str", "checkin": "bool", "recording_url": "str", "weight": "float",
    "late_credit": "float", "excused_credit": "float", "late_after": "int",
}
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
MAX_SPEAKERS = 30
MAX_DESCRIPTION = 20000


def parse_olx(block, node):
    """Set the block's fields from a `<blended_webinar>` element (attributes and children)."""
    for name, value in node.items():
        if name == "url_name":
            block.olx_url_name = value
        elif name in block.fields and name not in ("description", "speakers"):
            _set_from_olx(block, name, value)
    speakers = []
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "description":
            block.description = read_olx_html(child)
        elif child.tag == "speaker":
            speakers.append({"name": child.get("name", "").strip(),
                             "affiliation": child.get("affiliation", "").strip()})
    if speakers:
        block.speakers = speakers
    seeds = parse_seeds(node)
    if seeds:
        block.seed_registrations = seeds


# Imported courses may carry anything: a value outside these keeps the field's default (and is logged).
OLX_RANGES = {"capacity": (0, 100_000), "duration": (1, 24 * 60), "join_opens": (0, 24 * 60),
              "late_after": (0, 24 * 60), "weight": (0, 100), "late_credit": (0, 1), "excused_credit": (0, 1)}


# Text the session row mirrors must fit its column (MySQL and PostgreSQL refuse longer text).
COLUMN_FIELDS = ("timezone", "join_url", "recording_url", "languages")


def column_length(name: str) -> int:
    return WebinarSession._meta.get_field(name).max_length


def _set_from_olx(block, name, text):
    try:
        value = block.fields[name].from_string(text)
        low, high = OLX_RANGES.get(name, (None, None))
        if low is not None and not low <= value <= high:
            raise ValueError(f"{name} outside {low}..{high}")
        if name in COLUMN_FIELDS and len(" ".join(value.split()) if name == "languages" else value) > column_length(name):
            raise ValueError(f"longer than {column_length(name)} characters")
    except (ValueError, TypeError) as error:
        log.warning("blended_webinar OLX: ignoring %s=%r (%s); the default is kept", name, text, error)
        return
    setattr(block, name, value)


def export_olx(block, node):
    """Write the block's fields onto `node` so that parse_olx reads back the same block."""
    node.tag = block.scope_ids.block_type
    for name in ATTRIBUTES:
        field = block.fields[name]
        if field.is_set_on(block):
            node.set(name, field.to_string(getattr(block, name)))
    if block.olx_url_name:
        node.set("url_name", block.olx_url_name)
    if block.description:
        write_olx_html(node, "description", block.description)
    for speaker in block.speakers or []:
        etree.SubElement(node, "speaker", name=speaker.get("name", ""),
                         affiliation=speaker.get("affiliation", ""))
    for seed in block.seed_registrations or []:
        etree.SubElement(node, "seed_registration", **seed)


def fitting(name: str, value: str, fallback: str = "") -> str:
    """`value` when it fits the session row's column, else `fallback` (logged): a block whose field
    holds a longer value (set before imports were checked) must still render and answer."""
    if len(value) <= column_length(name):
        return value
    log.warning("blended_webinar: %s is longer than %s characters; %r is used instead", name, column_length(name), fallback)
    return fallback


def check_edit(values: dict) -> dict:
    """Cross-field rules of a Studio edit; raises BadRequest naming the field."""
    for name in ("start", "registration_closes"):
        check_local(values[name], values["timezone"], name)
    if not values["start"]:
        raise BadRequest("required", N_("“{field}” is required."), field="start")
    languages = values["languages"].split()
    if any(not LANGUAGE_CODE.fullmatch(code) for code in languages) or len(languages) > 10:
        raise BadRequest("invalid_field", N_("List language codes separated by spaces, e.g. “en ar”."),
                         field="languages")
    for name in ("join_url", "recording_url"):
        if values[name] and not safe_url(values[name]):
            raise BadRequest("invalid_url", N_("Enter a link starting with https:// or http://."), field=name)
    values["languages"] = " ".join(dict.fromkeys(languages))
    values["speakers"] = [speaker for speaker in values["speakers"] if speaker["name"]]
    return values
