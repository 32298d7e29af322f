"""Uploads (limits, types, names, storage), downloads for the group and staff only, zip and CSV."""
import csv
import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from blended_xblocks.core.errors import BadRequest
from blended_xblocks.core.uploads import safe_name
from blended_xblocks.group_assignment.models import SubmissionFile
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import PDF, PNG, STAFF, grade_body, submit_with_file, upload


@pytest.fixture
def usage(workbench, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    usage = workbench.load(OLX)
    for student in ("amina", "yusuf", "sara"):
        workbench.call(usage, "get_state", student=student)
    return usage


def test_upload_is_stored_per_group_and_listed_for_every_member(workbench, usage):
    result = upload(workbench, usage, "Plan Sahel.pdf", PDF)
    assert result.status == 200 and result.json["name"] == "Plan Sahel.pdf" and result.json["size"] == len(PDF)
    stored = SubmissionFile.objects.get()
    assert stored.path.startswith("group_assignment/") and f"/{stored.submission.group_id}/" in stored.path
    assert default_storage.open(stored.path).read() == PDF
    files = workbench.call(usage, "get_state", student="yusuf").json["files"]
    assert [(f["name"], f["uploaded_by"]) for f in files] == [("Plan Sahel.pdf", "Amina Diallo")]
    history = workbench.call(usage, "get_state", student="yusuf").json["history"]
    assert history[0]["action"] == "uploaded" and history[0]["detail"] == "Plan Sahel.pdf"


def test_group_members_and_staff_download_others_get_404(workbench, usage):
    file_id = upload(workbench, usage, "plan.pdf", PDF).json["id"]
    for student in ("yusuf", STAFF):
        result = workbench.call(usage, "download_file", method="GET", query=f"file_id={file_id}", student=student)
        assert result.status == 200 and result.body == PDF
        assert "attachment" in result.headers["Content-Disposition"]
    other = workbench.call(usage, "download_file", method="GET", query=f"file_id={file_id}", student="sara")
    assert other.status == 404 and other.error_code == "unknown_file"
    bad = workbench.call(usage, "download_file", method="GET", query="file_id=../../etc", student="amina")
    assert bad.status == 400


@pytest.mark.parametrize("name, content, code", [
    ("plan.exe", b"MZ", "file_type_not_allowed"),
    ("plan.pdf", b"", "empty_file"),
    ("plan.pdf", b"MZ\x90\x00 not a pdf", "file_content_mismatch"),
    ("plan.docx", b"%PDF-1.4", "file_content_mismatch"),
    ("../../etc/passwd.pdf", PDF, "invalid_file_name"),
    ("..\\..\\boot.pdf", PDF, "invalid_file_name"),
    (".hidden.pdf", PDF, "invalid_file_name"),
    ("plan.pdf", PDF + b"x" * (1024 * 1024), "file_too_large"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(workbench, usage, name, content, code):
    result = upload(workbench, usage, name, content)
    assert result.status == 400 and result.error_code == code
    assert not SubmissionFile.objects.exists()


def test_upload_without_file_is_refused(workbench, usage):
    result = workbench.call(usage, "upload_file", post={"other": "x"})
    assert result.status == 400 and result.error_code == "file_required"
    assert workbench.call(usage, "upload_file", method="GET").status == 405


def test_file_count_limit(workbench, usage):
    for index in range(5):
        assert upload(workbench, usage, f"p{index}.png", PNG).status == 200
    result = upload(workbench, usage, "p5.png", PNG)
    assert result.status == 400 and result.error_code == "too_many_files"


def test_names_are_sanitised():
    assert safe_name("Plan <final>;rm*.PDF") == "Plan _final_rm.pdf"
    assert safe_name("خطة العودة.PDF") == "خطة العودة.pdf"
    with pytest.raises(BadRequest):
        safe_name("a/b.pdf")


def test_the_upload_says_when_the_name_was_changed(workbench, usage):
    changed = upload(workbench, usage, "Plan 😀 <v2>=final.PDF", PDF)
    assert changed.status == 200
    assert (changed.json["name"], changed.json["renamed"], changed.json["original_name"]) == (
        "Plan _ _v2_final.pdf", True, "Plan 😀 <v2>=final.PDF")
    kept = upload(workbench, usage, "Re\u0301sume\u0301 (2).pdf", PDF)  # macOS sends decomposed accents
    assert (kept.json["name"], kept.json["renamed"]) == ("Résumé (2).pdf", False)
    assert [f["name"] for f in workbench.call(usage, "get_state").json["files"]] == ["Plan _ _v2_final.pdf", "Résumé (2).pdf"]


def test_the_pages_tell_learners_and_staff_the_stored_name_in_their_language():
    from django.utils import translation

    from blended_xblocks.core.i18n import Translator, js_catalogue

    told = "“{original}” was uploaded as “{name}”: file names keep only letters, digits, spaces and - _ ( )."
    for script in ("group_assignment/group_assignment.js", "group_assignment/group_assignment_staff.js"):
        with translation.override("fr"):
            catalogue = js_catalogue(Translator("group_assignment"), script)
        assert catalogue[told].startswith("« {original} » a été téléversé sous le nom « {name} »"), script
    with translation.override("ar"):
        assert js_catalogue(Translator("group_assignment"), "group_assignment/group_assignment.js")[
            "renamed from “{original}”"] == "الاسم الأصلي: «{original}»"


def test_delete_file_and_no_changes_after_submit(workbench, usage):
    first = upload(workbench, usage, "a.pdf", PDF).json["id"]
    second = upload(workbench, usage, "b.pdf", PDF).json["id"]
    assert workbench.call(usage, "delete_file", {"file_id": first}, student="yusuf").status == 200
    assert [f["name"] for f in workbench.call(usage, "get_state").json["files"]] == ["b.pdf"]
    assert workbench.call(usage, "delete_file", {"file_id": second}, student="sara").error_code == "unknown_file"
    version = workbench.call(usage, "get_state").json["draft"]["version"]
    assert workbench.call(usage, "submit", {"version": version}).status == 200  # files alone are a submission
    assert workbench.call(usage, "delete_file", {"file_id": second}).error_code == "already_submitted"
    assert upload(workbench, usage, "c.pdf", PDF).json["error"]["code"] == "already_submitted"


def follow(workbench, usage, handler, client):
    """The staff download handlers redirect to a streamed file (blended_xblocks/downloads.py)."""
    result = workbench.call(usage, handler, method="GET", student=STAFF, follow_downloads=False)
    assert result.status == 302
    client.get(f"/outbox/?student={STAFF}")  # the ticket is the staff member's: their browser follows it
    response = client.get(result.headers["Location"])
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content)


def test_zip_has_a_folder_per_group_with_text_and_files(workbench, usage, client):
    row = submit_with_file(workbench, usage)
    response, body = follow(workbench, usage, "download_all", client)
    assert response["Content-Type"].startswith("application/zip")
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    assert "Team Sahel/submission.txt" in names
    assert "Community plan for Agadez" in archive.read("Team Sahel/submission.txt").decode()
    pdf = next(name for name in names if name.endswith("plan.pdf"))
    assert pdf.startswith("Team Sahel/") and archive.read(pdf) == PDF
    assert not any(name.startswith("Team Horn") for name in names)  # nothing submitted there
    assert row["files"] == 1


def test_zip_is_streamed_in_pieces(workbench, usage):
    from blended_xblocks.group_assignment.exports import zip_stream

    submit_with_file(workbench, usage)
    block = workbench.block(usage, STAFF)
    assert len([piece for piece in zip_stream(block.usage_key_string) if piece]) > 2


def test_csv_has_one_row_per_member_with_adjusted_points(workbench, usage, client):
    row = submit_with_file(workbench, usage)
    workbench.call(usage, "grade", grade_body(row, adjustments=[
        {"user_id": "yusuf", "points": -2, "reason": "=HYPERLINK(\"x\")"},
        {"user_id": "amina", "points": 1, "reason": "+1 for the budget"}]), student=STAFF)
    response, body = follow(workbench, usage, "export_grades", client)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_user = {r["user_id"]: r for r in rows}
    assert by_user["amina"]["points"] == "8.0" and by_user["yusuf"]["points"] == "5.0"
    assert by_user["yusuf"]["reason"].startswith("'=") and by_user["amina"]["reason"] == "'+1 for the budget"
    assert by_user["yusuf"]["adjustment"] == "-2.0"  # a number the export writes stays a number
    assert by_user["sara"]["status"] == "not_started" and by_user["sara"]["points"] == ""
    assert by_user["amina"]["released"] == "no"


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1 for the budget", "'+1 for the budget"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"),
    ("-2", "'-2"), ("-١", "'-١"), ("-2+3", "'-2+3"),  # text, as in every other export
    (" =1+1", "' =1+1"), ("\n=1+1", "'\n=1+1"),  # a formula behind spaces or a line break, which importers trim
    (-2.0, "-2.0"), (-3, "-3"), (7, "7"), (None, ""), ("Team Sahel", "Team Sahel"), ("a=b", "a=b"),
])
def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers(value, cell):
    """The one cell rule every export uses (spreadsheet.py)."""
    from blended_xblocks.core.spreadsheet import safe_cell

    assert safe_cell(value) == cell


def test_feedback_file_is_seen_by_the_group_only_after_release(workbench, usage):
    row = submit_with_file(workbench, usage)
    result = workbench.call(usage, "upload_feedback_file", student=STAFF,
                            post={"file": ("comments.pdf", PDF), "submission_id": str(row["submission_id"])})
    assert result.status == 200 and result.json["kind"] == "feedback"
    query = f"file_id={result.json['id']}"
    assert workbench.call(usage, "download_file", method="GET", query=query, student="yusuf").status == 404
    assert all(f["kind"] == "work" for f in workbench.call(usage, "get_state", student="yusuf").json["files"])
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    workbench.call(usage, "release_grades", {}, student=STAFF)
    assert workbench.call(usage, "download_file", method="GET", query=query, student="yusuf").body == PDF
    assert workbench.call(usage, "download_file", method="GET", query=query, student="sara").status == 404
    refused = workbench.call(usage, "upload_feedback_file", student="amina",
                             post={"file": ("x.pdf", PDF), "submission_id": str(row["submission_id"])})
    assert refused.status == 403


@pytest.fixture
def big_usage(workbench, tmp_path, settings):
    """A block that allows 20 MB files (the LMS refuses more than STUDENT_FILEUPLOAD_MAX_SIZE)."""
    settings.MEDIA_ROOT = str(tmp_path)
    return workbench.load(OLX.replace('max_file_mb="1"', 'max_file_mb="20"'))


def test_upload_limit_is_capped_by_the_lms_setting(workbench, big_usage, settings):
    usage = big_usage
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4 * 1024 * 1024
    assert workbench.call(usage, "get_state").json["max_file_mb"] == 4  # the block says 20
    too_big = b"%PDF-1.4\n" + b"x" * (4 * 1024 * 1024)
    result = upload(workbench, usage, "big.pdf", too_big)
    assert result.status == 400 and result.error_code == "file_too_large"
    assert "4 MB" in result.json["error"]["message"]
    assert upload(workbench, usage, "ok.pdf", b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)).status == 200


def test_the_lms_default_of_4000000_bytes_shows_3_mb(workbench, big_usage, settings):
    usage = big_usage
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4 * 1000 * 1000  # lms/envs/common.py: the LMS compares bytes
    assert workbench.call(usage, "get_state").json["max_file_mb"] == 3


def test_without_the_setting_the_block_limit_applies(workbench, big_usage, settings):
    usage = big_usage
    if hasattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE"):
        del settings.STUDENT_FILEUPLOAD_MAX_SIZE
    assert workbench.call(usage, "get_state").json["max_file_mb"] == 20


def test_a_text_file_must_be_utf8_so_everyone_can_read_it(workbench, tmp_path, settings):
    """A .txt saved in Windows-1252 would show as garbage to the group and staff: refused, nothing stored."""
    settings.MEDIA_ROOT = str(tmp_path)
    usage = workbench.load(OLX.replace('file_types=".pdf .docx .png"', 'file_types=".pdf .txt"'))
    workbench.call(usage, "get_state", student="amina")
    notes = "Notes de l’équipe : réintégration économique à Agadez"
    refused = upload(workbench, usage, "notes.txt", notes.encode("cp1252"))
    assert refused.status == 400 and refused.error_code == "file_content_mismatch"
    assert not SubmissionFile.objects.exists()
    accepted = upload(workbench, usage, "notes.txt", notes.encode("utf-8"))
    assert accepted.status == 200 and SubmissionFile.objects.count() == 1
