"""The call for applications in an Open edX host: OLX, the applicant's form and staff's selection."""
from unittest import mock

from django.core import mail
from lxml import etree

from blended_xblocks.application.models import Application
from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import application_call as call
from tests.harness import apply
from tests.openedx.host import OpenEdxHost


def test_olx_round_trip_keeps_questions_criteria_and_settings(openedx):
    key = openedx.import_olx(call())
    exported = openedx.export_olx(key)
    again = OpenEdxHost().import_olx(exported)
    assert again == key
    node = etree.fromstring(exported)
    assert node.get("places") == "2" and node.get("timezone") == "Europe/Zurich" and node.get("cohort") == "selected"
    questions = node.findall("question")
    assert [q.get("id") for q in questions] == ["role", "experience", "eligible", "motivation", "cv"]
    assert questions[2].get("must_be") == "yes" and [c.get("value") for c in questions[0]] == ["ngo", "authority"]
    assert [(c.get("id"), c.get("points")) for c in node.findall("criterion")] == [("exp", "5"), ("plan", "5")]
    assert "Lake Chad" in etree.tostring(node.find("description"), encoding="unicode")


def test_the_applicant_sees_the_deadline_in_both_zones_and_the_form(openedx):
    key = openedx.import_olx(call())
    html = openedx.lms(openedx.person("amina", time_zone="Africa/Dakar")).render(key)
    assert "Europe/Zurich" in html and "(Africa/Dakar)" in html
    assert "Why do you apply?" in html and "Lake Chad" in html


def error_names(result, field):
    """The refusal names the field the applicant must correct (in its message, as every handler does)."""
    return f"“{field}”" in result.json["error"]["message"]


def test_draft_versions_submit_edit_and_withdraw(openedx, django_capture_on_commit_callbacks):
    key = openedx.import_olx(call())
    amina = openedx.person("amina")
    lms = openedx.lms(amina)
    first = lms.call(key, "save_draft", {"answers": {"role": "ngo"}, "version": 0})
    assert first.status == 200 and first.json["application"]["status"] == "draft"
    stale = lms.call(key, "save_draft", {"answers": {"role": "authority"}, "version": 0})
    assert stale.status == 409 and stale.error_code == "version_conflict"
    assert stale.json["error"]["draft"]["answers"] == {"role": "ngo"}
    incomplete = lms.call(key, "submit", {"answers": {"role": "ngo"}, "version": 1})
    assert incomplete.status == 400 and incomplete.error_code == "required" and error_names(incomplete, "answers.experience")
    with django_capture_on_commit_callbacks(execute=True):
        submitted = lms.call(key, "submit", {"answers": GOOD, "version": 1})
    assert submitted.json["application"]["status"] == "submitted"
    assert len(mail.outbox) == 1 and "Application received" in mail.outbox[0].subject
    edited = lms.call(key, "save_draft", {"answers": {**GOOD, "experience": 4}, "version": 2})
    assert edited.json["application"]["status"] == "submitted" and edited.json["application"]["answers"]["experience"] == 4
    emptied = lms.call(key, "save_draft", {"answers": {"role": "ngo"}, "version": 3})
    assert emptied.status == 400 and emptied.error_code == "required"  # a submitted application stays complete
    assert lms.call(key, "withdraw", {}).json["application"]["status"] == "withdrawn"
    assert lms.call(key, "withdraw", {}).error_code == "not_applied"


def test_answers_outside_the_rules_are_refused_naming_the_field(openedx):
    key = openedx.import_olx(call())
    lms = openedx.lms(openedx.person("amina"))
    cases = [({"role": "ministry"}, "answers.role", "invalid_choice"),
             ({"experience": 61}, "answers.experience", "out_of_range"),
             ({"experience": "3"}, "answers.experience", "invalid_answer"),
             ({"experience": True}, "answers.experience", "invalid_answer"),
             ({"eligible": "maybe"}, "answers.eligible", "invalid_choice"),
             ({"motivation": "x" * 3001}, "answers.motivation", "too_long"),
             ({"motivation": "\x00"}, "answers.motivation", "invalid_answer"),
             ({"cv": "cv.pdf"}, "answers.cv", "invalid_answer"),
             ({"salary": 1}, "answers.salary", "unknown_field")]
    for answers, field, code in cases:
        result = lms.call(key, "save_draft", {"answers": answers, "version": 0})
        assert (result.status, result.error_code, error_names(result, field)) == (400, code, True), answers
    assert not Application.objects.exists()


def test_a_disqualifying_answer_is_shown_before_submitting_and_staff_cannot_select_it(openedx):
    key = openedx.import_olx(call())
    omar = openedx.person("omar")
    result = openedx.lms(omar).call(key, "save_draft", {"answers": {"eligible": "no"}, "version": 0})
    assert result.json["application"]["disqualified"] == ["eligible"] and result.json["application"]["eligible"] is False
    openedx.lms(omar).call(key, "submit", {"answers": {**GOOD, "eligible": "no"}, "version": 1})
    staff = openedx.lms(openedx.person("joy"), staff=True)
    row = staff.call(key, "list_applications", {}).json["applications"][0]
    assert row["eligible"] is False
    refused = staff.call(key, "decide", {"user_ids": [omar.user_id], "decision": "selected"})
    assert refused.status == 409 and refused.error_code == "not_eligible"


def test_late_submission_is_refused_on_server_time(openedx):
    key = openedx.import_olx(call(deadline_minutes=-1))
    result = openedx.lms(openedx.person("amina")).call(key, "submit", {"answers": GOOD, "version": 0})
    assert result.status == 409 and result.error_code == "deadline_passed"
    early = openedx.import_olx(call(opens_minutes=60).replace('url_name="call"', 'url_name="later"'))
    assert openedx.lms(openedx.person("amina")).call(early, "save_draft", {"answers": {}, "version": 0}).error_code == "not_open"
    assert not Application.objects.exists()


def test_a_pdf_is_attached_and_a_fake_one_refused(openedx):
    key = openedx.import_olx(call())
    lms = openedx.lms(openedx.person("amina"))
    fake = lms.call(key, "upload_file", post={"question": "cv", "file": ("cv.pdf", b"MZ not a pdf")})
    assert fake.status == 400 and fake.error_code == "file_content_mismatch"
    wrong = lms.call(key, "upload_file", post={"question": "motivation", "file": ("cv.pdf", b"%PDF-1.4")})
    assert wrong.status == 400 and error_names(wrong, "question")
    good = lms.call(key, "upload_file", post={"question": "cv", "file": ("my cv.pdf", b"%PDF-1.4 hello")})
    assert good.status == 200 and good.json["state"]["application"]["files"][0]["name"] == "my cv.pdf"


def test_an_applicant_reads_a_refused_file_in_their_language(openedx):
    """The upload checks the group assignment had are shared (core/uploads.py): their messages are
    translated for applicants too."""
    key = openedx.import_olx(call())
    fake = openedx.lms(openedx.person("amina")).call(key, "upload_file", language="fr",
                                                      post={"question": "cv", "file": ("cv.pdf", b"MZ not a pdf")})
    assert fake.status == 400 and fake.json["error"]["message"] == "Le contenu de ce fichier ne correspond pas à son type .pdf."


def test_learners_cannot_call_staff_handlers(openedx):
    key = openedx.import_olx(call())
    lms = openedx.lms(openedx.person("amina"))
    for handler, data in (("list_applications", {}), ("get_application", {"user_id": 1}),
                          ("review", {"user_id": 1, "scores": {}}), ("decide", {"user_ids": [1], "decision": "selected"})):
        assert lms.call(key, handler, data).status == 403
    assert lms.call(key, "export_applications", method="GET").status == 403


def test_reviews_decisions_places_waitlist_and_promotion(openedx, django_capture_on_commit_callbacks):
    key = openedx.import_olx(call(places=1))
    amina, yusuf, fatou = (apply(openedx, key, name) for name in ("amina", "yusuf", "fatou"))
    joy, sophie = openedx.lms(openedx.person("joy"), staff=True), openedx.lms(openedx.person("sophie"), staff=True)
    assert joy.call(key, "review", {"user_id": amina.user_id, "scores": {"exp": 5, "plan": 3}}).json["average"] == 8
    bad = joy.call(key, "review", {"user_id": amina.user_id, "scores": {"exp": 6, "plan": 3}})
    assert bad.status == 400 and error_names(bad, "scores.exp")
    mine = sophie.call(key, "review", {"user_id": amina.user_id, "scores": {"exp": 3, "plan": 2}, "note": "good"}).json
    assert mine["average"] == 6.5 and mine["reviews"] == 2 and mine["my_review"]["total"] == 5
    assert joy.call(key, "get_application", {"user_id": amina.user_id}).json["my_review"]["total"] == 8

    too_many = joy.call(key, "decide", {"user_ids": [amina.user_id, yusuf.user_id], "decision": "selected"})
    assert too_many.status == 409 and too_many.error_code == "no_places_left"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected", "message": "Welcome"}).status == 200
        joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
        joy.call(key, "decide", {"user_ids": [fatou.user_id], "decision": "not_selected", "message": "Next year"})
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "You are on the waitlist", "You are selected", "Your application"]
    listed = joy.call(key, "list_applications", {"sort": "-score"}).json
    assert listed["places_left"] == 0 and listed["applications"][0]["average"] == 6.5
    assert listed["counts"]["waitlisted"] == 1
    assert openedx.lms(yusuf).call(key, "get_state", {}).json["application"]["waitlist_position"] == 1
    assert openedx.lms(fatou).call(key, "get_state", {}).json["application"]["message"] == "Next year"

    mail.outbox.clear()
    learner = openedx.lms(amina)
    with django_capture_on_commit_callbacks(execute=True):
        assert learner.call(key, "decline_offer", {}).json["application"]["status"] == "declined"
        assert learner.call(key, "decline_offer", {}).json["application"]["status"] == "declined"  # a double click
    assert [m.to for m in mail.outbox] == [[yusuf.email]] and "A place is yours" in mail.outbox[0].subject
    with mock.patch("blended_xblocks.platform.adapter.OpenEdxPlatform.add_to_cohort") as cohort, \
            django_capture_on_commit_callbacks(execute=True):
        assert openedx.lms(yusuf).call(key, "accept_offer", {}).json["application"]["status"] == "accepted"
        assert openedx.lms(yusuf).call(key, "accept_offer", {}).json["application"]["status"] == "accepted"
    assert cohort.call_args_list == [mock.call(yusuf.user_id, "selected")] * 2  # joining again changes nothing
    assert learner.call(key, "accept_offer", {}).error_code == "no_offer"


def test_an_expired_offer_passes_down_the_waitlist(openedx):
    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
    from datetime import timedelta
    Application.objects.filter(learner__user_id=amina.user_id).update(
        offer_expires=Application.objects.get(learner__user_id=amina.user_id).decided_at - timedelta(seconds=1))
    late = openedx.lms(amina).call(key, "accept_offer", {})
    assert late.status == 409 and late.error_code == "offer_expired"
    assert openedx.lms(yusuf).call(key, "get_state", {}).json["application"]["status"] == "selected"


def test_the_staff_list_costs_the_same_queries_for_2000_applicants(openedx, django_assert_max_num_queries):
    from blended_xblocks.application.models import ApplicationCall
    from blended_xblocks.platform.models import Learner
    key = openedx.import_olx(call(places=20))
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "list_applications", {})
    row = ApplicationCall.objects.get(usage_key=str(key))

    def seed(count, start):
        learners = Learner.objects.bulk_create([Learner(course_key=row.course_key, anonymous_user_id=f"a{n}", user_id=n,
                                                        username=f"u{n}", full_name=f"Person {n}") for n in range(start, start + count)])
        Application.objects.bulk_create([Application(call=row, learner=learner, status="submitted", answers=GOOD)
                                         for learner in learners])

    seed(10, 100_000)
    with django_assert_max_num_queries(12) as few:
        assert joy.call(key, "list_applications", {"page_size": 50, "sort": "score", "search": "Person"}).json["total"] == 10
    seed(1990, 200_000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert joy.call(key, "list_applications", {"page_size": 50, "sort": "score", "search": "Person"}).json["total"] == 2000
