"""Staff bulk downloads: the handler redirects to our own view, which streams the file.

The LMS reads a handler's whole response into memory, so `download_all` and `export_grades`
answer with a redirect carrying a short-lived signed ticket, and `blended_xblocks.downloads`
streams the zip or CSV with `StreamingHttpResponse`.
"""
import csv
import dataclasses
import io
import zipfile

import pytest
from django.core import signing
from django.core.files.storage import default_storage

from blended_xblocks import downloads
from tests.harness import GROUP_ASSIGNMENT_TWO_GROUPS as OLX_TWO_GROUPS
from tests.harness import PDF, PNG, STAFF, submit_with_file, upload


@pytest.fixture
def usage(workbench, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    usage = workbench.load(OLX_TWO_GROUPS)
    for student in ("amina", "yusuf", "sara"):
        workbench.call(usage, "get_state", student=student)
    return usage


@pytest.fixture
def staff_client(client):
    """A browser signed in as the demo's instructor (`?student=` is kept in the session), whom the
    handler names in the ticket."""
    client.get(f"/outbox/?student={STAFF}")
    return client


def submit_both_groups(workbench, usage):
    submit_with_file(workbench, usage)  # Team Sahel: text and plan.pdf
    upload(workbench, usage, "map.png", PNG, student="sara")
    version = workbench.call(usage, "get_state", student="sara").json["draft"]["version"]
    assert workbench.call(usage, "submit", {"version": version}, student="sara").status == 200


def redirect_location(workbench, usage, handler="download_all", student=STAFF):
    result = workbench.call(usage, handler, method="GET", student=student, follow_downloads=False)
    assert result.status == 302, result.body
    location = result.headers["Location"]
    assert location.startswith("/blended/downloads/")
    return location


def fetch(client, location):
    """Follow the redirect as the browser does; the body of the streamed response, joined."""
    response = client.get(location)
    assert response.status_code == 200 and response.streaming is True
    return response, b"".join(response.streaming_content)


def test_staff_are_redirected_to_a_streamed_zip_with_a_folder_per_group(workbench, usage, staff_client):
    submit_both_groups(workbench, usage)
    response, body = fetch(staff_client, redirect_location(workbench, usage))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;") and '.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {"Team Sahel", "Team Horn"}
    assert "Community plan for Agadez" in archive.read("Team Sahel/submission.txt").decode()
    assert archive.read(next(n for n in names if n.endswith("plan.pdf"))) == PDF
    assert archive.read(next(n for n in names if n.startswith("Team Horn/") and n.endswith("map.png"))) == PNG


def test_grades_csv_is_streamed_the_same_way(workbench, usage, staff_client):
    submit_both_groups(workbench, usage)
    response, body = fetch(staff_client, redirect_location(workbench, usage, "export_grades"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["user_id"] for row in rows} == {"amina", "yusuf", "sara"}


@pytest.mark.parametrize("handler", ["download_all", "export_grades"])
def test_learners_get_403_from_the_handler_and_no_link(workbench, usage, handler):
    result = workbench.call(usage, handler, method="GET", student="amina")
    assert result.status == 403 and result.error_code == "staff_only" and "Location" not in result.headers


def refused(client, location, status, code):
    response = client.get(location)
    assert response.status_code == status and not response.streaming
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    assert b"PK" not in response.content
    return body


def test_a_tampered_ticket_is_refused(workbench, usage, client):
    submit_both_groups(workbench, usage)
    location = redirect_location(workbench, usage)
    ticket = location.split("/")[-2]
    forged = ticket[:-3] + ("AAA" if not ticket.endswith("AAA") else "BBB")
    refused(client, f"/blended/downloads/{forged}/", 403, "invalid_download")
    refused(client, "/blended/downloads/not-a-ticket/", 403, "invalid_download")
    other_salt = signing.dumps({"kind": "submissions_zip", "usage": "x", "user": None}, salt="elsewhere")
    refused(client, f"/blended/downloads/{other_salt}/", 403, "invalid_download")


def test_an_expired_ticket_is_refused(workbench, usage, client, monkeypatch):
    submit_both_groups(workbench, usage)
    location = redirect_location(workbench, usage)
    monkeypatch.setattr(downloads, "MAX_AGE", -1)  # the ticket is older than allowed
    refused(client, location, 410, "download_expired")


def test_the_error_is_translated(workbench, usage, client, monkeypatch):
    location = redirect_location(workbench, usage)
    monkeypatch.setattr(downloads, "MAX_AGE", -1)
    body = refused(client, location + "?lang=fr", 410, "download_expired")
    assert "expiré" in body["error"]["message"]


def test_a_ticket_for_another_user_is_refused(workbench, usage, client, django_user_model):
    submit_both_groups(workbench, usage)
    staff = django_user_model.objects.create_user("instructor-lms", password="x")
    ticket = dict(kind="submissions_zip", usage_key=workbench.block(usage, STAFF).usage_key_string,
                  course_key="course-v1:Demo+GA+2025", filename="plan.zip")
    mine = downloads.download_url(user_id=staff.id, **ticket)
    theirs = downloads.download_url(user_id=staff.id + 1, **ticket)
    refused(client, mine, 403, "download_not_yours")  # not logged in
    client.force_login(staff)
    refused(client, theirs, 403, "download_not_yours")
    response, body = fetch(client, mine)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def test_the_handler_puts_the_lms_user_id_in_the_ticket(workbench, usage, monkeypatch):
    from blended_xblocks.demo.platform import WorkbenchPlatform

    real = WorkbenchPlatform.current_user
    monkeypatch.setattr(WorkbenchPlatform, "current_user", lambda self: dataclasses.replace(real(self), user_id=42))
    ticket = redirect_location(workbench, usage).split("/")[-2]
    data = signing.loads(ticket, salt=downloads.SALT)
    assert data["user"] == 42 and data["kind"] == "submissions_zip"
    assert data["usage"] == workbench.block(usage, STAFF).usage_key_string


def test_other_methods_are_refused(workbench, usage, client):
    response = client.post(redirect_location(workbench, usage))
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_the_view_returns_before_any_file_is_read(workbench, usage, staff_client, monkeypatch):
    """Nothing is read from storage until the server iterates the body, then one chunk at a time."""
    submit_both_groups(workbench, usage)
    opened = []
    real_open = default_storage.open
    monkeypatch.setattr(default_storage, "open", lambda path, mode="rb": opened.append(path) or real_open(path, mode))
    response = staff_client.get(redirect_location(workbench, usage))
    content = response.streaming_content
    assert response.streaming and iter(content) is content  # an iterator, not a body held in memory
    assert opened == []  # the view has answered; no file read, no zip built
    first = next(content)
    assert first.startswith(b"PK") and opened == []  # the first group's text, before any file
    rest = b"".join(content)
    assert len(opened) == 2 and zipfile.ZipFile(io.BytesIO(first + rest)).testzip() is None
