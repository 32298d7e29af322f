"""The reminder command: one reminder after reminder_days, expiry of old links."""
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.utils import timezone

from blended_xblocks.supervisor_agreement.models import SupervisorRequest
from tests.harness import SUPERVISOR_AGREEMENT as OLX
from tests.harness import ask, decide, token_from
from tests.harness import review_page as page


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX.format(weight="0"))


def run_at(days_later, *args):
    out = StringIO()
    when = timezone.now() + timedelta(days=days_later)
    with mock.patch("django.utils.timezone.now", return_value=when):
        call_command("blended_supervisor_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminder_is_sent_once_after_reminder_days_with_a_working_link(workbench, usage):
    first = ask(workbench, usage)
    assert "0 reminder(s) sent" in run_at(4)
    assert len(django_mail.outbox) == 1
    assert "1 reminder(s) due" in run_at(6, "--dry-run") and len(django_mail.outbox) == 1
    assert "1 reminder(s) sent" in run_at(6)
    reminder = django_mail.outbox[-1]
    assert reminder.subject.startswith("Reminder") and reminder.to == ["m.traore@ngo.example.org"]
    assert "0 reminder(s) sent" in run_at(7)  # only once
    assert len(django_mail.outbox) == 2
    assert page(workbench, usage, first).status == 410  # the reminder's link replaces the first one
    assert decide(workbench, usage, token_from(reminder)).status == 200


def test_decided_or_withdrawn_requests_get_no_reminder(workbench, usage):
    decide(workbench, usage, ask(workbench, usage))
    ask(workbench, usage, student="yusuf")
    workbench.call(usage, "cancel_request", {}, student="yusuf")
    assert "0 reminder(s) sent" in run_at(6)
    assert len(django_mail.outbox) == 2


def test_old_links_expire_and_the_learner_sees_it(workbench, usage):
    ask(workbench, usage)
    assert "1 link(s) expired" in run_at(15)
    assert SupervisorRequest.objects.get().status == "expired"
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "expired" and state["can_resend"]
    listing = workbench.call(usage, "list_agreements", {"status": "expired"}, student="instructor").json
    assert [row["user_id"] for row in listing["agreements"]] == ["amina"]


def test_reminder_days_zero_means_no_reminder(workbench):
    usage = workbench.load(OLX.format(weight="0").replace('reminder_days="5"', 'reminder_days="0"'))
    ask(workbench, usage)
    assert "0 reminder(s) sent" in run_at(10)


def test_failed_reminder_stays_due(workbench, usage):
    ask(workbench, usage)
    with mock.patch("blended_xblocks.supervisor_agreement.mail.EmailMultiAlternatives.send",
                    side_effect=OSError("smtp down")):
        assert "1 failed" in run_at(6)
    assert "1 reminder(s) sent" in run_at(6)
