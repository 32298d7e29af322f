"""Reviewers score applications independently; staff see their own scores and the average."""
from __future__ import annotations

from django.db.models import Avg, Count

from blended_xblocks.application.models import Application, ApplicationReview
from blended_xblocks.application.selection import DECIDABLE
from blended_xblocks.core.errors import N_, Conflict, NotFound


def review(call, user_id: int, reviewer_id: int, reviewer_name: str, scores: dict, note: str) -> dict:
    row = Application.objects.filter(call=call, learner__user_id=user_id).first()
    if row is None:
        raise NotFound("unknown_user", N_("User {user_id} has not applied to this call."), user_id=user_id)
    if row.status not in DECIDABLE:
        raise Conflict("not_submitted", N_("User {user_id} has not submitted an application."), user_id=user_id)
    ApplicationReview.objects.update_or_create(
        application=row, reviewer_id=reviewer_id,
        defaults={"scores": scores, "total": sum(scores.values()), "note": note, "reviewer_name": reviewer_name[:255]})
    return {"user_id": user_id, **summary(row, reviewer_id)}


def summary(row, reviewer_id) -> dict:
    """The average over every reviewer, how many reviewed, and the caller's own review."""
    totals = ApplicationReview.objects.filter(application=row).aggregate(average=Avg("total"), count=Count("id"))
    mine = ApplicationReview.objects.filter(application=row, reviewer_id=reviewer_id).first()
    return {"average": None if totals["average"] is None else round(float(totals["average"]), 2),
            "reviews": totals["count"],
            "my_review": {"scores": mine.scores, "total": mine.total, "note": mine.note} if mine else None}
