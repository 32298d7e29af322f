"""Races on one agreement, with real threads on a real database (MariaDB, PostgreSQL)."""
import pytest

from blended_xblocks.supervisor_agreement.models import AgreementEvent, SupervisorAgreement, SupervisorRequest
from tests.harness import SUPERVISOR, ask, decide, race
from tests.harness import SUPERVISOR_AGREEMENT as OLX

pytestmark = pytest.mark.concurrency


@pytest.mark.parametrize("attempt", range(3))
def test_two_decisions_on_one_link_exactly_one_wins(real_db, attempt):
    usage = real_db.load(OLX.format(weight="0"))
    token = ask(real_db, usage)
    results = race([lambda: decide(real_db, usage, token, "approve", "Moussa Traoré"),
                   lambda: decide(real_db, usage, token, "decline", "Moussa Traoré", "No time")])
    statuses = sorted(result.status for result in results)
    assert statuses == [200, 409], results
    winner = "approved" if results[0].status == 200 else "declined"
    assert SupervisorAgreement.objects.get().status == winner
    assert AgreementEvent.objects.filter(kind__in=("approved", "declined")).count() == 1


def test_decision_racing_a_new_supervisor_never_approves_the_replaced_request(real_db):
    usage = real_db.load(OLX.format(weight="0"))
    token = ask(real_db, usage)
    results = race([lambda: decide(real_db, usage, token),
                   lambda: real_db.call(usage, "request_approval", {**SUPERVISOR, "name": "Halima Yusuf"})])
    agreement = SupervisorAgreement.objects.select_related("current_request").get()
    if results[0].status == 200:  # the decision came first: the change of supervisor is refused
        assert results[1].status == 409 and agreement.status == "approved"
        assert agreement.current_request.supervisor_name == "Moussa Traoré"
    else:  # the new supervisor came first: the old link is refused
        assert results[0].status == 410 and results[1].status == 200
        assert agreement.status == "pending" and agreement.current_request.supervisor_name == "Halima Yusuf"
    assert SupervisorRequest.objects.filter(status="approved").count() <= 1


def test_parallel_requests_from_one_learner_leave_one_pending_link(real_db):
    usage = real_db.load(OLX.format(weight="0"))
    real_db.call(usage, "get_state")
    results = race([lambda i=i: real_db.call(usage, "request_approval", {**SUPERVISOR, "name": f"Boss {i}"})
                     for i in range(3)])
    assert all(result.status == 200 for result in results), results
    assert SupervisorRequest.objects.filter(status="pending").count() == 1
    assert SupervisorAgreement.objects.count() == 1


def test_two_blocks_mailing_at_once_respect_the_learners_daily_limit(real_db, settings):
    """The limit is per learner across the course: two agreement blocks cannot both use the last mail."""
    bucket = dict(settings.XBLOCK_SETTINGS.get("BlendedXBlocks", {}), SUPERVISOR_MAILS_PER_DAY=1)
    settings.XBLOCK_SETTINGS = {**settings.XBLOCK_SETTINGS, "BlendedXBlocks": bucket}
    first, second = real_db.load(OLX.format(weight="0")), real_db.load(OLX.format(weight="0"))
    real_db.call(first, "get_state")
    real_db.call(second, "get_state")
    results = race([lambda: real_db.call(first, "request_approval", SUPERVISOR),
                    lambda: real_db.call(second, "request_approval", SUPERVISOR)])
    assert sorted(result.status for result in results) == [200, 429], results
    assert AgreementEvent.objects.filter(by_learner=True).count() == 1
    assert SupervisorRequest.objects.count() == 1
