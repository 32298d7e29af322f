"""Demo content: `<seed_application>` children in OLX become submitted applications when the demo loads.

    <seed_application learner="omar" language="fr" role="ngo" experience="6" eligible="yes"
        motivation="I coordinate returnee support in Tripoli."/>

Every attribute but `learner` and `language` is an answer, checked by the call's own rules (a seed
that breaks them is left out and logged). The demo's staff find a table to review at once. Seeds
are applied once, when the call's row is first created, and only for the people the host's adapter
names (`seed_person`): the LMS names nobody, so a course imported into a real LMS creates no
application.
"""
from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from blended_xblocks.application.models import Application
from blended_xblocks.application.questions import clean_answers, disqualifying
from blended_xblocks.core.errors import ApiError
from blended_xblocks.core.times import now_utc
from blended_xblocks.platform.models import Learner

log = logging.getLogger(__name__)
MAX_SEEDS = 50
NOT_ANSWERS = ("learner", "language")


def parse_seeds(node) -> list[dict]:
    seeds = []
    for child in node.findall("seed_application")[:MAX_SEEDS]:
        learner = (child.get("learner") or "").strip()[:64]
        if learner:
            seeds.append({"learner": learner, "language": (child.get("language") or "")[:16],
                          "answers": {key: value for key, value in child.attrib.items() if key not in NOT_ANSWERS}})
    return seeds


def _typed(questions, answers: dict) -> dict:
    """OLX attributes are text; number questions take numbers."""
    numbers = {question["id"] for question in questions if question["kind"] == "number"}
    typed = {}
    for key, value in answers.items():
        try:
            typed[key] = int(value) if key in numbers else value
        except ValueError:
            typed[key] = value
    return typed


def apply_seeds(call, seeds, questions, platform) -> int:
    """Submit the seeded applications of the people the host names (`platform.seed_person`);
    returns how many were made."""
    made, now = 0, now_utc()
    for seed in seeds or []:
        user = platform.seed_person(seed["learner"])
        if user is None:
            continue
        try:
            answers = clean_answers(questions, _typed(questions, seed["answers"]), complete=True)
        except ApiError as error:
            log.warning("blended_application: seed for %s left out: %s", seed["learner"], error)
            continue
        learner = Learner.objects.record(call.course_key, user)
        try:
            with transaction.atomic():
                Application.objects.create(call=call, learner=learner, status=Application.SUBMITTED, answers=answers,
                                           version=1, eligible=not disqualifying(questions, answers),
                                           language=seed["language"], submitted_at=now)
                made += 1
        except IntegrityError:  # already there
            continue
    return made
