"""The instructor's cohort matrix: learners × requirements, filtered, searched, paged, exported.

Every learner of the course is judged in bulk (a fixed number of queries whatever the cohort),
so the filters `met` and `at_risk` and their counts are exact; only the page's names are read.
"""
from __future__ import annotations

import csv
import io

from django.db.models import Q

from ..models import Learner, ProgrammeCertificate
from ..spreadsheet import safe_cell
from .programme import Person, judge

STATUSES = ("all", "met", "at_risk")


def _learners(course_key: str, search: str):
    learners = Learner.objects.filter(course_key=course_key).exclude(username="retired")
    if search:
        learners = learners.filter(Q(username__icontains=search) | Q(full_name__icontains=search)
                                   | Q(email__icontains=search))
    return learners


def judged_cohort(definition, course_key: str, search: str, reader) -> list:
    """[(Person, ProgrammeStatus, (learner_id, user_id, username, full_name))] for every matching learner, by username."""
    rows = list(_learners(course_key, search).order_by("username", "id")
                .values_list("id", "user_id", "username", "full_name", "anonymous_user_id"))
    people = [Person(learner_id=row[0], user_id=row[1], anonymous_id=row[4]) for row in rows]
    statuses = judge(definition, people, reader)
    return [(person, statuses[person], row) for person, row in zip(people, rows, strict=True)]


def cohort_page(definition, course_key: str, *, status: str, search: str, page: int, page_size: int, reader) -> dict:
    judged = judged_cohort(definition, course_key, search, reader)
    counts = {"all": len(judged), "met": sum(1 for _, s, _ in judged if s.met),
              "at_risk": sum(1 for _, s, _ in judged if s.at_risk)}
    if status == "met":
        judged = [entry for entry in judged if entry[1].met]
    elif status == "at_risk":
        judged = [entry for entry in judged if entry[1].at_risk]
    start = (page - 1) * page_size
    shown = judged[start:start + page_size]
    held = dict(ProgrammeCertificate.objects.filter(usage_key=definition.usage_key,
                                                    learner_id__in=[row[0] for _, _, row in shown])
                .values_list("learner_id", "revoked_at"))
    learners = [{"user_id": row[1], "username": row[2], "full_name": row[3],
                 "requirements": {r.requirement_id: {"met": r.met, "done": r.done, "needed": r.needed}
                                  for r in programme.requirements},
                 "met": programme.met, "at_risk": programme.at_risk, "progress": round(programme.share_done, 4),
                 "certificate": "none" if row[0] not in held else "revoked" if held[row[0]] else "issued"}
                for _, programme, row in shown]
    return {"learners": learners, "total": len(judged), "counts": counts, "page": page, "page_size": page_size}


def cohort_csv(definition, course_key: str, requirements, reader, yes: str, no: str) -> str:
    """Every learner with each requirement's done/needed and overall status (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user_id", "username", "full_name", *[f"{r.id} ({r.label})" for r in requirements], "met",
                     "at_risk"])
    for _, programme, row in judged_cohort(definition, course_key, "", reader):
        cells = [f"{status.done}/{status.needed}" for status in programme.requirements]
        writer.writerow([safe_cell(row[1]), safe_cell(row[2]), safe_cell(row[3]), *cells, yes if programme.met else no,
                         yes if programme.at_risk else no])
    return "\ufeff" + out.getvalue()
