"""The progress block as learners, instructors and strangers use it, hosted as Open edX hosts it."""
import re
from unittest import mock

import pytest

from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition
from tests.harness import approve, mark, programme


def test_a_learner_goes_from_nothing_to_a_verifiable_certificate(course):
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    lms = course.lms(amina)
    html = lms.render(key)
    assert "0 of 1 webinar attended" in html and "Not yet" in html
    state = lms.call(key, "get_state").json
    assert [(r["id"], r["met"], r["done"], r["needed"]) for r in state["requirements"]] == [
        ("webinars", False, 0, 1), ("supervisor", False, 0, 1)]
    assert state["next_sessions"][0]["title"] == "Webinar 1"
    assert state["requirements"][0]["left"][0]["url"].endswith("/jump_to/" + str(course.w1))

    mark(course, course.w1, amina, "late")
    state = lms.call(key, "get_state").json
    assert state["requirements"][0]["met"] and not state["met"] and state["progress"] == 0.5
    assert state["certificate"]["status"] == "not_yet"

    approve(course, amina)
    state = lms.call(key, "get_state").json
    assert state["met"] and state["certificate"]["status"] == "available"
    code = state["certificate"]["code"]
    assert re.fullmatch(r"[0-9a-f]{32}", code)
    assert course.gradebook_score(key, amina).earned == 2  # the programme's weight, as an integer

    printed = lms.call(key, "certificate", method="GET")
    assert printed.status == 200 and "Amina Diallo" in printed.body.decode() and code in printed.body.decode()
    verify = course.lms_noauth(None).call(key, "verify", method="GET", query=f"code={code}")
    assert verify.status == 200 and "This certificate is valid." in verify.body.decode()
    assert "Amina Diallo" in verify.body.decode() and "EU-IOM Knowledge Management Hub" in verify.body.decode()


def test_the_cohort_export_never_hands_a_spreadsheet_a_formula(course):
    key = programme(course)
    course.lms(course.person("amina", '=HYPERLINK("http://evil.example","Open")')).render(key)
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    csv_text = staff.call(key, "export_cohort", method="GET").body.decode("utf-8-sig")
    assert "'=HYPERLINK(" in csv_text and ",=HYPERLINK(" not in csv_text and ',"=HYPERLINK(' not in csv_text


def test_a_certificate_waits_for_its_release_date(course):
    key = programme(course, release="2999-01-01T09:00")
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w2, amina, "present")
    approve(course, amina)
    state = course.lms(amina).call(key, "get_state").json
    assert state["certificate"]["status"] == "earned" and state["certificate"]["url"] is None
    assert state["certificate"]["available_from"].startswith("2999-01-01T08:00")
    assert course.lms(amina).call(key, "certificate", method="GET").error_code == "not_released"


def test_instructors_see_the_cohort_and_who_is_at_risk(course):
    key = programme(course)
    amina, yusuf = course.person("amina", "Amina Diallo"), course.person("yusuf", "Yusuf Abdi")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    course.lms(amina).render(key)
    mark(course, course.w1, yusuf, "absent")
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    page = staff.call(key, "cohort", {"page": 1, "page_size": 10}).json
    rows = {row["username"]: row for row in page["learners"]}
    assert rows["amina"]["met"] and rows["amina"]["requirements"]["webinars"] == {"met": True, "done": 1, "needed": 1}
    assert not rows["yusuf"]["met"] and rows["yusuf"]["requirements"]["supervisor"]["done"] == 0
    assert page["counts"]["met"] == 1 and page["total"] == page["counts"]["all"]
    met = staff.call(key, "cohort", {"status": "met"}).json
    assert [row["username"] for row in met["learners"]] == ["amina"]
    found = staff.call(key, "cohort", {"search": "yus"}).json
    assert [row["username"] for row in found["learners"]] == ["yusuf"]
    csv_text = staff.call(key, "export_cohort", method="GET").body.decode("utf-8-sig")
    assert f"{amina.user_id},amina,Amina Diallo,1/1,1/1,yes,no" in csv_text.replace("\r", "")
    assert rows["amina"]["certificate"] == "issued" and rows["yusuf"]["certificate"] == "none"


def test_learners_cannot_use_staff_handlers_and_a_revoked_certificate_says_so(course):
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    code = course.lms(amina).call(key, "get_state").json["certificate"]["code"]
    assert course.lms(amina).call(key, "cohort", {}).status == 403
    assert course.lms(amina).call(key, "revoke_certificate", {"user_id": amina.user_id, "reason": "x"}).status == 403
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    assert staff.call(key, "revoke_certificate", {"user_id": amina.user_id, "reason": "Plagiarism"}).status == 200
    assert staff.call(key, "revoke_certificate", {"user_id": amina.user_id, "reason": "Again"}).error_code == "already_revoked"
    verify = course.lms_noauth(None).call(key, "verify", method="GET", query=f"code={code}").body.decode()
    assert "This certificate was revoked." in verify
    assert course.lms(amina).call(key, "get_state").json["certificate"]["status"] == "revoked"
    assert course.gradebook_score(key, amina).source == "block"  # withdrawn, not a 0 in submissions
    unknown = course.lms_noauth(None).call(key, "verify", method="GET", query="code=" + "0" * 32)
    assert unknown.status == 404 and "No certificate has this code" in unknown.body.decode()


def test_an_import_keeps_good_requirements_and_staff_see_the_problems_and_missing_blocks(course):
    extra = ('<requirement id="odd" kind="telepathy" blocks="problem/p1"/>'
             '<requirement id="gone" label="Deleted module" kind="completion" blocks="sequential/deleted"/>')
    key = programme(course, extra=extra)
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    html = staff.render(key)
    assert "odd: Unknown kind “telepathy”." in html
    assert "sequential/deleted" in html  # missing, shown to staff
    page = staff.call(key, "cohort", {}).json
    assert page["missing"] == ["sequential/deleted"]
    assert [r["id"] for r in page["requirements"]] == ["webinars", "supervisor", "gone"]
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    assert course.lms(amina).call(key, "get_state").json["met"]  # a deleted block holds nobody back


def test_studio_preview_shows_the_settings_and_writes_nothing(course):
    key = programme(course)
    html = course.studio_preview(course.person("instructor", "Joy Paone")).render(key)
    assert "Webinars" in html and "blended_webinar/w1 blended_webinar/w2" in html
    assert not ProgrammeDefinition.objects.exists() and not ProgrammeCertificate.objects.exists()


def test_the_studio_editor_saves_a_programme_and_refuses_impossible_ones(course):
    key = programme(course)
    editor = course.studio_editor(course.person("instructor", "Joy Paone"))
    values = {"display_name": "Programme", "certificate_title": "", "issuer": "IOM", "release": "", "timezone": "UTC",
              "weight": 1, "requirements": [{"id": "w", "label": "Webinars", "kind": "attendance",
                                             "blocks": ["blended_webinar/w1", "blended_webinar/w2"], "min": "2"}]}
    assert editor.call(key, "submit_studio_edits", {"values": values}).status == 200
    assert "w: " not in course.studio_preview(course.person("instructor")).render(key)
    for change, message in [
        ({"blocks": ["blended_webinar/w1", "blended_webinar/nope"]}, "The course has no block blended_webinar/nope."),
        ({"blocks": ["blended_webinar/w1", "blended_supervisor_agreement/agreement"]}, "A attendance requirement cannot use"),
        ({"min": "3"}, "“min” must be between 1 and 2."),
    ]:
        bad = {**values, "requirements": [{**values["requirements"][0], **change}]}
        answer = editor.call(key, "submit_studio_edits", {"values": bad})
        assert answer.status == 400 and message in answer.json["error"]["message"], answer.json
    saved = course.load(key, course.studio_editor(course.person("instructor")).runtime(), None)
    assert saved.requirements[0]["min"] == 2 and saved.display_name == "Programme"
    assert editor.call(key, "submit_studio_edits", {"values": {"issuer": "IOM Geneva"}}).status == 200
    renamed = course.load(key, course.studio_editor(course.person("instructor")).runtime(), None)
    assert renamed.issuer == "IOM Geneva" and renamed.requirements == saved.requirements  # what was not sent stays
    refused = course.studio_editor(course.person("stranger"), can_write=False).call(key, "submit_studio_edits",
                                                                                    {"values": values})
    assert refused.status == 403


def test_the_olx_round_trip_keeps_every_requirement(course):
    key = programme(course, extra='<requirement id="s" kind="score" blocks="sequential/test" min_score="0.7"/>')
    exported = course.export_olx(key)
    assert 'url_name="programme"' in exported
    assert '<requirement id="s" label="s" kind="score" blocks="sequential/test" min_score="0.7"/>' in exported
    assert 'min="1"' in exported and 'weight="2"' in exported


def test_core_module_and_two_of_five_optional_modules_read_from_the_platforms_completion(course):
    """JMDI's e-Toolbox: a sequential is complete when every completable leaf under it is."""
    structure, course_key = course.structure, course.course_key
    modules = {name: course_key.make_usage_key("sequential", name) for name in ("core", "m1", "m2", "m3", "m4", "m5")}
    leaves = {name: [course_key.make_usage_key("html", f"{name}-{n}") for n in (1, 2)] for name in modules}
    for name, key in modules.items():
        course.store.keys.add(str(key))
        structure.add(key, *leaves[name])
        structure.add(key, course_key.make_usage_key("discussion", f"{name}-talk"), mode="excluded")
    extra = ('<requirement id="core" label="Core module" kind="completion" blocks="sequential/core"/>'
             '<requirement id="optional" label="Optional modules" kind="completion" min="2" '
             'blocks="sequential/m1 sequential/m2 sequential/m3 sequential/m4 sequential/m5"/>')
    key = programme(course, extra=extra)
    amina = course.person("amina", "Amina Diallo")

    def complete(*names):
        for name in names:
            for leaf in leaves[name]:
                course.completions[(amina.user_id, str(leaf))] = 1.0

    def requirement(state, requirement_id):
        return next(r for r in state["requirements"] if r["id"] == requirement_id)

    course.completions[(amina.user_id, str(leaves["core"][0]))] = 1.0  # half of the core module
    state = course.lms(amina).call(key, "get_state").json
    assert not requirement(state, "core")["met"]
    complete("core", "m2")
    state = course.lms(amina).call(key, "get_state").json
    assert requirement(state, "core")["met"] and requirement(state, "optional")["text"] == "1 of 2 modules completed"
    complete("m5")
    assert requirement(course.lms(amina).call(key, "get_state").json, "optional")["met"]


def test_an_arabic_learner_reads_the_programme_right_to_left(course):
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    html = course.lms(amina).render(key, language="ar")
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "حضور الندوات عبر الإنترنت: 0 من 1" in html
    state = course.lms(amina).call(key, "get_state", language="fr").json
    assert state["requirements"][0]["text"] == "0 sur 1 webinaire suivi"


def test_a_learner_who_meets_the_programme_while_away_gets_the_certificate_from_the_periodic_command(course, monkeypatch):
    """The supervisor approves after Amina's last visit: nothing in the platform fires, the command
    issues the certificate, scores the programme and asks the LMS for its course certificate."""
    import io
    import sys
    import types

    from django.core.management import call_command

    requested = []
    api = types.ModuleType("lms.djangoapps.certificates.api")
    api.generate_certificate_task = lambda user, course_key: requested.append((user.id, str(course_key)))
    for name in ("lms", "lms.djangoapps", "lms.djangoapps.certificates"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, api.__name__, api)
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    assert course.lms(amina).call(key, "get_state").json["certificate"]["status"] == "not_yet"
    approve(course, amina)  # while Amina is away
    assert not ProgrammeCertificate.objects.exists()
    out = io.StringIO()
    call_command("blended_programme_certificates", "--course", str(course.course_key), stdout=out)
    assert out.getvalue().strip() == "1 certificate(s) issued"
    certificate = ProgrammeCertificate.objects.get()
    assert certificate.full_name == "Amina Diallo"
    assert course.gradebook_score(key, amina).earned == 2
    assert requested == [(amina.user_id, str(course.course_key))]
    call_command("blended_programme_certificates", stdout=out)  # a second run issues nothing more
    assert ProgrammeCertificate.objects.count() == 1
    assert course.lms(amina).call(key, "get_state").json["certificate"]["code"] == certificate.code


def test_a_block_named_by_a_completion_and_a_score_requirement_counts_for_both(course):
    """"The module and its test": one subsection read once as completion, once as a score."""
    test = course.course_key.make_usage_key("sequential", "final-test")
    leaf = course.course_key.make_usage_key("problem", "q1")
    course.store.keys.add(str(test))
    course.structure.add(test, leaf)
    extra = ('<requirement id="read" kind="completion" blocks="sequential/final-test"/>'
             '<requirement id="passed" kind="score" blocks="sequential/final-test" min_score="0.7"/>')
    key = programme(course, extra=extra)
    amina = course.person("amina", "Amina Diallo")
    course.completions[(amina.user_id, str(leaf))] = 1.0
    reader = "blended_xblocks.platform.adapter.OpenEdxOutcomeReader.scores_in_bulk"
    with mock.patch(reader, lambda self, course_key, keys, people: {
            (str(test), person): 0.9 for person in people}):
        state = course.lms(amina).call(key, "get_state").json
    met = {r["id"]: r["met"] for r in state["requirements"]}
    assert met["read"] and met["passed"]


def test_a_programme_whose_every_line_was_unusable_certifies_nobody(course):
    key = course.import_olx('<blended_progress url_name="empty" display_name="P" weight="1">'
                            '<requirement id="odd" kind="telepathy" blocks="problem/p1"/></blended_progress>')
    amina = course.person("amina", "Amina Diallo")
    state = course.lms(amina).call(key, "get_state").json
    assert not state["met"] and state["certificate"]["status"] == "not_yet"
    assert not ProgrammeCertificate.objects.exists()


def test_an_unreadable_release_keeps_certificates_unreleased_and_is_reported(course):
    key = programme(course, release="2022-07-05 12:00")  # not the YYYY-MM-DDTHH:MM form
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    state = course.lms(amina).call(key, "get_state").json
    assert state["met"] and state["certificate"]["status"] == "earned" and state["certificate"]["url"] is None
    assert course.lms(amina).call(key, "certificate", method="GET").error_code == "not_released"
    staff_html = course.lms(course.person("instructor"), staff=True).render(key)
    assert "cannot be read: certificates stay unreleased" in staff_html


def test_the_pinned_geneva_zone_survives_the_studio_editor(course):
    key = programme(course, release="2022-07-05T12:00")  # timezone="Europe/Geneva", as the OLX
    editor = course.studio_editor(course.person("instructor"))
    assert '<option selected>Europe/Zurich</option>' in editor.render(key)
    saved = editor.call(key, "submit_studio_edits", {"values": {"release": "2022-07-06T12:00", "timezone": "Europe/Geneva"}})
    assert saved.status == 200, saved.body


def test_studio_refuses_blocks_that_are_not_a_list_of_names(course):
    key = programme(course)
    editor = course.studio_editor(course.person("instructor"))
    for blocks in (5, True, 1.5, [3]):
        answer = editor.call(key, "submit_studio_edits", {"values": {"requirements": [
            {"id": "w", "kind": "attendance", "blocks": blocks}]}})
        assert answer.status == 400 and answer.json["error"]["code"] == "invalid_settings", (blocks, answer.body)


def test_the_lms_draft_preview_marks_the_page_so_its_calls_are_refused(course):
    key = programme(course)
    html = course.lms_draft_preview(course.person("instructor")).render(key)
    assert "data-blended-preview" in html
    assert not ProgrammeDefinition.objects.exists()


def test_staff_opening_the_programme_are_not_counted_in_the_cohort(course):
    key = course.import_olx('<blended_progress url_name="p2" display_name="P">'
                            '<requirement id="s" kind="approval" blocks="blended_supervisor_agreement/agreement"/>'
                            '</blended_progress>')
    staff = course.lms(course.person("director", "Programme Director"), staff=True)
    staff.render(key)
    assert "director" not in [row["username"] for row in staff.call(key, "cohort", {}).json["learners"]]


def test_the_gate_keeps_withholding_a_revoked_programme(course, settings):
    from types import SimpleNamespace

    from openedx_filters.learning.filters import CertificateCreationRequested

    from blended_xblocks.progress.certificate_gate import FILTER_TYPE, STEP_PATH

    settings.OPEN_EDX_FILTERS_CONFIG = {FILTER_TYPE: {"pipeline": [STEP_PATH], "fail_silently": False}}
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    course.lms(amina).render(key)
    request = dict(user=SimpleNamespace(id=amina.user_id), course_key=course.course_key, mode="verified",
                   status="downloadable", grade=None, generation_mode="batch")
    CertificateCreationRequested.run_filter(**request)  # met: allowed
    staff = course.lms(course.person("instructor"), staff=True)
    assert staff.call(key, "revoke_certificate", {"user_id": amina.user_id, "reason": "Plagiarism"}).status == 200
    with pytest.raises(CertificateCreationRequested.PreventCertificateCreation):
        CertificateCreationRequested.run_filter(**request)


def test_requirements_changed_in_place_are_read_again(course):
    """A render asks for the parsed requirements several times and parses them once; a change made in
    place, in the field's nested lists, is still a new programme."""
    key = programme(course)
    block = course.load(key, course.studio_editor(course.person("instructor")).runtime(), None)
    before = block.parsed_requirements()
    block.requirements[0]["label"] = "Live sessions"
    block.requirements[0]["blocks"].pop()
    after = block.parsed_requirements()
    assert before[0].label == "Webinars" and len(before[0].blocks) == 2
    assert after[0].label == "Live sessions" and [str(ref) for ref in after[0].blocks] == ["blended_webinar/w1"]
    assert block.programme_definition(refresh=False).requirements[0]["blocks"] == ["blended_webinar/w1"]
