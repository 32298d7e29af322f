"""What the group assignment's Studio editor needs: the form's context and the save's clean-up.

The editor is a plain form (the rubric and seeded groups as rows, not JSON), so the template gets
the values ready to show. `clean` checks a save: each value by its field's type (400 `invalid_field`
naming it), then every problem the block could not work with (`settings_errors`), all listed in one
400 `invalid_settings` with its `messages` list, so the author fixes them at once.
"""
from __future__ import annotations

import hashlib

from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.times import check_local, time_zone_names
from blended_xblocks.group_assignment.olx import RubricError, clean_groups, clean_rubric, max_points, settings_errors


def studio_context(block) -> dict:
    """Template values: every editable field, rubric rows and groups with one username a line."""
    zones = list(time_zone_names())
    if block.timezone and block.timezone not in zones:
        zones.insert(0, block.timezone)  # an alias from OLX (e.g. Europe/Geneva) stays selectable
    rubric = [criterion for criterion in block.rubric or [] if isinstance(criterion, dict)]
    try:
        maximum = max_points(rubric)
    except (KeyError, TypeError, ValueError):
        maximum = 0
    return {
        "block": block,
        "uid": "bgs-" + hashlib.sha1(block.usage_key_string.encode("utf-8")).hexdigest()[:10],
        "time_zones": zones,
        "rubric": rubric,
        "max_points": maximum,
        "groups": [{"name": group.get("name", ""), "members": "\n".join(map(str, group.get("members", [])))}
                   for group in block.groups or [] if isinstance(group, dict)],
        "weight": _plain_number(block.weight),
        # Rows the editor copies when the author adds one (inside <template>, never submitted as such).
        "blank_criterion": {"name": "", "label": "", "levels": [{"points": 0, "label": ""}]},
        "blank_level": {"points": "", "label": ""},
        "blank_group": {"name": "", "members": ""},
    }


def clean(block, values: dict, reset=()) -> dict:
    """The fields to set, or the first problem (a value of the wrong type) or all of them (settings
    the block could not work with); `reset` names fields going back to their default."""
    unknown = sorted(str(name) for name in set(values) - set(block.editable_fields))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=unknown[0])
    cleaned = {}
    for name, raw in values.items():
        try:
            cleaned[name] = block.fields[name].from_json(raw)
        except (TypeError, ValueError) as error:
            raise BadRequest("invalid_field", N_("“{field}” is not in the expected format."), field=name) from error
    check_due(block, cleaned)
    normalise(cleaned)
    try:
        problems = settings_errors(_Future(block, cleaned, reset), block.gettext)
    except (TypeError, ValueError, AttributeError) as error:
        raise BadRequest("invalid_settings", N_("These settings cannot be saved.")) from error
    if problems:
        refusal = BadRequest("invalid_settings", problems[0])
        refusal.extra["messages"] = [{"type": "error", "text": text} for text in problems]
        raise refusal
    return cleaned


class _Future:
    """The block as it would be after the save: the cleaned values, the defaults of fields reset, else
    the block's own."""

    def __init__(self, block, cleaned, reset):
        self._block, self._cleaned, self._reset = block, cleaned, reset

    def __getattr__(self, name):
        if name in self._cleaned:
            return self._cleaned[name]
        return self._block.fields[name].default if name in self._reset else getattr(self._block, name)


def check_due(block, values: dict):
    """A due date the clocks skip, an unreadable one or an unknown zone: refused with the code and
    field every block's Studio save answers (core/times.py), before anything else is checked."""
    if "assignment_due" in values or "timezone" in values:
        due = values.get("assignment_due", block.assignment_due)
        check_local(due if isinstance(due, str) else "", values.get("timezone", block.timezone) or "UTC",
                    "assignment_due")


def normalise(values: dict) -> dict:
    """Store the rubric sorted and numeric, and groups trimmed; leave anything invalid untouched
    so that `settings_errors` names the problem instead of a crash here."""
    if "rubric" in values:
        try:
            values["rubric"] = clean_rubric(values["rubric"], strict=True)
        except RubricError:
            pass
    if "groups" in values:
        values["groups"] = clean_groups(values["groups"])
    return values


def _plain_number(value):
    """1.0 shows as 1 in the form (authors typed 1); an empty weight (None) as an empty box."""
    if value is None:
        return ""
    return int(value) if isinstance(value, float) and value.is_integer() else value
