"""The call's Studio editor: its settings, questions and review criteria, saved whole or not at all.

The form sends everything it shows; the server trusts none of it. Every value is checked against
the rules the OLX import applies, but strictly: where an import leaves a bad question out and says
so, the editor refuses the save (400 `invalid_settings`, naming the field, e.g. `questions[2].max`)
and nothing is written.

Applicants' answers are stored by question id and read by the question's kind. Once an application
answered a question, removing it or changing its kind would leave answers (and files) that staff
can no longer read and the export no longer lists, so the save is refused (409
`question_answered`). Changing a label, a limit or the choices stays possible: answers already
given keep their value, and an applicant who edits again is checked against the new rules.
Criteria may change freely: a review stores its own scores and total, so averages stay what the
reviewers gave.
"""
from __future__ import annotations

import json
import re

from blended_xblocks.application.questions import DEFAULT_FILE_MB, DEFAULT_TEXT_LENGTH, ID, KINDS, MAX_QUESTIONS, YES_NO
from blended_xblocks.core.errors import N_, BadRequest, Conflict
from blended_xblocks.core.times import check_local, time_zone_names

MAX_CRITERIA = 20
MAX_CHOICES = 50
MAX_DESCRIPTION = 20_000
MAX_WHOLE = 100_000
AGREEMENT = re.compile(r"blended_supervisor_agreement/[A-Za-z0-9_.:-]{1,200}")
FIELDS = ("display_name", "description", "opens", "deadline", "timezone", "places", "waitlist", "offer_days",
          "agreement", "agreement_required", "cohort", "questions", "criteria")


FORMAT = N_("“{field}” is not in the expected format.")


def _invalid(field, message=FORMAT, **params):
    return BadRequest("invalid_settings", message, field=field, **params)


def _text(value, field, maximum, *, required=False, single_line=True):
    if not isinstance(value, str) or len(value) > maximum or "\x00" in value:
        raise _invalid(field, N_("“{field}” must be text of at most {max} characters."), max=maximum)
    value = " ".join(value.split()) if single_line else value.strip()
    if required and not value:
        raise BadRequest("invalid_settings", N_("“{field}” is required."), field=field)
    return value


def _whole(value, field, low, high):
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(field, N_("“{field}” must be a whole number from {min} to {max}."), min=low, max=high)
    return value


def _flag(value, field):
    if value in (True, "true"):
        return True
    if value in (False, "false", ""):
        return False
    raise _invalid(field)


def _identifier(value, field, seen):
    ident = value.strip() if isinstance(value, str) else ""
    if not ID.fullmatch(ident):
        raise _invalid(field, N_("“{field}” must start with a letter and hold only letters, digits, - and _ "
                                 "(at most 64)."))
    if ident in seen:
        raise _invalid(field, N_("“{field}”: the identifier “{id}” is used twice."), id=ident)
    seen.add(ident)
    return ident


def clean_question(item, field, seen) -> dict:
    """One question as the block stores it (the shape `questions_from_node` gives)."""
    if not isinstance(item, dict):
        raise _invalid(field)
    kind = item.get("kind")
    if kind not in KINDS:
        raise _invalid(f"{field}.kind", N_("“{field}” must be one of: {choices}."), choices=", ".join(KINDS))
    ident = _identifier(item.get("id"), f"{field}.id", seen)
    question = {"id": ident, "kind": kind, "label": _text(item.get("label", ""), f"{field}.label", 500, required=True),
                "required": _flag(item.get("required", False), f"{field}.required")}
    if kind == "choice":
        choices, values = item.get("choices"), set()
        if not isinstance(choices, list) or not choices or len(choices) > MAX_CHOICES:
            raise _invalid(f"{field}.choices", N_("“{field}” needs from 1 to {max} choices."), max=MAX_CHOICES)
        question["choices"] = []
        for index, choice in enumerate(choices):
            where = f"{field}.choices[{index + 1}]"
            if not isinstance(choice, dict):
                raise _invalid(where)
            value = _text(choice.get("value", ""), f"{where}.value", 64, required=True)
            if value in values:
                raise _invalid(f"{where}.value", N_("“{field}”: the value “{id}” is used twice."), id=value)
            values.add(value)
            question["choices"].append({"value": value, "label": _text(choice.get("label", ""), f"{where}.label", 255,
                                                                       required=True)})
    elif kind == "number":
        question["min"] = _whole(item.get("min", 0), f"{field}.min", -10**9, 10**9)
        question["max"] = _whole(item.get("max", 10**6), f"{field}.max", question["min"], 10**9)
    elif kind == "text":
        question["max_length"] = _whole(item.get("max_length", DEFAULT_TEXT_LENGTH), f"{field}.max_length", 1, 20_000)
    elif kind == "file":
        types = _text(item.get("types", "pdf"), f"{field}.types", 100)
        parts = [part.lstrip(".").lower() for part in re.split(r"[\s,]+", types) if part]
        if not parts or not all(re.fullmatch(r"[a-z0-9]{1,10}", part) for part in parts):
            raise _invalid(f"{field}.types", N_("“{field}” must list file types such as: pdf docx."))
        question["types"] = " ".join(parts)
        question["max_mb"] = _whole(item.get("max_mb", DEFAULT_FILE_MB), f"{field}.max_mb", 1, 100)
    must_be = item.get("must_be") or ""
    if must_be:
        allowed = YES_NO if kind == "yes_no" else [choice["value"] for choice in question.get("choices", [])]
        if must_be not in allowed:
            raise _invalid(f"{field}.must_be", N_("“{field}” must be one of the question's answers: {choices}."),
                           choices=", ".join(allowed) or "-")
        question["must_be"] = must_be
    return question


def clean_criterion(item, field, seen) -> dict:
    if not isinstance(item, dict):
        raise _invalid(field)
    return {"id": _identifier(item.get("id"), f"{field}.id", seen),
            "label": _text(item.get("label", ""), f"{field}.label", 500, required=True),
            "points": _whole(item.get("points", 5), f"{field}.points", 1, 100)}


def _list(values, name, maximum):
    items = values[name]
    if not isinstance(items, list) or len(items) > maximum:
        raise _invalid(name, N_("“{field}” must be a list of at most {max} items."), max=maximum)
    return items


def clean_settings(block, values: dict) -> dict:
    """Every value the editor sent, checked; a value it did not send keeps the block's."""
    unknown = sorted(str(name) for name in set(values) - set(FIELDS))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=unknown[0][:64])
    get = lambda name: values.get(name, getattr(block, name))  # noqa: E731
    cleaned = {"display_name": _text(get("display_name"), "display_name", 255, required=True),
               "description": _text(get("description"), "description", MAX_DESCRIPTION, single_line=False),
               "timezone": _text(get("timezone"), "timezone", 64) or "UTC",
               "places": _whole(get("places"), "places", 0, MAX_WHOLE),
               "offer_days": _whole(get("offer_days"), "offer_days", 0, MAX_WHOLE),
               "waitlist": _flag(get("waitlist"), "waitlist"),
               "agreement_required": _flag(get("agreement_required"), "agreement_required"),
               "agreement": _text(get("agreement"), "agreement", 255),
               "cohort": _text(get("cohort"), "cohort", 255)}
    for name in ("opens", "deadline"):  # refused as every block refuses a local time (core/times.py)
        cleaned[name] = _text(get(name), name, 19)
        check_local(cleaned[name], cleaned["timezone"], name)
    if cleaned["opens"] and cleaned["deadline"] and cleaned["opens"] >= cleaned["deadline"]:
        raise _invalid("deadline", N_("“{field}” must come after the opening."))
    if cleaned["agreement"] and not AGREEMENT.fullmatch(cleaned["agreement"]):
        raise _invalid("agreement", N_("“{field}” must name a supervisor agreement block as "
                                       "blended_supervisor_agreement/url_name."))
    if cleaned["agreement_required"] and not cleaned["agreement"]:
        raise _invalid("agreement_required", N_("“{field}” needs a supervisor agreement block."))
    seen = set()
    if "questions" in values:
        cleaned["questions"] = [clean_question(item, f"questions[{index + 1}]", seen)
                                for index, item in enumerate(_list(values, "questions", MAX_QUESTIONS))]
    else:
        seen.update(question["id"] for question in block.questions)
    if "criteria" in values:
        cleaned["criteria"] = [clean_criterion(item, f"criteria[{index + 1}]", seen)
                               for index, item in enumerate(_list(values, "criteria", MAX_CRITERIA))]
    return cleaned


def refuse_answered_changes(old: list[dict], new: list[dict], answered) -> None:
    """409 when a question some application answered would be removed or change its kind.
    `answered(ids)` gives the ids among `ids` that some application answered (one query)."""
    kept = {question["id"]: question["kind"] for question in new}
    at_risk = [question["id"] for question in old if kept.get(question["id"], None) != question["kind"]]
    if not at_risk:
        return
    hit = answered(at_risk)
    for ident in at_risk:
        if ident in hit:
            if ident in kept:
                raise Conflict("question_answered", N_("Question “{id}” has answers already: its kind cannot change. "
                                                       "Add a new question instead."), id=ident)
            raise Conflict("question_answered", N_("Question “{id}” has answers already: it cannot be removed."),
                           id=ident)


def clean(block, values: dict, reset=()) -> dict:  # reset: none (no editable_fields to reset)
    """The fields to set; questions some application answered may not go or change kind (409)."""
    cleaned = clean_settings(block, values)
    if "questions" in cleaned:
        refuse_answered_changes(list(block.questions or []), cleaned["questions"], block.answered_questions)
    if "questions" in cleaned or "criteria" in cleaned:
        cleaned["import_problems"] = []
    return cleaned


KIND_NAMES = {"choice": N_("Choice"), "number": N_("Number"), "yes_no": N_("Yes or no"), "text": N_("Text"),
              "file": N_("File")}


def studio_context(block) -> dict:
    def as_json(value):
        return json.dumps(value, separators=(",", ":"))
    return {"block": block, "zones": time_zone_names(), "current_zone": block.zone_name(),
            "kinds": [(kind, block.gettext(KIND_NAMES[kind])) for kind in KINDS], "problems": block.problem_messages(),
            "questions_json": as_json(list(block.questions or [])), "criteria_json": as_json(list(block.criteria or []))}
