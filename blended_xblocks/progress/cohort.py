"""The instructor's cohort matrix: learners × requirements, filtered, searched, paged, exported.

Who is in the cohort: in the LMS, the course's active enrolments less its staff (the reader's
`enrolled_learners`), each joined to our `Learner` row when they have one; an enrolled learner who
never opened one of our blocks is judged on the platform's completion and scores alone (nothing of
our blocks yet). Where the platform keeps no enrolments (the demo workbench) it is whoever our
blocks know. Every member is judged in bulk (a fixed number of queries whatever the cohort), so the
filters `met` and `at_risk` and their counts are exact; each member's certificate comes with their
`Learner` row (a subquery), not in a query of its own.

A page reads our tables three times whatever the cohort and the number of blocks: the programme's
published copy, the members with their certificates, and one statement for every kind of outcome its
requirements name with the published settings they are judged by (programme.read_outcomes: a UNION
of the rows each block package's api shapes in core/outcome_rows.py's layout, so progress never
names their columns). Two more when a sharing session requires attendance at a live session: the
sessions it names and their attendance, which depend on those settings.
"""
from __future__ import annotations

import csv
import io
from typing import NamedTuple

from django.db.models import Case, CharField, OuterRef, Q, Subquery, Value, When

from blended_xblocks.core.pagination import page_of
from blended_xblocks.core.spreadsheet import safe_cell
from blended_xblocks.platform.models import Learner
from blended_xblocks.progress.models import ProgrammeCertificate
from blended_xblocks.progress.programme import Person, judge

STATUSES = ("all", "met", "at_risk")


class Member(NamedTuple):
    """One row of the cohort: our `Learner` row (None if they never opened one of our blocks) and
    who they are on the platform."""

    learner_id: int | None
    user_id: int | None
    username: str
    full_name: str
    email: str
    anonymous_id: str | None
    certificate: str = "none"  # "issued", "revoked" or "none" (read only when asked for: `with_certificates`)


def _certificate_state(usage_key: str | None):
    """A `Learner` row's certificate of the programme: "issued", "revoked" or None (a subquery)."""
    if not usage_key:
        return Value(None, output_field=CharField())
    return Subquery(ProgrammeCertificate.objects.filter(usage_key=usage_key, learner_id=OuterRef("pk"))
                    .annotate(state=Case(When(revoked_at__isnull=True, then=Value("issued")), default=Value("revoked"),
                                         output_field=CharField()))
                    .values("state")[:1])


def _known_learners(course_key: str, search: str, usage_key: str | None) -> list[Member]:
    """Whoever our blocks know (staff who opened only the programme have no row)."""
    learners = Learner.objects.filter(course_key=course_key).exclude(username="retired")
    if search:
        learners = learners.filter(Q(username__icontains=search) | Q(full_name__icontains=search)
                                   | Q(email__icontains=search))
    return [Member(*row[:6], certificate=row[6] or "none") for row in learners.order_by("username", "id")
            .annotate(certificate=_certificate_state(usage_key))
            .values_list("id", "user_id", "username", "full_name", "email", "anonymous_user_id", "certificate")]


def _enrolled_members(course_key: str, enrolled, search: str, usage_key: str | None) -> list[Member]:
    """The enrolled learners, each with their `Learner` row if any (one query); names, e-mail and
    the search come from the platform's accounts, which are current."""
    rows = {}
    for row in (Learner.objects.filter(course_key=course_key, user_id__isnull=False).order_by("id")
                .annotate(certificate=_certificate_state(usage_key))
                .values_list("id", "user_id", "username", "anonymous_user_id", "certificate")):
        rows.setdefault(row[1], row)  # the oldest row of a user, should there be two
    needle = search.casefold()
    members = []
    for person in enrolled:
        row = rows.get(person.user_id)
        if row is not None and row[2] == "retired":
            continue
        if needle and not any(needle in text.casefold() for text in (person.username, person.full_name, person.email)):
            continue
        members.append(Member(row[0] if row else None, person.user_id, person.username, person.full_name,
                              person.email, row[3] if row else None, (row[4] if row else None) or "none"))
    return sorted(members, key=lambda member: (member.username, member.user_id))


def cohort_members(course_key: str, search: str, reader, certificates_of: str | None = None) -> list[Member]:
    """The cohort's members; with `certificates_of` (a programme's usage key), their certificate of it."""
    enrolled_learners = getattr(reader, "enrolled_learners", None)  # readers of hosts without enrolments lack it
    enrolled = enrolled_learners(course_key) if enrolled_learners else None
    if enrolled is None:
        return _known_learners(course_key, search, certificates_of)
    return _enrolled_members(course_key, enrolled, search, certificates_of)


def judged_cohort(definition, course_key: str, search: str, reader, *, with_certificates=False) -> list:
    """[(Person, ProgrammeStatus, Member)] for every matching member of the cohort, by username."""
    members = cohort_members(course_key, search, reader, definition.usage_key if with_certificates else None)
    people = [Person(learner_id=member.learner_id, user_id=member.user_id, anonymous_id=member.anonymous_id)
              for member in members]
    statuses = judge(definition, people, reader)
    return [(person, statuses[person], member) for person, member in zip(people, members, strict=True)]


def cohort_page(definition, course_key: str, *, status: str, search: str, page: int, page_size: int, reader) -> dict:
    judged = judged_cohort(definition, course_key, search, reader, with_certificates=True)
    counts = {"all": len(judged), "met": sum(1 for _, s, _ in judged if s.met),
              "at_risk": sum(1 for _, s, _ in judged if s.at_risk)}
    if status == "met":
        judged = [entry for entry in judged if entry[1].met]
    elif status == "at_risk":
        judged = [entry for entry in judged if entry[1].at_risk]
    listed = page_of(len(judged), page, page_size)
    shown = listed.rows(judged)
    learners = [{"user_id": member.user_id, "username": member.username, "full_name": member.full_name,
                 "requirements": {r.requirement_id: {"met": r.met, "done": r.done, "needed": r.needed}
                                  for r in programme.requirements},
                 "met": programme.met, "at_risk": programme.at_risk, "progress": round(programme.share_done, 4),
                 "certificate": member.certificate}
                for _, programme, member in shown]
    return listed.json("learners", learners, counts=counts)


def cohort_csv(definition, course_key: str, requirements, reader, yes: str, no: str) -> str:
    """Every member with each requirement's done/needed and overall status (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["user_id", "username", "full_name", *[f"{r.id} ({r.label})" for r in requirements], "met", "at_risk"]
    writer.writerow([safe_cell(cell) for cell in header])  # an author's label is text like any other
    for _, programme, member in judged_cohort(definition, course_key, "", reader):
        cells = [f"{status.done}/{status.needed}" for status in programme.requirements]
        writer.writerow([safe_cell(cell) for cell in (member.user_id, member.username, member.full_name, *cells,
                                                      yes if programme.met else no, yes if programme.at_risk else no)])
    return "\ufeff" + out.getvalue()
