"""What staff and operators do around a call: CSV and zip downloads, retirement, the supervisor's
agreement as a condition, and the offer reminder sent by the periodic command."""
import csv
import io
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from blended_xblocks.application.models import Application, ApplicationFile, ApplicationReview
from blended_xblocks.platform.models import Learner
from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import application_call as call
from tests.harness import apply


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def download(openedx, key, person, handler):
    """GET the staff handler, then follow its ticket as that person's session would."""
    from django.contrib.auth import get_user_model
    result = openedx.lms(person, staff=True).call(key, handler, method="GET")
    assert result.status == 302, result.body[:200]
    client = Client()
    client.force_login(get_user_model().objects.get(pk=person.user_id))
    response = client.get(result.headers["Location"])
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_csv_export_is_for_staff_and_its_cells_are_safe_in_a_spreadsheet(openedx):
    key = openedx.import_olx(call())
    amina = apply(openedx, key, "amina", {**GOOD, "motivation": '=HYPERLINK("http://evil.example","click")'})
    apply(openedx, key, "yusuf")
    openedx.lms(openedx.person("omar")).call(key, "save_draft", {"answers": {"role": "ngo"}, "version": 0})
    assert openedx.lms(amina).call(key, "export_applications", method="GET").status == 403
    joy = openedx.person("joy")
    openedx.lms(joy, staff=True).call(key, "review", {"user_id": amina.user_id, "scores": {"exp": 4, "plan": 4}})

    response, body = download(openedx, key, joy, "export_applications")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, lines = rows[0], {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[-5:] == ["role", "experience", "eligible", "motivation", "cv"]
    assert set(lines) == {"amina", "yusuf"}  # a draft is not an application yet
    assert lines["amina"]["motivation"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert lines["amina"]["average_score"] == "8.0" and lines["yusuf"]["average_score"] == ""


def test_the_zip_holds_each_applicants_files_in_a_folder_of_their_own(openedx, media):
    key = openedx.import_olx(call())
    for name in ("amina", "yusuf"):
        lms = openedx.lms(openedx.person(name))
        assert lms.call(key, "upload_file", post={"question": "cv", "file": (f"{name}.pdf", b"%PDF-1.4 " + name.encode())}).status == 200
        assert lms.call(key, "submit", {"answers": GOOD, "version": 1}).status == 200
    omar = openedx.lms(openedx.person("omar"))  # a draft's file stays private
    omar.call(key, "upload_file", post={"question": "cv", "file": ("omar.pdf", b"%PDF-1.4 omar")})
    assert openedx.lms(openedx.person("amina")).call(key, "download_files", method="GET").status == 403

    response, body = download(openedx, key, openedx.person("joy"), "download_files")
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
    amina = openedx.person("amina")
    mine = [name for name in names if name.startswith(f"{amina.user_id}-")][0]
    assert mine.endswith("/cv-amina.pdf") and archive.read(mine) == b"%PDF-1.4 amina"


def test_retirement_deletes_the_application_its_files_and_reviews(openedx, media, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from blended_xblocks.platform.retirement import retire_learner
    key = openedx.import_olx(call())
    amina = openedx.person("amina")
    lms = openedx.lms(amina)
    lms.call(key, "upload_file", post={"question": "cv", "file": ("cv.pdf", b"%PDF-1.4 mine")})
    assert lms.call(key, "submit", {"answers": GOOD, "version": 1}).status == 200
    yusuf = apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "review", {"user_id": amina.user_id, "scores": {"exp": 4, "plan": 4}, "note": "strong"})
    stored = ApplicationFile.objects.get()
    assert (media / stored.path).exists()

    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion has committed
        retire_learner(user=get_user_model().objects.get(pk=amina.user_id))

    assert list(Application.objects.values_list("learner__user_id", flat=True)) == [yusuf.user_id]
    assert not ApplicationFile.objects.exists() and not ApplicationReview.objects.exists()
    assert not (media / stored.path).exists()
    listed = joy.call(key, "list_applications", {}).json
    assert [row["user_id"] for row in listed["applications"]] == [yusuf.user_id]


AGREEMENT = """<blended_supervisor_agreement url_name="agreement" display_name="Your supervisor's agreement"
    programme="IOM" commitment="25 hours"/>"""


def test_a_required_agreement_must_be_approved_before_submitting_and_its_status_shows(openedx):
    agreement = openedx.import_olx(AGREEMENT)
    key = openedx.import_olx(call().replace('cohort="selected"',
                                            'agreement="blended_supervisor_agreement/agreement" agreement_required="true"'))
    amina = openedx.person("amina")
    lms = openedx.lms(amina)
    state = lms.call(key, "get_state", {}).json
    assert state["agreement"]["status"] == "not_requested" and state["agreement"]["required"] is True
    refused = lms.call(key, "submit", {"answers": GOOD, "version": 0})
    assert refused.status == 409 and refused.error_code == "agreement_required"
    assert not Application.objects.filter(status="submitted").exists()
    assert lms.call(key, "save_draft", {"answers": GOOD, "version": 0}).status == 200  # a draft can wait for it

    learner = Learner.objects.get(user_id=amina.user_id)
    SupervisorAgreement.objects.create(learner=learner, course_key=learner.course_key, usage_key=str(agreement),
                                       status="approved")
    assert lms.call(key, "get_state", {}).json["agreement"]["status"] == "approved"
    submitted = lms.call(key, "submit", {"answers": GOOD, "version": 1})
    assert submitted.status == 200 and submitted.json["application"]["status"] == "submitted"
    html = lms.render(key)
    assert "Supervisor agreement:" in html and "required to submit" in html


def test_the_calls_page_shows_each_learners_own_agreement_read_with_the_calls_row(openedx):
    """The status beside the form comes with the call's row (one statement): each learner sees their
    own, it follows an approval on the next page, and no query of its own reads the agreements."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreement = openedx.import_olx(AGREEMENT)
    key = openedx.import_olx(call().replace('cohort="selected"', 'agreement="blended_supervisor_agreement/agreement"'))
    amina, yusuf = openedx.person("amina"), openedx.person("yusuf")
    for person in (amina, yusuf):
        assert "data-ap-agreement>not_requested<" in openedx.lms(person).render(key)
    learner = Learner.objects.get(user_id=amina.user_id)
    SupervisorAgreement.objects.create(learner=learner, course_key=learner.course_key, usage_key=str(agreement),
                                       status="approved")
    with CaptureQueriesContext(connection) as captured:
        assert "data-ap-agreement>approved<" in openedx.lms(amina).render(key)
    assert "data-ap-agreement>not_requested<" in openedx.lms(yusuf).render(key)
    agreement_reads = [query["sql"] for query in captured
                       if re.search(r'[`"]blended_xblocks_supervisoragreement[`"]', query["sql"])]
    assert len(agreement_reads) == 1 and re.search(r'FROM [`"]blended_xblocks_applicationcall[`"]', agreement_reads[0]), \
        agreement_reads


def test_an_open_offer_is_reminded_once_by_the_periodic_command_and_a_lapsed_one_moves_the_waitlist(
        openedx, django_capture_on_commit_callbacks):
    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
    offer = Application.objects.get(learner__user_id=amina.user_id)
    mail.outbox.clear()

    call_command("blended_supervisor_reminders", stdout=StringIO())
    assert mail.outbox == []  # a fresh offer (7 days) is not reminded yet

    Application.objects.filter(pk=offer.pk).update(decided_at=offer.decided_at - timedelta(days=4),
                                                   offer_expires=offer.offer_expires - timedelta(days=4))
    out = StringIO()
    call_command("blended_supervisor_reminders", "--dry-run", stdout=out)
    assert "1 offer reminder(s) due" in out.getvalue() and mail.outbox == []
    call_command("blended_supervisor_reminders", stdout=StringIO())
    call_command("blended_supervisor_reminders", stdout=StringIO())  # an overlapping or later run sends nothing more
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([amina.email], "Please answer your offer: Apply for the training")]
    assert "Europe/Zurich" in mail.outbox[0].body

    # Nobody opens the call after the offer lapsed: the command passes the place on and mails.
    mail.outbox.clear()
    Application.objects.filter(pk=offer.pk).update(offer_expires=offer.decided_at - timedelta(days=5))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the promotion mail leaves once it has committed
        call_command("blended_supervisor_reminders", stdout=out)
    assert "1 waitlisted applicant(s) offered a lapsed place" in out.getvalue()
    assert Application.objects.get(pk=offer.pk).status == "expired"
    assert Application.objects.get(learner__user_id=yusuf.user_id).status == "selected"
    assert [(m.to, m.subject) for m in mail.outbox] == [([yusuf.email], "A place is yours: Apply for the training")]


SEEDS = """
  <seed_application learner="omar" language="ar" role="authority" experience="6" eligible="yes" motivation="Tripoli"/>
  <seed_application learner="kwame" role="ngo" experience="1" eligible="no" motivation="Kumasi"/>
  <seed_application learner="sara" role="ngo" experience="99" eligible="yes" motivation="Too many years"/>
"""
SEEDED = call().replace("</blended_application>", SEEDS + "</blended_application>")


def test_seeded_applicants_exist_in_the_demo_only(openedx, settings):
    settings.BLENDED_DEMO_SEED = True  # the demo's switch: no say in the LMS
    key = openedx.import_olx(SEEDED)
    joy = openedx.lms(openedx.person("joy"), staff=True)
    assert joy.call(key, "list_applications", {}).json["total"] == 0  # a real LMS creates nobody

    settings.BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.demo.platform.WorkbenchPlatform"  # the demo's host names its people
    seeded = openedx.import_olx(SEEDED.replace('url_name="call"', 'url_name="seeded"'))
    listed = joy.call(seeded, "list_applications", {"sort": "name"}).json
    # sara's answer breaks the question's rule (at most 60 years): left out
    assert [(row["username"], row["status"], row["eligible"]) for row in listed["applications"]] == [
        ("kwame", "submitted", False), ("omar", "submitted", True)]
    assert joy.call(seeded, "list_applications", {}).json["total"] == 2  # applied once
