"""The progress block's Studio editor: the blocks an author can pick, and a save that checks
every value and half-saves nothing.

Authors pick blocks from the course's own list (`pickable_blocks`, served by the block's
`course_blocks` handler), each marked with the kinds of requirement that may name it, so the form
only offers blocks that fit. The server does not trust the form: requirements must name blocks the
course has, with kinds that fit their type and a `min` the list can reach; the first problem refuses
the whole save (400 invalid_settings, naming the block).

Typing `type/url_name` stays, as a fallback only: when the list cannot be loaded (the store fails:
503 `blocks_unavailable`) the requirements would otherwise be uneditable, and past
MAX_PICKABLE_BLOCKS a block not listed must still be nameable. Names typed there are checked
exactly like picked ones.
"""
from __future__ import annotations

import json

from blended_xblocks.core.errors import BadRequest
from blended_xblocks.core.schema import Choice
from blended_xblocks.core.times import check_local, time_zone_names, zone_name
from blended_xblocks.progress.dashboard import KIND_NAMES
from blended_xblocks.progress.requirements import (
    CONTAINER_TYPES,
    KINDS,
    N_,
    BlockRef,
    RequirementError,
    build_programme,
    kinds_for,
)

TEXT_FIELDS = {"display_name": 255, "certificate_title": 255, "issuer": 255}


COURSE_BLOCKS_SCHEMA = {"kind": Choice(KINDS, required=False)}
# A course has hundreds of blocks; past this many the list is cut (and says so), and the editor
# still takes a block typed by name.
MAX_PICKABLE_BLOCKS = 1000


def pickable_blocks(found, kind: str | None = None) -> dict:
    """The course's blocks an author can name in a requirement (of `kind`, if given), grouped by
    type (containers first, in the course's order within a type), at most MAX_PICKABLE_BLOCKS:
    `{"blocks": [{"block": "type/url_name", "type", "title", "kinds"}], "total", "truncated", "limit"}`."""
    blocks = []
    for entry in found:
        kinds = kinds_for(entry.block_type)
        if not kinds or (kind and kind not in kinds):
            continue
        try:
            ref = BlockRef.parse(f"{entry.block_type}/{entry.url_name}")
        except RequirementError:
            continue  # a name no requirement could hold
        blocks.append({"block": str(ref), "type": ref.block_type, "title": " ".join(entry.title.split())[:200],
                       "kinds": kinds})
    order = {name: position for position, name in enumerate(CONTAINER_TYPES)}
    blocks.sort(key=lambda block: (order.get(block["type"], len(order)), block["type"]))
    return {"blocks": blocks[:MAX_PICKABLE_BLOCKS], "total": len(blocks), "truncated": len(blocks) > MAX_PICKABLE_BLOCKS,
            "limit": MAX_PICKABLE_BLOCKS}


def studio_context(block) -> dict:
    return {"block": block, "uid": "bpg-studio", "kinds": [(kind, block.gettext(KIND_NAMES[kind])) for kind in KINDS],
            "zones": time_zone_names(), "current_zone": zone_name(block.timezone) or "UTC",
            "requirements_json": json.dumps(list(block.requirements or []), separators=(",", ":")),
            "problems": block.problem_messages()}


def _text(values, name, maximum, current=""):
    value = values.get(name, current)
    if not isinstance(value, str) or len(value) > maximum:
        raise BadRequest("invalid_field", N_("“{field}” is not in the expected format."), field=name)
    return " ".join(value.split())


def clean(block, values: dict, reset=()) -> dict:  # reset: none (no editable_fields to reset)
    """The fields to set from what the editor sent; a setting it did not send keeps its value."""
    try:
        return _clean(block, values)
    except RequirementError as error:
        raise BadRequest("invalid_settings", error.message, **error.params) from error


def _clean(block, values: dict) -> dict:
    unknown = sorted(set(values) - {*TEXT_FIELDS, "release", "timezone", "weight", "requirements"})
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=unknown[0])
    cleaned = {name: _text(values, name, maximum, getattr(block, name)) for name, maximum in TEXT_FIELDS.items()}
    if not cleaned["display_name"]:
        raise BadRequest("invalid_settings", N_("The programme needs a display name."))
    release = _text(values, "release", 16, block.release)
    timezone = _text(values, "timezone", 64, block.timezone) or "UTC"
    if "release" in values or "timezone" in values:
        check_local(release, timezone, "release")  # the 400 every block answers for a time it cannot use
    weight = values.get("weight", block.weight)
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
        raise BadRequest("invalid_settings", N_("The weight must be a whole number from 0 to 100."))
    cleaned |= {"release": release, "timezone": timezone, "weight": weight}
    if "requirements" in values:
        requirements = _checked_requirements(block, values["requirements"])
        cleaned |= {"requirements": [requirement.to_json() for requirement in requirements], "import_problems": []}
    return cleaned


def _checked_requirements(block, items):
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadRequest("invalid_field", N_("“{field}” is not in the expected format."), field="requirements")
    requirements = build_programme(items, strict=True).requirements
    resolved = block.resolve_blocks(requirements)
    for requirement in requirements:
        for ref in requirement.blocks:
            if not resolved.get(str(ref)):
                raise RequirementError("unknown_block", N_("The course has no block {block}."), requirement.id,
                                       block=str(ref))
    return requirements
