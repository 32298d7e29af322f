"""Places under a crowd of decisions and answers (MariaDB and PostgreSQL): never more than `places`."""
import pytest

from blended_xblocks.application.models import Application
from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import application_call as call
from tests.harness import race

STAFF = "instructor"


@pytest.mark.concurrency
def test_forty_concurrent_decisions_and_answers_never_exceed_the_places(real_db):
    workbench = real_db
    usage = workbench.load(call(places=10))
    students = [f"applicant{n:02d}" for n in range(40)]
    for student in students:
        assert workbench.call(usage, "submit", {"answers": GOOD, "version": 0}, student=student).status == 200
    ids = {row.learner.username: row.learner.user_id for row in Application.objects.select_related("learner")}

    results = race([lambda s=s: workbench.call(usage, "decide", {"user_ids": [ids[s]], "decision": "selected"},
                                               student=STAFF) for s in students])
    assert sorted(result.status for result in results) == [200] * 10 + [409] * 30
    selected = [s for s in students if Application.objects.get(learner__user_id=ids[s]).status == "selected"]
    waiting = [s for s in students if s not in selected][:20]
    for student in waiting:
        workbench.call(usage, "decide", {"user_ids": [ids[student]], "decision": "waitlisted"}, student=STAFF)

    # Half the selected decline, half accept, while staff try to select 20 more: 40 calls at once.
    calls = [lambda s=s: workbench.call(usage, "decline_offer", {}, student=s) for s in selected[:5]]
    calls += [lambda s=s: workbench.call(usage, "accept_offer", {}, student=s) for s in selected[5:]]
    calls += [lambda s=s: workbench.call(usage, "decide", {"user_ids": [ids[s]], "decision": "selected"}, student=STAFF)
              for s in students if s not in selected][:40 - len(calls)]
    assert all(result.status in (200, 409) for result in race(calls))
    holding = Application.objects.filter(status__in=Application.HOLDING_A_PLACE).count()
    assert holding == 10
    positions = sorted(Application.objects.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
