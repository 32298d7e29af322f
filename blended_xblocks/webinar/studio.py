"""The webinar's Studio editor: the form's values, and a save that checks every value first.

The form sends every setting; the first problem refuses the whole save with the code of its rule
(`required`, `invalid_field`, `invalid_url`, `invalid_time`, `invalid_settings`, …) naming the field.
"""
from __future__ import annotations

import math

from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.schema import Bool, Int, ListOf, Number, Obj, Str, validate
from blended_xblocks.core.times import time_zone_names
from blended_xblocks.webinar.content import MAX_DESCRIPTION, MAX_SPEAKERS, check_edit

EDIT_SCHEMA = {
    "display_name": Str(max_length=255, min_length=1),
    "start": Str(max_length=16),
    "timezone": Str(max_length=64, min_length=1),
    "duration": Int(minimum=5, maximum=24 * 60),
    "capacity": Int(minimum=0, maximum=100_000),
    "waitlist": Bool(),
    "registration_closes": Str(max_length=16, default=""),
    "join_url": Str(max_length=1000, default=""),
    "join_opens": Int(minimum=0, maximum=24 * 60),
    "languages": Str(max_length=100, default=""),
    "checkin": Bool(),
    "late_after": Int(minimum=0, maximum=24 * 60, default=15),
    "recording_url": Str(max_length=1000, default=""),
    "weight": Number(minimum=0, maximum=100),
    "late_credit": Int(minimum=0, maximum=100, default=100),
    "excused_credit": Int(minimum=0, maximum=100, default=0),
    "description": Str(max_length=MAX_DESCRIPTION, default="", strip=False),
    "speakers": ListOf(Obj({"name": Str(max_length=200), "affiliation": Str(max_length=200, default="")}),
                       max_items=MAX_SPEAKERS, default=[]),
}


def studio_context(block) -> dict:
    return {
        "block": block,
        "time_zones": time_zone_names(),
        "late_percent": round(block.late_credit * 100),
        "excused_percent": round(block.excused_credit * 100),
        "weight": f"{block.weight:g}",
        "speakers": [speaker for speaker in block.speakers or [] if isinstance(speaker, dict)]
        + [{"name": "", "affiliation": ""}],
    }


def clean(block, values: dict, reset=()) -> dict:  # reset: none (no editable_fields to reset)
    """The fields to set: every value checked, credits stored as shares, the weight as a number."""
    values = check_edit(validate(EDIT_SCHEMA, values))
    check_whole_points(values)
    for name in ("late_credit", "excused_credit"):
        values[name] = values[name] / 100
    values["weight"] = float(values["weight"])
    return values


def check_whole_points(values: dict):
    """Studio: the gradebook counts whole points, so the weight is whole and each credit of it too
    (50 % of a weight of 1 cannot be scored: a weight of 2, 4, … can)."""
    weight = values["weight"]
    if not float(weight).is_integer():
        raise BadRequest("invalid_settings", N_("The weight must be a whole number of points (0: not graded)."),
                         field="weight")
    for name in ("late_credit", "excused_credit"):
        percent = values[name]
        step = 100 // math.gcd(percent, 100)
        if int(weight) % step:
            raise BadRequest("invalid_settings", N_("A credit of {credit} % of a weight of {weight} is not a whole "
                                                    "number of points, and the gradebook counts whole points. Use "
                                                    "a weight that is a multiple of {step}."),
                             field=name, credit=percent, weight=int(weight), step=step)
