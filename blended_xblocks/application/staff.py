"""The staff table of applicants, one applicant in full, and the CSV and zip exports.

A page of the table reads our tables twice whatever the number of applicants (three with the
call's row): the count per status, the search's total and whether an offer is past its time in one
grouped query, then the page's rows with their learner, average score, number of reviews and the
caller's own total in one more (annotations).
"""
from __future__ import annotations

import csv
import io
import zipfile

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from blended_xblocks.application.models import Application, ApplicationCall, ApplicationFile, ApplicationReview
from blended_xblocks.application.selection import places_left
from blended_xblocks.core.downloads import ZipSink, copy_stored_file, folder_name
from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.core.times import iso

A = Application
STATUS_FILTERS = ("all", *A.STATUSES)
SORTS = ("submitted", "-submitted", "name", "-name", "score", "-score", "status", "-status", "position", "-position")
ORDERING = {"submitted": "submitted_at", "name": "learner__full_name", "score": "average", "status": "status",
            "position": "waitlist_position"}


def _rows(call, status: str, search: str, reviewer_id):
    rows = A.objects.filter(call=call)
    rows = rows.exclude(status=A.DRAFT) if status == "all" else rows.filter(status=status)
    if search:
        rows = rows.filter(_search(search))
    return rows


def _search(search: str) -> Q:
    return (Q(learner__full_name__icontains=search) | Q(learner__username__icontains=search)
            | Q(learner__email__icontains=search))


def _ordered(rows, sort: str):
    key = ORDERING[sort.lstrip("-")]
    expression = F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
    return rows.order_by(expression, "id")


def row_json(row) -> dict:
    learner = row.learner
    return {"user_id": learner.user_id, "username": learner.username, "name": learner.display_name,
            "email": learner.email, "status": row.status, "eligible": row.eligible,
            "submitted_at": iso(row.submitted_at), "waitlist_position": row.waitlist_position,
            "offer_expires": iso(row.offer_expires), "answers": dict(row.answers),
            "average": None if row.average is None else round(float(row.average), 2), "reviews": row.review_count,
            "my_total": row.my_total}


def _counts(call, status: str, search: str, now) -> tuple[dict, int, bool]:
    """(applicants per status, how many the filter and search match, whether an offer is past its
    time), in one grouped query."""
    matched = Q(status=status) if status != "all" else ~Q(status=A.DRAFT)
    if search:
        matched &= _search(search)
    due = Q(status=A.SELECTED, offer_expires__isnull=False, offer_expires__lte=now or timezone.now())
    grouped = (A.objects.filter(call=call).values_list("status")
               .annotate(n=Count("id"), matched=Count("id", filter=matched), due=Count("id", filter=due))
               .values_list("status", "n", "matched", "due"))
    counts, total, overdue = {}, 0, False
    for name, n, found, late in grouped:
        counts[name], total, overdue = n, total + found, overdue or bool(late)
    return counts, total, overdue


def page(call: ApplicationCall, *, status="all", search="", sort="submitted", page=1, page_size=50, reviewer_id=None,
         now=None, sweep=None) -> dict:
    """One page of the table. `sweep()` lapses the offers past their time; it runs (and the counts
    are read again) only when the counts found one due, so that the page shows what is true now."""
    counts, total, overdue = _counts(call, status, search, now)
    if overdue and sweep is not None:
        sweep()
        counts, total, _ = _counts(call, status, search, now)
    rows = _rows(call, status, search, reviewer_id)
    shown = page_of(total, page, page_size)
    mine = ApplicationReview.objects.filter(application=OuterRef("pk"), reviewer_id=reviewer_id).values("total")[:1]
    listed = shown.rows(_ordered(rows.annotate(average=Avg("reviews__total"), review_count=Count("reviews"),
                                               my_total=Subquery(mine)), sort).select_related("learner"))
    taken = counts.get(A.SELECTED, 0) + counts.get(A.ACCEPTED, 0)
    return shown.json("applications", [row_json(row) for row in listed],
                      counts={name: counts.get(name, 0) for name in A.STATUSES},
                      places=call.places, places_left=places_left(call, taken))


def export_rows(usage_key: str, question_ids: list[str]):
    """The CSV, a line at a time (every applicant but drafts, every answer; cells safe for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values):
        writer.writerow([safe_cell(value) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(["user_id", "username", "name", "email", "status", "eligible", "submitted_at", "average_score",
                "reviews", "waitlist_position", *question_ids])
    rows = (A.objects.filter(call__usage_key=usage_key).exclude(status=A.DRAFT)
            .annotate(average=Avg("reviews__total"), review_count=Count("reviews")).select_related("learner").order_by("id"))
    for row in rows.iterator(chunk_size=500):
        average = "" if row.average is None else round(float(row.average), 2)
        yield line([row.learner.user_id or "", row.learner.username, row.learner.display_name, row.learner.email,
                    row.status, "yes" if row.eligible else "no", iso(row.submitted_at) or "", average, row.review_count,
                    row.waitlist_position or "", *[row.answers.get(ident, "") for ident in question_ids]])


def zip_rows(usage_key: str):
    """Every uploaded file of every applicant but drafts, one folder per applicant, streamed."""
    sink = ZipSink()
    files = (ApplicationFile.objects.filter(application__call__usage_key=usage_key)
             .exclude(application__status=A.DRAFT).select_related("application__learner").order_by("application_id", "id"))
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for stored in files.iterator(chunk_size=200):
            learner = stored.application.learner
            folder = folder_name(f"{learner.user_id}-{learner.display_name}", "applicant")
            yield from copy_stored_file(archive, f"{folder}/{stored.question_id}-{stored.name}", stored, sink)
    yield sink.drain()
