"""What instructors see: every learner's agreement status, paginated, and the CSV export.

One query joins learners to their agreement and current request (a FilteredRelation keeps
learners who never asked), so a page costs the same for 20 or 20,000 learners.
"""
import csv
import io

from django.db.models import CharField, Count, F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.core.times import iso
from blended_xblocks.platform.models import Learner
from blended_xblocks.supervisor_agreement.addresses import email_flags
from blended_xblocks.supervisor_agreement.models import STATUS_NOT_REQUESTED, STATUSES

COLUMNS = {
    "user_id": "anonymous_user_id", "username": "username", "full_name": "full_name", "email": "email",
    "status": "agreement_status", "supervisor_name": "sa__current_request__supervisor_name",
    "supervisor_email": "sa__current_request__supervisor_email",
    "organisation": "sa__current_request__organisation", "requested_at": "sa__current_request__created",
    "last_sent_at": "sa__current_request__last_sent_at", "send_count": "sa__current_request__send_count",
    "expires_at": "sa__current_request__expires_at", "decided_at": "sa__decided_at",
    "decided_by": "sa__decided_by", "decider_name": "sa__decider_name", "note": "sa__decision_note",
}


def _rows(course_key, usage_key, status=None):
    rows = (Learner.objects.filter(course_key=course_key)
            .annotate(sa=FilteredRelation("supervisor_agreements",
                                          condition=Q(supervisor_agreements__usage_key=usage_key)))
            .annotate(agreement_status=Coalesce(F("sa__status"), Value(STATUS_NOT_REQUESTED),
                                                output_field=CharField())))
    if status == STATUS_NOT_REQUESTED:
        rows = rows.filter(Q(sa__status__isnull=True) | Q(sa__status=STATUS_NOT_REQUESTED))
    elif status:
        rows = rows.filter(sa__status=status)
    return rows.order_by("full_name", "username", "pk").values(*COLUMNS.values())


def _entry(row, now):
    entry = {key: row[column] for key, column in COLUMNS.items()}
    for key in ("requested_at", "last_sent_at", "expires_at", "decided_at"):
        entry[key] = iso(entry[key])
    asked = row["sa__current_request__created"]  # not the last resend: a reminder does not make it recent
    entry["pending_days"] = (now - asked).days if entry["status"] == "pending" and asked else None
    entry["send_count"] = entry["send_count"] or 0
    for key in ("supervisor_name", "supervisor_email", "organisation", "decided_by", "decider_name", "note"):
        entry[key] = entry[key] or ""
    # Not refusals: hints that an approval may not come from the learner's real supervisor.
    entry["supervisor_email_flags"] = email_flags(entry["supervisor_email"], entry["email"])
    return entry


def status_counts(course_key, usage_key) -> dict:
    """Learners per status, in one query over the learners joined to their agreement (one per
    learner and block); "not requested" is everyone without another status."""
    statuses = [status for status in STATUSES if status != STATUS_NOT_REQUESTED]
    found = (Learner.objects.filter(course_key=course_key)
             .annotate(sa=FilteredRelation("supervisor_agreements",
                                           condition=Q(supervisor_agreements__usage_key=usage_key)))
             .aggregate(learners=Count("pk"), **{status: Count("pk", filter=Q(sa__status=status)) for status in statuses}))
    counts = dict.fromkeys(STATUSES, 0) | {status: found[status] for status in statuses}
    counts[STATUS_NOT_REQUESTED] = found["learners"] - sum(counts[status] for status in statuses)
    return counts


def list_page(course_key, usage_key, status, page, page_size, now=None) -> dict:
    now = now or timezone.now()
    counts = status_counts(course_key, usage_key)
    shown = page_of(sum(counts.values()) if not status else counts.get(status, 0), page, page_size)
    return shown.json("agreements", [_entry(row, now) for row in shown.rows(_rows(course_key, usage_key, status))],
                      counts=counts)


def export_csv(course_key, usage_key, chunk_size=2000):
    """The CSV, produced chunk by chunk (bounded memory and queries per chunk)."""
    now = timezone.now()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = list(COLUMNS) + ["pending_days", "supervisor_email_flags"]
    writer.writerow(header)
    yield buffer.getvalue()
    for row in _rows(course_key, usage_key).iterator(chunk_size=chunk_size):
        buffer.seek(0)
        buffer.truncate()
        entry = _entry(row, now)
        entry["supervisor_email_flags"] = " ".join(entry["supervisor_email_flags"])
        writer.writerow([safe_cell(entry[key]) for key in header])
        yield buffer.getvalue()
