"""Scores that staff set for other learners, on their way to the gradebook.

A block that grades other learners (the group assignment releases grades, the webinar takes
attendance) writes the score into its own row first and bumps that row's `score_version`; the row
is *pending* while `score_version > pushed_version`. `push_pending` then writes the scores through
the platform adapter (edx-submissions) and records completion, a chunk of rows per transaction:
the edx-submissions rows and our `pushed_version` commit together, so each score is pushed once
per change even when two workers (or a worker and the cron command) run at the same time. Few
pending scores are pushed inside the request; many go to Celery when it is installed (the LMS),
else they are pushed inline too (the demo). See docs/decisions/0003-score-release.md.

Each block describes its rows with one `ScoreSource` and registers it (`register`, from the block's
`api.py`, which the app's `ready()` imports in every process); this module imports no block and knows
nothing else about them.

Points are whole numbers (edx-submissions stores `PositiveIntegerField`s, and the LMS takes them as
already weighted): `possible` is what the LMS shows before any score (the block's weight, or its
natural maximum when the weight is empty), `earned` that times the learner's share, computed exactly
with fractions. A score of `earned=None` (or `possible=0`: not graded) is withdrawn with
`reset_score`, never written as a 0. See docs/decisions/0005-integer-scores.md.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone as dj_timezone

from blended_xblocks.platform.adapter import platform_for_keys

log = logging.getLogger(__name__)

INLINE_LIMIT = 25
CHUNK_SIZE = 100


@dataclass(frozen=True)
class Score:
    """One learner's score for the gradebook: whole points; `earned=None` or `possible=0` withdraws it."""

    course_key: str
    usage_key: str
    earned: int | None
    possible: int
    completion: float

    @property
    def withdrawn(self) -> bool:
        return self.earned is None or self.possible <= 0


def fraction(value) -> Fraction:
    """A number as an exact fraction: 0.1 (a float from a field) is 1/10, not its binary approximation."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(str(value))


def _nearest(value: Fraction) -> int:
    """Round half up (a learner's half point counts)."""
    return int((value + Fraction(1, 2)).__floor__())


def whole_weight(value, natural: int = 1, *, where: str = "") -> int:
    """The points a block is worth in the gradebook (what the LMS shows as possible before any score).

    The LMS scales the block's natural maximum (`max_score()`) to `weight`, or keeps the maximum when
    the weight is empty: the same rule here. A weight that is not a whole number (old OLX) counts as
    the nearest whole number, never 0 unless it is 0, and is logged."""
    if value is None or value == "":
        return max(int(natural), 0)
    try:
        number = fraction(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        log.warning("%s: weight %r is not a number; counted as %s", where or "gradebook", value, natural)
        return max(int(natural), 0)
    if number <= 0:
        return 0
    if number.denominator == 1:
        return int(number)
    nearest = max(_nearest(number), 1)
    log.warning("%s: weight %s is not a whole number of points; counted as %s", where or "gradebook", value, nearest)
    return nearest


def is_exact(possible: int, share) -> bool:
    """Is `share` (0..1) of `possible` a whole number of points?"""
    return (possible * fraction(share)).denominator == 1


def share_points(possible: int, share, *, where: str = "") -> int:
    """`share` (0..1, or a Fraction) of `possible` points, exact; a configuration Studio would refuse
    today (old OLX) gets the nearest whole point, logged, rather than a push that can never succeed."""
    exact = possible * fraction(share)
    exact = min(max(exact, Fraction(0)), Fraction(possible))
    if exact.denominator != 1:
        log.warning("%s: %s of %s points is not a whole number; counted as %s", where or "gradebook",
                    share, possible, _nearest(exact))
        return _nearest(exact)
    return int(exact)


@dataclass(frozen=True)
class ScoreSource:
    """Where one block type keeps the scores it set for learners.

    `model` rows have `learner`, `score_version`, `pushed_version` and `score_pushed_at`;
    `usage_path`/`course_path` are the lookups to their block and course keys; `ready` narrows
    pending rows further (e.g. released grades only); `score(row)` reads the `Score` to write.
    """

    block_type: str
    model: Any
    usage_path: str
    course_path: str
    score: Callable[[Any], Score]
    related: tuple = ()
    ready: dict = field(default_factory=dict)


# Kept across `importlib.reload` (tests swap Celery in and out): the blocks registered once, at start-up.
_SOURCES: dict = globals().get("_SOURCES", {})


def register(source: ScoreSource) -> ScoreSource:
    """A block type that sets scores for other learners; registering it again replaces it."""
    _SOURCES[source.block_type] = source
    return source


def sources() -> tuple:
    """Every registered score source, in registration order."""
    return tuple(_SOURCES.values())


def pending(source: ScoreSource, usage_key: str | None = None, course_key: str | None = None):
    """Rows whose current score is not in the gradebook yet."""
    query = source.model.objects.filter(score_version__gt=F("pushed_version"), **source.ready)
    if usage_key:
        query = query.filter(**{source.usage_path: usage_key})
    if course_key:
        query = query.filter(**{source.course_path: course_key})
    return query


def push_pending(source: ScoreSource, usage_key: str | None = None, course_key: str | None = None,
                 chunk_size: int = CHUNK_SIZE) -> int:
    """Push every pending score of this source (one block, one course, or everywhere); returns how many.

    Idempotent: a score already in the gradebook is not pushed again. Rows another worker is
    pushing are skipped (it will finish them); walking by primary key ends the loop.
    """
    pushed, after = 0, 0
    while True:
        candidates = list(pending(source, usage_key, course_key).filter(pk__gt=after)
                          .order_by("pk").values_list("pk", flat=True)[:chunk_size])
        if not candidates:
            return pushed
        after = candidates[-1]
        pushed += _push_chunk(source, candidates)


def _push_chunk(source: ScoreSource, candidate_ids) -> int:
    model = source.model
    locking = model.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
    with transaction.atomic():
        # Lock only these rows (staff keep working on everything else); re-check under the lock.
        ids = list(locking.filter(pk__in=candidate_ids, score_version__gt=F("pushed_version"))
                   .values_list("pk", flat=True))
        rows = list(model.objects.filter(pk__in=ids).select_related("learner", *source.related))
        by_block = {}
        for row in rows:
            score = source.score(row)
            by_block.setdefault((score.course_key, score.usage_key), []).append((row, score))
        for (course_key, usage_key), scored in by_block.items():
            adapter = platform_for_keys(course_key, usage_key, source.block_type)
            adapter.set_scores({row.learner.anonymous_user_id: (score.earned, score.possible)
                                for row, score in scored if not score.withdrawn})
            adapter.reset_scores([row.learner.anonymous_user_id for row, score in scored if score.withdrawn])
            for completion in sorted({score.completion for _, score in scored}):
                adapter.complete_for([row.learner for row, score in scored if score.completion == completion], completion)
        now = dj_timezone.now()
        by_version = {}
        for row in rows:
            by_version.setdefault(row.score_version, []).append(row.pk)
        for version, pks in by_version.items():
            model.objects.filter(pk__in=pks, score_version=version).update(pushed_version=version, score_pushed_at=now)
    return len(rows)


def dispatch(source: ScoreSource, usage_key: str) -> bool:
    """After staff changed scores: push now if few are pending (or there is no Celery), otherwise
    queue the push for when the change has committed. True if queued."""
    count = pending(source, usage_key).count()
    if count and push_scores_task is not None and count > INLINE_LIMIT:
        block_type = source.block_type
        transaction.on_commit(lambda: push_scores_task.delay(block_type, usage_key))
        return True
    if count:
        try:
            push_pending(source, usage_key)
        except Exception:  # noqa: BLE001 - the change stands; the scores stay pending for the command
            log.exception("Pushing %s scores of %s failed; they stay pending", source.block_type, usage_key)
    return False


def push_everything(course_key: str | None = None) -> int:
    """Every pending score of every block type (the management command)."""
    return sum(push_pending(source, course_key=course_key) for source in sources())


def pending_everywhere(course_key: str | None = None) -> int:
    return sum(pending(source, course_key=course_key).count() for source in sources())


def _push_task(block_type, usage_key=None, course_key=None):
    """Celery entry point (by name, so workers need no platform code to route it)."""
    return push_pending(_SOURCES[block_type], usage_key=usage_key, course_key=course_key)


try:  # The LMS and its workers have Celery; the demo does not.
    from celery import shared_task
except ImportError:  # pragma: no cover - depends on the host
    push_scores_task = None
else:  # pragma: no cover - exercised in the LMS
    push_scores_task = shared_task(name="blended_xblocks.push_scores", ignore_result=True)(_push_task)
