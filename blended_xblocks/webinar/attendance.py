"""Attendance: marking in bulk, the roster staff page through, and CSV in and out.

Every batch is all-or-nothing: one unknown learner, unreadable row or unknown status and
nothing changes, so an instructor never has to guess which half of a file was applied.
The CSV export neutralises cells that spreadsheets would run as formulas.
"""
from __future__ import annotations

import csv
import io

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower

from blended_xblocks.core.errors import N_, BadRequest, NotFound
from blended_xblocks.core.outcomes import announce
from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.core.times import iso
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.state import language_name

STATUS_ORDER = {Reg.REGISTERED: 0, Reg.WAITLISTED: 1, Reg.CANCELLED: 2}
EXPORT_COLUMNS = ["username", "email", "full_name", "registration", "waitlist_position", "language",
                  "attendance", "checked_in_at"]
USER_COLUMNS = ("username", "email", "user", "user email", "e-mail", "email address", "user_id")
STATUS_COLUMNS = ("attendance", "status")
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 10000


def credit(block, attendance: str) -> float | None:
    """Share of the score an attendance status earns; None while unmarked (no score yet)."""
    return {Reg.PRESENT: 1.0, Reg.LATE: block.late_credit, Reg.EXCUSED: block.excused_credit,
            Reg.ABSENT: 0.0}.get(attendance)


def roster_page(session, page: int, page_size: int, status: str | None):
    """(rows, Page, counts) in three queries, whatever the number of registrations.

    `counts` also holds "scores_pending": marked attendance not in the gradebook yet."""
    registrations = Reg.objects.filter(session=session)
    counts_row = registrations.aggregate(
        **{status_name: Count("id", filter=Q(status=status_name)) for status_name in Reg.STATUSES},
        **{f"attendance_{value}": Count("id", filter=Q(attendance=value) & ~Q(status=Reg.CANCELLED))
           for value in Reg.ATTENDANCE},
        scores_pending=Count("id", filter=Q(score_version__gt=F("pushed_version"))))
    counts = {name: counts_row[name] for name in Reg.STATUSES}
    counts["scores_pending"] = counts_row["scores_pending"]
    counts["attendance"] = {value: counts_row[f"attendance_{value}"] for value in Reg.ATTENDANCE}
    chosen = registrations.filter(status=status) if status else registrations
    shown = page_of(counts[status] if status else sum(counts[name] for name in Reg.STATUSES), page, page_size)
    rows = list(shown.rows(chosen.select_related("learner")
                           .order_by("status", "waitlist_position", "learner__username", "id")))
    return rows, shown, counts


def roster_row(registration) -> dict:
    learner = registration.learner
    return {
        "user_id": learner.anonymous_user_id,
        "username": learner.username,
        "full_name": learner.full_name,
        "email": learner.email,
        "registration": registration.status,
        "waitlist_position": registration.waitlist_position,
        "language": registration.language,
        "language_name": language_name(registration.language) if registration.language else "",
        "attendance": registration.attendance,
        "checked_in": registration.checked_in_at is not None,
    }


def apply_attendance(session, changes: dict, score) -> list:
    """{anonymous_id: attendance} → the changed registrations; unknown ids refuse the batch.

    Each changed registration stores `score(attendance)` = (earned, possible), whole points, and becomes
    pending for the gradebook (webinar_scores pushes it); back to "unmarked" stores earned None, which
    withdraws the earlier score (edx-submissions `reset_score`) instead of writing a 0.
    """
    with transaction.atomic():
        registrations = {reg.learner.anonymous_user_id: reg for reg in
                         Reg.objects.select_for_update().select_related("learner")
                         .filter(session=session, learner__anonymous_user_id__in=list(changes))}
        missing = [user_id for user_id in changes if user_id not in registrations]
        if missing:
            error = NotFound("unknown_user", N_("No registration for “{user_id}” in this session."),
                             user_id=missing[0])
            error.extra = {"unknown": missing[:50]}
            raise error
        changed = []
        for user_id, attendance in changes.items():
            registration = registrations[user_id]
            if registration.attendance != attendance:
                registration.attendance = attendance
                registration.score_earned, registration.score_possible = score(attendance)
                registration.score_version += 1  # the row is locked: no lost increment
                changed.append(registration)
        if changed:
            Reg.objects.bulk_update(changed, ["attendance", "score_earned", "score_possible", "score_version"])
            announce(session.course_key, [registration.learner_id for registration in changed], "attendance")
        return changed


def export_csv(session) -> str:
    """The whole roster as text (tests, small sessions); downloads stream `roster_csv`."""
    return "".join(roster_csv(session.usage_key))


def roster_csv(usage_key: str):
    """Every registration of the session, line by line, through one query (values, no model instances)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    yield "\ufeff" + out.getvalue()  # BOM: Excel then reads UTF-8 (Arabic names) correctly
    rows = (Reg.objects.filter(session__usage_key=usage_key)
            .order_by("status", "waitlist_position", "learner__username")
            .values_list("learner__username", "learner__email", "learner__full_name", "status",
                         "waitlist_position", "language", "attendance", "checked_in_at"))
    for row in rows.iterator(chunk_size=2000):
        out.seek(0)
        out.truncate()
        *head, checked_in = row
        writer.writerow([safe_cell(value) for value in head] + [iso(checked_in) or ""])
        yield out.getvalue()




def check_import_size(block, request):
    """For `request_handler(before_body=...)`: refuse an oversized upload by its Content-Length.

    In the LMS, Django has already parsed the multipart body (to memory or a temporary file) and
    answered 413 above `STUDENT_FILEUPLOAD_MAX_SIZE` before the block runs; this check only gives
    the import's own 1 MB limit a clear `file_too_large` answer."""
    length = request.content_length
    if length is not None and length > MAX_IMPORT_BYTES + 64 * 1024:  # room for the form's own headers
        raise BadRequest("file_too_large", N_("The file is larger than {max} KB."), max=MAX_IMPORT_BYTES // 1024)


def parse_import(upload: bytes) -> list:
    """[(line, who, status)] from an attendance CSV; any unreadable row refuses the whole file."""
    try:
        return _parse_import(upload)
    except csv.Error as error:  # e.g. a field longer than the csv module accepts
        raise BadRequest("invalid_file", N_("Upload a CSV file saved as UTF-8.")) from error


def _parse_import(upload: bytes) -> list:
    if len(upload) > MAX_IMPORT_BYTES:
        raise BadRequest("file_too_large", N_("The file is larger than {max} KB."), max=MAX_IMPORT_BYTES // 1024)
    try:
        # Teams saves attendance lists as UTF-16 (with a byte-order mark); Excel and Zoom as UTF-8.
        text = upload.decode("utf-16") if upload[:2] in (b"\xff\xfe", b"\xfe\xff") else upload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest("invalid_file", N_("Upload a CSV file saved as UTF-8.")) from error
    if "\x00" in text:
        raise BadRequest("invalid_file", N_("Upload a CSV file saved as UTF-8."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [column.strip().lower() for column in next(reader, [])]
    who_column = next((header.index(name) for name in USER_COLUMNS if name in header), None)
    status_column = next((header.index(name) for name in STATUS_COLUMNS if name in header), None)
    if who_column is None or status_column is None:
        raise BadRequest("missing_columns",
                         N_("The file needs a “username” or “email” column and an “attendance” column."))
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise BadRequest("too_many", N_("The file has more than {max} rows."), max=MAX_IMPORT_ROWS)
        who = row[who_column].strip().lstrip("'") if who_column < len(row) else ""
        status = row[status_column].strip().lower() if status_column < len(row) else ""
        if not who or status not in Reg.ATTENDANCE:
            problems.append({"line": line, "value": who, "status": status})
        else:
            rows.append((line, who, status))
    if problems:
        error = BadRequest("invalid_rows", N_("{count} rows have no learner or an unknown status."),
                           count=len(problems))
        error.extra = {"rows": problems[:100]}
        raise error
    return rows


def match_import(session, rows) -> dict:
    """{anonymous_id: status}; rows naming nobody registered here refuse the file (listed).

    Usernames and addresses match whatever their case (PostgreSQL compares case-sensitively).
    """
    names = {who.lower() for _, who, _ in rows}
    found = {}
    for anonymous_id, username, email in (Reg.objects.filter(session=session)
                                          .annotate(username_ci=Lower("learner__username"),
                                                    email_ci=Lower("learner__email"))
                                          .filter(Q(username_ci__in=names) | Q(email_ci__in=names))
                                          .values_list("learner__anonymous_user_id", "learner__username",
                                                       "learner__email")):
        found[username.lower()] = anonymous_id
        if email:
            found[email.lower()] = anonymous_id
    unmatched = [{"line": line, "value": who} for line, who, _ in rows if who.lower() not in found]
    if unmatched:
        error = BadRequest("unmatched_rows", N_("{count} rows match no registered learner; nothing was changed."),
                           count=len(unmatched))
        error.extra = {"unmatched": unmatched[:100]}
        raise error
    return _one_status_each(rows, found)


def _one_status_each(rows, found) -> dict:
    """{anonymous_id: status}. A learner named twice (by username or address, in any case) with the
    same status is fine; with different statuses the file contradicts itself and is refused, every
    row of such learners listed: no row silently wins."""
    statuses = {}
    for _, who, status in rows:
        statuses.setdefault(found[who.lower()], set()).add(status)
    conflicting = [{"line": line, "value": who, "status": status} for line, who, status in rows
                   if len(statuses[found[who.lower()]]) > 1]
    if conflicting:
        error = BadRequest("invalid_rows", N_("{count} rows give the same learner different statuses; nothing was "
                                              "changed."), count=len(conflicting))
        error.extra = {"rows": conflicting[:100]}
        raise error
    return {anonymous_id: next(iter(values)) for anonymous_id, values in statuses.items()}
