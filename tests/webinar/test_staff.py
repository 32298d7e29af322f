"""The instructor's side: roster, bulk attendance, CSV in and out, check-in code, scores and completion."""
import csv
import io

import pytest

from blended_xblocks.demo.models import DemoCompletion
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration
from tests.harness import webinar
from tests.harness import webinar_score as score_of

STAFF = "instructor"


def registered(workbench, *students, **attrs):
    usage = workbench.load(webinar(**attrs))
    for student in students:
        workbench.call(usage, "register", {}, student=student)
    return usage


def test_roster_lists_registrations_with_counts(workbench):
    usage = registered(workbench, "amina", "yusuf", "fatou", capacity="2")
    data = workbench.call(usage, "roster", {"page": 1, "page_size": 2}, student=STAFF).json
    assert data["total"] == 3 and len(data["learners"]) == 2
    assert data["counts"]["registered"] == 2 and data["counts"]["waitlisted"] == 1
    assert data["learners"][0]["registration"] == "registered"
    waitlisted = workbench.call(usage, "roster", {"status": "waitlisted"}, student=STAFF).json
    assert [row["username"] for row in waitlisted["learners"]] == ["fatou"]
    assert waitlisted["learners"][0]["waitlist_position"] == 1


def test_marking_attendance_scores_and_completes_each_learner(workbench):
    usage = registered(workbench, "amina", "yusuf", "fatou", "omar", weight="2", late_credit="0.5")
    records = [{"user_id": "amina", "attendance": "present"}, {"user_id": "yusuf", "attendance": "late"},
               {"user_id": "fatou", "attendance": "absent"}]
    assert workbench.call(usage, "set_attendance", {"records": records}, student=STAFF).json["updated"] == 3
    assert score_of(usage, "amina") == (2, 2) and score_of(usage, "yusuf") == (1, 2)
    assert score_of(usage, "fatou") == (0, 2) and score_of(usage, "omar") is None
    completed = dict(DemoCompletion.objects.filter(usage_key=usage).values_list("anonymous_user_id", "completion"))
    assert completed == {"amina": 1.0, "yusuf": 1.0, "fatou": 0.0}
    state = workbench.call(usage, "get_state", {}, student="yusuf").json
    assert state["attendance"] == "late" and "late" in state["messages"]["attendance"]
    assert score_of(usage, STAFF) is None  # never the staff member's own grade
    reset = [{"user_id": "amina", "attendance": "unmarked"}]
    workbench.call(usage, "set_attendance", {"records": reset}, student=STAFF)
    assert score_of(usage, "amina") is None  # withdrawn (reset_score), not a 0


def test_studio_preview_registers_nobody(workbench):
    usage = workbench.load(webinar())
    html = workbench.render(usage, student="amina", view="author_view")
    assert "Webinar 3" in html and not WebinarRegistration.objects.exists()


def test_unknown_user_rejects_the_whole_batch(workbench):
    usage = registered(workbench, "amina")
    records = [{"user_id": "amina", "attendance": "present"}, {"user_id": "ghost", "attendance": "present"}]
    result = workbench.call(usage, "set_attendance", {"records": records}, student=STAFF)
    assert result.status == 404 and result.error_code == "unknown_user"
    assert result.json["error"]["unknown"] == ["ghost"]
    assert WebinarRegistration.objects.get(learner__username="amina").attendance == "unmarked"


def test_export_roster_csv(workbench):
    usage = registered(workbench, "amina", "yusuf", capacity="1")
    result = workbench.call(usage, "export_roster", method="GET", student=STAFF)
    assert result.status == 200 and "attachment" in result.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(result.body.decode("utf-8-sig"))))
    assert [(row["username"], row["registration"]) for row in rows] == [("amina", "registered"), ("yusuf", "waitlisted")]
    assert rows[0]["email"] == "amina@learners.example.org"


def upload(workbench, usage, text, name="attendance.csv", student=STAFF):
    return workbench.call(usage, "import_attendance", student=student,
                          post={"file": (name, text.encode("utf-8"))})


def test_import_attendance_by_username_or_email(workbench):
    usage = registered(workbench, "amina", "yusuf")
    result = upload(workbench, usage, "User Email,Attendance\namina@learners.example.org,present\nyusuf,excused\n")
    assert result.status == 200 and result.json["updated"] == 2
    assert dict(WebinarRegistration.objects.values_list("learner__username", "attendance")) == {
        "amina": "present", "yusuf": "excused"}


def test_import_matches_whatever_the_case_and_reads_teams_utf16_files(workbench):
    usage = registered(workbench, "amina", "yusuf")
    Learner.objects.filter(username="yusuf").update(email="Yusuf.Abdi@Learners.Example.org")
    text = ("Full Name\tEmail\tAttendance\r\nAmina Diallo\tAmina@Learners.Example.org\tlate\r\n"
            "Yusuf Abdi\tyusuf.abdi@learners.example.org\tabsent\r\n")
    result = workbench.call(usage, "import_attendance", student=STAFF,
                            post={"file": ("AttendanceList.csv", text.encode("utf-16"))})
    assert result.status == 200 and result.json["updated"] == 2
    assert dict(WebinarRegistration.objects.values_list("learner__username", "attendance")) == {
        "amina": "late", "yusuf": "absent"}


def test_import_with_unmatched_rows_changes_nothing_and_lists_them(workbench):
    usage = registered(workbench, "amina")
    result = upload(workbench, usage, "username;status\namina;present\nhost@zoom.us;present\n")
    assert result.status == 400 and result.error_code == "unmatched_rows"
    assert result.json["error"]["unmatched"] == [{"line": 3, "value": "host@zoom.us"}]
    assert WebinarRegistration.objects.get().attendance == "unmarked"


def test_import_refuses_a_file_that_is_not_utf8_and_changes_nothing(workbench):
    """Excel on Windows saves "CSV" in the local code page: é would be read as garbage, and match nobody."""
    usage = registered(workbench, "amina")
    Learner.objects.filter(username="amina").update(username="frédéric")
    result = workbench.call(usage, "import_attendance", student=STAFF,
                            post={"file": ("attendance.csv", "username,attendance\nfrédéric,present\n".encode("cp1252"))})
    assert (result.status, result.error_code) == (400, "invalid_file")
    assert result.json["error"]["message"] == "Upload a CSV file saved as UTF-8."
    assert WebinarRegistration.objects.get().attendance == "unmarked"
    assert upload(workbench, usage, "username,attendance\nfrédéric,present\n").json["updated"] == 1  # the same, in UTF-8


def test_import_refuses_a_learner_both_present_and_absent(workbench):
    usage = registered(workbench, "amina", "yusuf")
    result = upload(workbench, usage, "username,attendance\namina,present\nyusuf,late\nAMINA@learners.example.org,absent\n")
    assert (result.status, result.error_code) == (400, "invalid_rows")
    assert result.json["error"]["rows"] == [{"line": 2, "value": "amina", "status": "present"},
                                            {"line": 4, "value": "AMINA@learners.example.org", "status": "absent"}]
    assert "different statuses" in result.json["error"]["message"]
    assert set(WebinarRegistration.objects.values_list("attendance", flat=True)) == {"unmarked"}  # yusuf neither


def test_import_accepts_a_learner_repeated_with_the_same_status(workbench):
    usage = registered(workbench, "amina", "yusuf")
    result = upload(workbench, usage, "username,attendance\namina,present\nyusuf,late\namina@learners.example.org,Present\n")
    assert result.status == 200 and (result.json["updated"], result.json["rows"]) == (2, 2)
    assert dict(WebinarRegistration.objects.values_list("learner__username", "attendance")) == {
        "amina": "present", "yusuf": "late"}


def test_import_refuses_bad_files(workbench):
    usage = registered(workbench, "amina")
    assert upload(workbench, usage, "name,minutes\namina,80\n").error_code == "missing_columns"
    assert upload(workbench, usage, "username,attendance\namina,maybe\n").error_code == "invalid_rows"
    assert upload(workbench, usage, "username,attendance\n", name="report.xlsx").error_code == "invalid_file"
    big = "username,attendance\n" + "amina,present\n" * 80000
    assert upload(workbench, usage, big).error_code == "file_too_large"
    binary = workbench.call(usage, "import_attendance", student=STAFF, post={"file": ("a.csv", b"\xff\xfe\x00")})
    assert binary.error_code == "invalid_file"
    assert workbench.call(usage, "import_attendance", student=STAFF, post={}).error_code == "file_required"
    huge_field = 'username,attendance\n"' + "a" * 140_000 + '",present\n'  # over the csv module's field limit
    assert upload(workbench, usage, huge_field).error_code == "invalid_file"
    assert WebinarRegistration.objects.get().attendance == "unmarked"


def test_export_neutralises_spreadsheet_formulas(workbench):
    usage = workbench.load(webinar())
    workbench.call(usage, "register", {}, student="=HYPERLINK(1)")
    body = workbench.call(usage, "export_roster", method="GET", student=STAFF).body.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", " =1+2", "\n=1+2"]


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_export_neutralises_every_cell_a_spreadsheet_would_run(workbench, formula):
    """Every text column: a cell starting with = + - @, a tab or a carriage return (or = after spaces
    or a line break, which some importers trim) comes out behind a quote, as text."""
    usage = registered(workbench, "amina")
    Learner.objects.filter(username="amina").update(username=formula, email=formula, full_name=formula)
    body = workbench.call(usage, "export_roster", method="GET", student=STAFF).body.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body, newline="")))
    assert [row[name] for name in ("username", "email", "full_name")] == ["'" + formula] * 3


def test_checkin_code_is_stable_until_regenerated(workbench):
    usage = registered(workbench)
    first = workbench.call(usage, "checkin_code", {}, student=STAFF).json["code"]
    assert workbench.call(usage, "checkin_code", {}, student=STAFF).json["code"] == first
    assert workbench.call(usage, "checkin_code", {"regenerate": True}, student=STAFF).json["code"] != first


def test_staff_view_has_the_roster_and_learner_view_does_not(workbench):
    usage = registered(workbench, "amina")
    assert "data-bw-staff" in workbench.render(usage, student=STAFF)
    assert "data-bw-staff" not in workbench.render(usage, student="amina")


def test_an_oversized_import_is_refused_before_its_form_is_read(workbench):
    usage = registered(workbench, "amina")
    junk = b"x" * (3 * 1024 * 1024)  # not even a valid form: refused by its size, unread
    result = workbench.call(usage, "import_attendance", student=STAFF, body=junk,
                            content_type="multipart/form-data; boundary=zzz")
    assert result.status == 400 and result.error_code == "file_too_large"
    learner = workbench.call(usage, "import_attendance", student="amina", body=junk,
                             content_type="multipart/form-data; boundary=zzz")
    assert learner.status == 403  # rights first, size second


def test_roster_names_the_interpretation_language_each_learner_chose(workbench):
    usage = workbench.load(webinar(languages="en ar"))
    workbench.call(usage, "register", {"language": "ar"}, student="amina")
    row = workbench.call(usage, "roster", {}, student=STAFF).json["learners"][0]
    assert (row["language"], row["language_name"]) == ("ar", "العربية")
