"""Supervisor agreements for a large cohort: 20,000 learners in one course, 12,000 with a request.

Figures: the instructor list (first and last page, status filter), the CSV export of everyone,
one learner's request (token, mail rendering, outbox), the supervisor page and a decision, and
the reminder sweep over 1,000 due requests.
"""
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tests.harness import Workbench

OLX = ('<blended_supervisor_agreement display_name="Bench" programme="IOM reintegration" '
       'commitment="About 25 hours" link_days="14" reminder_days="5">'
       '<agreement><p>I agree to give time to follow the sessions and do the exercises.</p></agreement>'
       '</blended_supervisor_agreement>')
LEARNERS, REQUESTS, DUE = 20_000, 12_000, 1_000
SUPERVISOR = {"name": "Moussa Traoré", "email": "m.traore@ngo.example.org", "organisation": "Sahel Returns NGO"}


def populate(block):
    from blended_xblocks.platform.models import Learner
    from blended_xblocks.supervisor_agreement.models import SupervisorAgreement, SupervisorRequest

    now = timezone.now()
    Learner.objects.bulk_create([Learner(course_key=block.course_key_string, anonymous_user_id=f"b{n}", username=f"b{n:05d}",
                                         full_name=f"Learner {n:05d}") for n in range(LEARNERS)], batch_size=2000)
    learners = list(Learner.objects.filter(course_key=block.course_key_string).order_by("pk")[:REQUESTS])
    statuses = ["pending", "approved", "declined"]
    SupervisorAgreement.objects.bulk_create([
        SupervisorAgreement(learner=learner, course_key=block.course_key_string, usage_key=block.usage_key_string,
                            status=statuses[n % 3]) for n, learner in enumerate(learners)], batch_size=2000)
    agreements = list(SupervisorAgreement.objects.filter(usage_key=block.usage_key_string).order_by("pk"))
    SupervisorRequest.objects.bulk_create([SupervisorRequest(
        agreement=agreement, status=agreement.status, supervisor_name=f"Supervisor {n}",
        supervisor_email=f"s{n}@ngo.example.org", organisation="NGO", learner_name=f"Learner {n:05d}",
        programme="IOM reintegration", link_base="http://lms.example.org/handler", token_hash="0" * 64,
        last_sent_at=now - timedelta(days=6 if n < DUE * 3 else 1), expires_at=now + timedelta(days=8),
        remind_at=now - timedelta(days=1) if n < DUE * 3 else now + timedelta(days=4))
        for n, agreement in enumerate(agreements)], batch_size=2000)
    requests = dict(SupervisorRequest.objects.filter(agreement__usage_key=block.usage_key_string)
                    .values_list("agreement_id", "pk"))
    for agreement in agreements:
        agreement.current_request_id = requests[agreement.pk]
    SupervisorAgreement.objects.bulk_update(agreements, ["current_request"], batch_size=2000)


def run(report, measure):
    from blended_xblocks.supervisor_agreement.mail import send_with_django
    from blended_xblocks.supervisor_agreement.requests import due_reminders, send_reminder

    workbench = Workbench()
    usage = workbench.load(OLX)
    block = workbench.block(usage)
    populate(block)
    report("learners", LEARNERS)
    report("requests", REQUESTS)
    for name, body in [("first page of 50", {}), ("last page of 50", {"page": LEARNERS // 50}),
                       ("pending filter, page 10 of 200", {"status": "pending", "page": 10, "page_size": 200}),
                       ("never asked, page 1", {"status": "not_requested"})]:
        with measure(f"instructor list, {name}"):
            result = workbench.call(usage, "list_agreements", body, student="instructor")
        assert result.status == 200 and result.json["agreements"], result.body[:200]
    with measure("CSV export of 20,000 learners"):
        result = workbench.call(usage, "export_agreements", method="GET", student="instructor")
    report("CSV export size", len(result.body) / 1024, "KiB")
    with measure("learner request (token, mail in 2 parts, audit)"):
        result = workbench.call(usage, "request_approval", SUPERVISOR, student="newcomer")
    assert result.status == 200
    link = mail.outbox[-1].body.split("?token=")[1].split()[0]
    from urllib.parse import unquote
    with measure("supervisor page (GET)"):
        shown = workbench.call(usage, "supervisor_review", method="GET", query=f"token={link}", student="none")
    assert shown.status == 200
    with measure("supervisor decision (POST)"):
        done = workbench.call(usage, "supervisor_review", student="none",
                              post={"token": unquote(link), "decision": "approve", "signer_name": "Moussa Traoré"})
    assert done.status == 200
    due = due_reminders()
    report("reminders due", len(due))
    with measure(f"reminder sweep over {len(due)} due requests"):
        sent = sum(send_reminder(request_id, send_with_django) for request_id in due)
    report("reminders sent", sent)
