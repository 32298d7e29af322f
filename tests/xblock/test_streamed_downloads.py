"""Every download goes through our streaming view (issue 8, fix 8).

The LMS holds a handler's whole response in memory, so a submitted file and each block's CSV
export answer with a redirect to `/blended/downloads/<ticket>/`, a signed, expiring ticket bound to
the user, and the view streams the file.
"""
import csv
import io
from urllib.parse import quote

import pytest
from django.core import signing

from blended_xblocks import downloads
from blended_xblocks.group_assignment.models import SubmissionFile
from tests.harness import GROUP_ASSIGNMENT_TWO_GROUPS as OLX_TWO_GROUPS
from tests.harness import PDF, SUPERVISOR_AGREEMENT, upload, webinar

STAFF = "instructor"


def redirected(workbench, usage, handler, student=STAFF, query=""):
    result = workbench.call(usage, handler, method="GET", student=student, query=query, follow_downloads=False)
    assert result.status == 302, (handler, result.status, result.body[:200])
    location = result.headers["Location"]
    assert location.startswith("/blended/downloads/")
    return location


def streamed(client, location, student=STAFF):
    """GET the download as `student`, signed in the demo's way (the ticket is theirs only)."""
    response = client.get(location, {"student": student})
    assert response.status_code == 200 and response.streaming is True
    return response, b"".join(response.streaming_content)


def rows(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def files(workbench, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    usage = workbench.load(OLX_TWO_GROUPS)
    workbench.call(usage, "get_state", student="amina")
    assert upload(workbench, usage, "Plan d’action – Agadez.pdf", PDF).status == 200
    return usage, SubmissionFile.objects.get()


def test_a_submitted_file_is_streamed_with_its_own_type_size_and_name(workbench, files, client):
    usage, stored = files
    location = redirected(workbench, usage, "download_file", student="yusuf", query=f"file_id={stored.pk}")
    response, body = streamed(client, location, student="yusuf")
    assert body == PDF and response["Content-Type"] == "application/pdf" and response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"].startswith('attachment; filename="Plan_d')
    assert f"filename*=UTF-8''{quote(stored.name)}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_outside_the_group_gets_no_ticket(workbench, files):
    usage, stored = files
    result = workbench.call(usage, "download_file", method="GET", student="sara", query=f"file_id={stored.pk}",
                            follow_downloads=False)
    assert result.status == 404 and result.error_code == "unknown_file"


def test_a_ticket_for_a_deleted_file_is_a_404(workbench, files, client):
    usage, stored = files
    location = redirected(workbench, usage, "download_file", student="amina", query=f"file_id={stored.pk}")
    SubmissionFile.objects.all().delete()
    response = client.get(location, {"student": "amina"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_file"


def test_a_ticket_is_bound_to_the_user_it_was_made_for(workbench, files, client, django_user_model):
    usage, stored = files
    ticket = downloads.make_ticket(kind="submission_file", usage_key=usage, course_key="c", user_id=4242,
                                   filename="x.pdf", file=stored.pk)
    response = client.get(f"/blended/downloads/{ticket}/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "download_not_yours"
    forged = signing.dumps({"kind": "submission_file", "usage": usage, "file": stored.pk}, salt="another")
    assert client.get(f"/blended/downloads/{forged}/").status_code == 403


def test_the_webinar_roster_is_streamed(workbench, client):
    usage = workbench.load(webinar(capacity="1"))
    for student in ("amina", "yusuf"):
        workbench.call(usage, "register", {}, student=student)
    response, body = streamed(client, redirected(workbench, usage, "export_roster"))
    assert response["Content-Type"].startswith("text/csv") and "-roster.csv" in response["Content-Disposition"]
    assert [(row[0], row[3]) for row in rows(body)[1:]] == [("amina", "registered"), ("yusuf", "waitlisted")]


def test_the_supervisor_agreements_csv_is_streamed(workbench, client):
    usage = workbench.load(SUPERVISOR_AGREEMENT.format(weight="0"))
    workbench.call(usage, "get_state", {}, student="amina")
    response, body = streamed(client, redirected(workbench, usage, "export_agreements"))
    assert 'filename="supervisor-agreements.csv"' in response["Content-Disposition"]
    assert rows(body)[0][0] and len(rows(body)) >= 1


def test_the_experience_sharing_csv_is_streamed(workbench, client):
    usage = workbench.load('<blended_experience_sharing display_name="ES"/>')
    workbench.call(usage, "create_post", {"title": "A case", "body": "=cmd|' /C calc'!A0"}, student="amina")
    response, body = streamed(client, redirected(workbench, usage, "export_csv"))
    table = rows(body)
    assert 'filename="experience-sharing.csv"' in response["Content-Disposition"]
    assert table[1][0] == "post" and "'=cmd|' /C calc'!A0" in table[1]  # formulas stay text


@pytest.mark.parametrize("handler", ["export_roster", "export_agreements", "export_csv"])
def test_learners_get_no_export_ticket(workbench, handler):
    olx = {"export_roster": webinar(), "export_agreements": SUPERVISOR_AGREEMENT.format(weight="0"),
           "export_csv": "<blended_experience_sharing/>"}[handler]
    usage = workbench.load(olx)
    result = workbench.call(usage, handler, method="GET", student="amina", follow_downloads=False)
    assert result.status == 403 and result.error_code == "staff_only"
