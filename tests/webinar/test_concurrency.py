"""Seats under a crowd: 40 learners click at once for 20 seats (MariaDB and PostgreSQL)."""

import pytest

from blended_xblocks.webinar.models import WebinarRegistration
from tests.harness import race, webinar


def at_once(workbench, usage, handler, students):
    """Every student calls `handler` at the same moment; {student: result}."""
    calls = [lambda s=s: workbench.call(usage, handler, {}, student=s) for s in students]
    return dict(zip(students, race(calls), strict=True))


@pytest.mark.concurrency
def test_forty_learners_twenty_seats_then_five_cancellations(real_db):
    workbench = real_db
    usage = workbench.load(webinar(capacity="20", waitlist="true"))
    students = [f"learner{n:02d}" for n in range(40)]
    results = at_once(workbench, usage, "register", students)
    assert sorted(result.status for result in results.values()) == [200] * 40

    rows = list(WebinarRegistration.objects.filter(session__usage_key=usage).select_related("learner"))
    registered = [row for row in rows if row.status == "registered"]
    waitlisted = sorted((row for row in rows if row.status == "waitlisted"), key=lambda row: row.waitlist_position)
    assert len(registered) == 20 and len(waitlisted) == 20
    assert [row.waitlist_position for row in waitlisted] == list(range(1, 21))

    leaving = [row.learner.username for row in registered[:5]]
    first_five = [row.learner.username for row in waitlisted[:5]]
    results = at_once(workbench, usage, "cancel", leaving)
    assert all(result.status == 200 for result in results.values())

    after = {row.learner.username: row for row in
             WebinarRegistration.objects.filter(session__usage_key=usage).select_related("learner")}
    assert all(after[name].status == "registered" for name in first_five)
    still_waiting = sorted((row for row in after.values() if row.status == "waitlisted"),
                           key=lambda row: row.waitlist_position)
    assert [row.learner.username for row in still_waiting] == [row.learner.username for row in waitlisted[5:]]
    assert [row.waitlist_position for row in still_waiting] == list(range(1, 16))
    assert sum(row.status == "registered" for row in after.values()) == 20
