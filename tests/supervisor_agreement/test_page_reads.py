"""What an agreement block's page reads: the learner's row with their agreement on the block, its
current request and the mails they sent today, in one query (requests.learner_with_agreement),
each exactly as the ORM reads it, on every database; and the page shows what the handler says."""
import html as html_module
import json
import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.platform.models import Learner
from blended_xblocks.supervisor_agreement import requests as flow
from blended_xblocks.supervisor_agreement.models import AgreementEvent, SupervisorAgreement, SupervisorRequest
from tests.harness import COURSE

USAGE = "block-v1:IOM+REINT+2022+type@blended_supervisor_agreement+block@agreement"
OTHER = USAGE.replace("@agreement", "@agreement2")


def _columns(model, row):
    return [getattr(row, field.attname) for field in model._meta.concrete_fields]


def _read(learner, now):
    return flow.learner_with_agreement(USAGE, now, using=None, course_key=learner.course_key,
                                       anonymous_user_id=learner.anonymous_user_id)


def test_the_learners_agreement_request_and_mails_come_with_their_row_as_the_orm_reads_them(learners):
    amina, yusuf = learners("amina", "yusuf")
    now = timezone.now()
    agreement = SupervisorAgreement.objects.create(
        learner=amina, course_key=COURSE, usage_key=USAGE, status="pending", decided_by="supervisor",
        decider_name="Dr Diallo", decision_note="", decided_at=now - timedelta(days=2))
    request = SupervisorRequest.objects.create(  # every kind of column: text, dates, numbers, a flag
        agreement=agreement, supervisor_name="Dr Diallo", supervisor_email="diallo@example.org", organisation="IOM",
        message="Merci", language="fr", learner_name="Amina", programme="IOM", link_base="https://lms/x",
        last_sent_at=now, send_count=2, remind_at=now + timedelta(days=3), reminded=True,
        expires_at=now + timedelta(days=14))
    agreement.current_request = request
    agreement.save()
    elsewhere = SupervisorAgreement.objects.create(learner=amina, course_key=COURSE, usage_key=OTHER, status="pending")
    for parent, by_learner in ((agreement, True), (elsewhere, True), (elsewhere, False), (agreement, True)):
        AgreementEvent.objects.create(agreement=parent, kind="requested", actor="learner", by_learner=by_learner)
    old = AgreementEvent.objects.filter(agreement=agreement).order_by("pk").last()
    AgreementEvent.objects.filter(pk=old.pk).update(created=now - timedelta(days=2))  # older than a day

    row, (read, mails) = _read(amina, now)

    assert _columns(Learner, row) == _columns(Learner, Learner.objects.get(pk=amina.pk))
    assert not [name for name in vars(row) if name.startswith("agreement")]  # the row is a learner's, nothing more
    assert _columns(SupervisorAgreement, read) == _columns(SupervisorAgreement, SupervisorAgreement.objects.get(pk=agreement.pk))
    assert _columns(SupervisorRequest, read.current_request) == _columns(SupervisorRequest,
                                                                         SupervisorRequest.objects.get(pk=request.pk))
    assert read.current_request.reminded is True and read._state.adding is False
    assert mails == flow.mails_sent_today(amina, now) == 2  # both blocks count; not another's, not the old one

    row, (read, mails) = _read(yusuf, now)  # the same shape for another learner: nothing of Amina's
    assert row.pk == yusuf.pk and read is None and mails == 0
    assert _read(Learner(course_key=COURSE, anonymous_user_id="nobody"), now) == (None, None)

    SupervisorAgreement.objects.filter(pk=agreement.pk).update(current_request=None, status="not_requested")
    row, (read, mails) = _read(amina, now)
    assert read.status == "not_requested" and read.current_request is None and mails == 2


AGREEMENT = """<blended_supervisor_agreement url_name="{name}" display_name="Your supervisor's agreement"
    programme="IOM" commitment="25 hours"/>"""
SUPERVISOR = {"name": "Dr Diallo", "email": "diallo@example.org", "organisation": "IOM", "message": "Merci"}


def _page_state(html):
    return json.loads(html_module.unescape(re.search(r'data-sa-state-json="([^"]*)"', html).group(1)))


def test_the_page_shows_what_the_handler_says_and_reads_our_tables_once(openedx):
    first = openedx.import_olx(AGREEMENT.format(name="agreement"))
    second = openedx.import_olx(AGREEMENT.format(name="agreement2"))
    amina, yusuf = openedx.person("amina"), openedx.person("yusuf")
    lms = openedx.lms(amina)
    assert lms.call(second, "request_approval", SUPERVISOR).status == 200  # a mail from another block counts too
    lms.render(first)
    for key in (first, second):
        with CaptureQueriesContext(connection) as captured:
            html = lms.render(key)
        ours = [query["sql"] for query in captured if "blended_xblocks_" in query["sql"]]
        assert len(ours) == 1, ours  # the learner's row, with their agreement, request and mails
        assert _page_state(html) == lms.call(key, "get_state", {}).json
    assert _page_state(lms.render(second))["status"] == "pending"
    assert _page_state(lms.render(first))["status"] == "not_requested"
    assert _page_state(lms.render(first))["mails_left_today"] == _page_state(lms.render(second))["mails_left_today"]
    assert _page_state(openedx.lms(yusuf).render(second))["status"] == "not_requested"
