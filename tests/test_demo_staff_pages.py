"""The demo keeps staff pages to staff, as the LMS and Studio do (issue 9).

Studio shows a block's editor only to the course's authors; the demo refuses it to its learners
too (the webinar's settings hold the join link). A staff download is bound to the account that
asked for it; in the demo that is the account behind `?student=`, kept in the session.
"""
import pytest
from django.core import signing
from workbench import scenarios as workbench_scenarios
from workbench.runtime import ID_MANAGER, WORKBENCH_KVS

from blended_xblocks import downloads
from blended_xblocks.demo.people import demo_user

JOIN_URL = "https://meet.example.org/iom-reintegration-4"


@pytest.fixture
def scenarios(db):
    import blended_xblocks.demo.urls  # noqa: F401  (installs our scenario loader)

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.get_scenarios.initialized = False
    workbench_scenarios.get_scenarios()


@pytest.mark.parametrize("address", ["/scenario/blended.10-webinar-two-seats/studio_view/",
                                     "/view/blended.10-webinar-two-seats/studio_view/",
                                     "/scenario/blended.10-webinar-two-seats/author_view/"])
def test_a_learner_cannot_open_the_studio_editor(scenarios, client, address):
    response = client.get(f"{address}?student=amina")
    assert response.status_code == 403
    assert JOIN_URL not in response.content.decode()
    assert "Only authors edit this block" in response.content.decode()


def test_an_author_opens_the_studio_editor(scenarios, client):
    response = client.get("/scenario/blended.10-webinar-two-seats/studio_view/?student=instructor")
    assert response.status_code == 200
    assert JOIN_URL in response.content.decode()


def test_the_learner_page_is_unchanged(scenarios, client):
    response = client.get("/scenario/blended.10-webinar-two-seats/?student=amina")
    assert response.status_code == 200 and 'blended-block bw-webinar' in response.content.decode()


def test_student_in_the_address_signs_the_browser_in_for_our_own_views(db, client):
    client.get("/outbox/?student=instructor")
    assert client.session["blended_demo_student"] == "instructor"
    client.get("/outbox/?student=amina")
    assert client.session["blended_demo_student"] == "amina"


def ticket(user_id):
    return downloads.download_url(kind="grades_csv", usage_key="demo.blended_group_assignment.d0.u0",
                                  course_key="course-v1:IOM+REINT+2022", user_id=user_id, filename="grades.csv",
                                  max_points=10)


def test_a_download_is_only_for_the_demo_user_who_asked_for_it(db, client):
    location = ticket(demo_user("instructor").pk)
    assert client.get(location).status_code == 403  # nobody signed in: the link alone is not enough
    client.get("/outbox/?student=amina")
    response = client.get(location)
    assert response.status_code == 403 and response.json()["error"]["code"] == "download_not_yours"
    client.get("/outbox/?student=instructor")
    response = client.get(location)
    assert response.status_code == 200 and response.streaming


def test_a_ticket_that_names_no_user_is_refused(db, client):
    client.get("/outbox/?student=instructor")
    response = client.get(ticket(None))
    assert response.status_code == 403 and response.json()["error"]["code"] == "download_not_yours"


def test_the_demo_puts_the_staff_members_account_in_the_ticket(workbench, settings, tmp_path):
    from tests.harness import GROUP_ASSIGNMENT_TWO_GROUPS as OLX_TWO_GROUPS

    settings.MEDIA_ROOT = str(tmp_path)
    usage = workbench.load(OLX_TWO_GROUPS)
    result = workbench.call(usage, "export_grades", method="GET", student="instructor", follow_downloads=False)
    assert result.status == 302
    data = signing.loads(result.headers["Location"].split("/")[-2], salt=downloads.SALT)
    assert data["user"] == demo_user("instructor").pk
