"""The call's questions and review criteria: read from OLX, written back, and answers checked.

Kinds: `choice`, `number`, `yes_no`, `text`, `file`. A question with `must_be` makes an applicant
ineligible when their answer differs; they are told before submitting and staff see it.
Answers are checked the same way in a draft and at submission, except that a draft may leave
required questions empty. File answers are uploads (`upload_file`), never part of the JSON.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from lxml import etree

from blended_xblocks.core.errors import N_, BadRequest
from blended_xblocks.core.schema import Field, _encodable

log = logging.getLogger(__name__)
KINDS = ("choice", "number", "yes_no", "text", "file")
YES_NO = ("yes", "no")
ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
MAX_QUESTIONS = 50
DEFAULT_TEXT_LENGTH = 3000
DEFAULT_FILE_MB = 5


@dataclass
class Problem:
    """Something an import could not use, shown to authors instead of failing the import."""

    code: str
    message: str
    params: dict = field(default_factory=dict)


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def _bool(value, default=False) -> bool:
    return default if value is None else str(value).strip().lower() in ("true", "1", "yes")


def questions_from_node(node) -> tuple[list[dict], list[dict], list[Problem]]:
    """(questions, criteria, problems) from a `<blended_application>` element."""
    questions, criteria, problems, seen = [], [], [], set()
    for child in node:
        if not isinstance(child.tag, str) or child.tag not in ("question", "criterion"):
            continue
        ident = (child.get("id") or "").strip()
        if not ID.fullmatch(ident) or ident in seen:
            problems.append(Problem("invalid_id", N_("A {tag} has a missing, invalid or repeated id “{id}”: it is left out."),
                                    {"tag": child.tag, "id": ident[:64]}))
            continue
        label = " ".join((child.get("label") or "").split())[:500] or ident
        if child.tag == "criterion":
            seen.add(ident)
            criteria.append({"id": ident, "label": label, "points": _int(child.get("points"), 5, 1, 100)})
            continue
        kind = child.get("kind", "text")
        if kind not in KINDS:
            problems.append(Problem("invalid_kind", N_("Question “{id}” has an unknown kind “{kind}”: it is left out."),
                                    {"id": ident, "kind": kind[:32]}))
            continue
        if len(questions) >= MAX_QUESTIONS:
            problems.append(Problem("too_many_questions", N_("A call has at most {max} questions."), {"max": MAX_QUESTIONS}))
            continue
        seen.add(ident)
        question = {"id": ident, "kind": kind, "label": label, "required": _bool(child.get("required"))}
        if kind == "choice":
            question["choices"] = [{"value": (c.get("value") or "").strip()[:64], "label": " ".join((c.text or "").split())[:255]}
                                   for c in child if isinstance(c.tag, str) and c.tag == "choice" and (c.get("value") or "").strip()]
            if not question["choices"]:
                problems.append(Problem("no_choices", N_("Question “{id}” offers no choice: it is left out."), {"id": ident}))
                seen.discard(ident)
                continue
        elif kind == "number":
            question["min"] = _int(child.get("min"), 0, -10**9, 10**9)
            question["max"] = max(_int(child.get("max"), 10**6, -10**9, 10**9), question["min"])
        elif kind == "text":
            question["max_length"] = _int(child.get("max_length"), DEFAULT_TEXT_LENGTH, 1, 20_000)
        elif kind == "file":
            question["types"] = " ".join(part for part in re.split(r"[\s,]+", child.get("types") or "pdf") if part)[:100]
            question["max_mb"] = _int(child.get("max_mb"), DEFAULT_FILE_MB, 1, 100)
        must_be = (child.get("must_be") or "").strip()
        if must_be:
            allowed = YES_NO if kind == "yes_no" else [c["value"] for c in question.get("choices", [])]
            if must_be in allowed:
                question["must_be"] = must_be
            else:
                problems.append(Problem("invalid_must_be", N_("Question “{id}”: must_be “{value}” is not one of its answers; "
                                                              "it is ignored."), {"id": ident, "value": must_be[:64]}))
        questions.append(question)
    return questions, criteria, problems


def add_questions_to_node(node, questions: list[dict], criteria: list[dict]):
    for question in questions:
        attributes = {"id": question["id"], "kind": question["kind"], "required": "true" if question.get("required") else "false"}
        if question.get("must_be"):
            attributes["must_be"] = question["must_be"]
        attributes["label"] = question["label"]
        for name in ("min", "max", "max_length", "types", "max_mb"):
            if name in question:
                attributes[name] = str(question[name])
        element = etree.SubElement(node, "question", attributes)
        for choice in question.get("choices", []):
            etree.SubElement(element, "choice", {"value": choice["value"]}).text = choice["label"]
    for criterion in criteria:
        etree.SubElement(node, "criterion", {"id": criterion["id"], "label": criterion["label"],
                                             "points": str(criterion["points"])})


class AnswerMap(Field):
    """A JSON object of answers, checked against the call's questions by `clean_answers`."""

    def __init__(self, max_keys=MAX_QUESTIONS, **kwargs):
        super().__init__(**kwargs)
        self.max_keys = max_keys

    def clean(self, name, value):
        if not isinstance(value, dict):
            raise self.invalid(name, N_("“{field}” must be an object."))
        if len(value) > self.max_keys:
            raise BadRequest("too_many", N_("“{field}” has more than {max} items."), field=name, max=self.max_keys)
        return value


def _refuse(question, message, **params):
    return BadRequest("invalid_answer", message, field=f"answers.{question['id']}", **params)


def clean_answer(question: dict, value):
    """The stored form of one answer, or BadRequest naming `answers.<id>`. None: left empty."""
    kind = question["kind"]
    if value is None or value == "":
        return None
    if kind == "file":
        raise _refuse(question, N_("“{field}” is a file: upload it with the form's file button."))
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise _refuse(question, N_("“{field}” must be a number."))
        if not question["min"] <= value <= question["max"]:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                             field=f"answers.{question['id']}", min=question["min"], max=question["max"])
        return int(value) if float(value).is_integer() else round(float(value), 2)
    if not isinstance(value, str) or "\x00" in value or not _encodable(value):
        raise _refuse(question, N_("“{field}” must be text."))
    if kind == "text":
        value = value.strip()
        if len(value) > question["max_length"]:
            raise BadRequest("too_long", N_("“{field}” is longer than {max} characters."),
                             field=f"answers.{question['id']}", max=question["max_length"])
        return value or None
    allowed = YES_NO if kind == "yes_no" else [choice["value"] for choice in question["choices"]]
    if value not in allowed:
        raise BadRequest("invalid_choice", N_("“{field}” must be one of: {choices}."),
                         field=f"answers.{question['id']}", choices=", ".join(allowed))
    return value


def clean_answers(questions: list[dict], answers: dict, *, complete: bool, files: set = frozenset()) -> dict:
    """Every answer checked; with `complete`, every required question answered (`files`: the
    question ids that have an uploaded file)."""
    by_id = {question["id"]: question for question in questions}
    unknown = sorted(set(answers) - set(by_id))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=f"answers.{unknown[0][:64]}")
    cleaned = {}
    for question in questions:
        value = clean_answer(question, answers.get(question["id"]))
        if value is not None:
            cleaned[question["id"]] = value
        elif complete and question.get("required") and not (question["kind"] == "file" and question["id"] in files):
            raise BadRequest("required", N_("“{field}” is required."), field=f"answers.{question['id']}")
    return cleaned


def disqualifying(questions: list[dict], answers: dict) -> list[str]:
    """Ids of the questions whose answer is not the one the call requires (unanswered ones are not)."""
    return [question["id"] for question in questions
            if question.get("must_be") and question["id"] in answers and answers[question["id"]] != question["must_be"]]


def clean_scores(criteria: list[dict], scores: dict) -> dict:
    """A reviewer's points for every criterion, each a whole number from 0 to the criterion's points."""
    by_id = {criterion["id"]: criterion for criterion in criteria}
    unknown = sorted(set(scores) - set(by_id))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=f"scores.{str(unknown[0])[:64]}")
    cleaned = {}
    for criterion in criteria:
        name = f"scores.{criterion['id']}"
        if criterion["id"] not in scores:
            raise BadRequest("required", N_("“{field}” is required."), field=name)
        value = scores[criterion["id"]]
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadRequest("invalid_field", N_("“{field}” must be a whole number."), field=name)
        if not 0 <= value <= criterion["points"]:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."), field=name,
                             min=0, max=criterion["points"])
        cleaned[criterion["id"]] = value
    return cleaned
