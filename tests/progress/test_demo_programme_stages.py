"""The IOM programme's seeded learners, as the instructor finds them on a fresh demo: one certified,
one at risk, one on track; and loading the demo again changes none of it."""
import pytest

from blended_xblocks.group_assignment.models import GroupSubmission
from blended_xblocks.progress.models import ProgrammeCertificate
from blended_xblocks.supervisor_agreement.models import SupervisorAgreement
from blended_xblocks.webinar.models import WebinarRegistration
from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios

PROGRAMME = "blended.00-programme"


@pytest.fixture
def scenarios(db):
    yield load_demo_scenarios()
    forget_demo_scenarios()


def cohort(scenarios, **query):
    workbench = Workbench()
    root = workbench.block(scenarios[PROGRAMME].usage_id, "instructor")
    usage = next(child for child in root.children if ".blended_progress." in child)
    return workbench, usage, workbench.call(usage, "cohort", {"page_size": 100, **query}, student="instructor").json


def test_the_instructor_sees_one_certified_one_at_risk_and_one_on_track(scenarios):
    _, _, page = cohort(scenarios)
    rows = {row["username"]: row for row in page["learners"]}
    sara, kwame, ibrahim = rows["sara"], rows["kwame"], rows["ibrahim"]
    assert sara["met"] and sara["certificate"] == "issued" and not sara["at_risk"]
    assert all(requirement["met"] for requirement in sara["requirements"].values())
    assert kwame["at_risk"] and not kwame["met"]
    assert kwame["requirements"]["assignments"] == {"met": False, "done": 1, "needed": 6}  # the group's work counts
    assert not ibrahim["met"] and not ibrahim["at_risk"] and 0 < ibrahim["progress"] < sara["progress"]
    assert ibrahim["requirements"]["modules"] == {"met": False, "done": 4, "needed": 6}
    assert ibrahim["requirements"]["webinars"]["done"] == 1

    _, _, met = cohort(scenarios, status="met")
    assert [row["username"] for row in met["learners"]] == ["sara"]
    _, _, at_risk = cohort(scenarios, status="at_risk")
    assert "kwame" in [row["username"] for row in at_risk["learners"]] and "ibrahim" not in [
        row["username"] for row in at_risk["learners"]]


def test_sara_prints_her_certificate_and_sees_her_grades(scenarios):
    workbench, usage, _ = cohort(scenarios)
    state = workbench.call(usage, "get_state", student="sara").json
    assert state["met"] and state["certificate"]["status"] == "available"
    certificate = workbench.call(usage, "certificate", method="GET", student="sara").body.decode()
    assert "Sara Tesfaye" in certificate and "Blended training on reintegration" in certificate


def test_loading_the_demo_again_seeds_nothing_twice(scenarios):
    counts = (GroupSubmission.objects.filter(released__isnull=False).count(), ProgrammeCertificate.objects.count(),
              SupervisorAgreement.objects.filter(status="approved").count(), WebinarRegistration.objects.count())
    load_demo_scenarios()
    assert (GroupSubmission.objects.filter(released__isnull=False).count(), ProgrammeCertificate.objects.count(),
            SupervisorAgreement.objects.filter(status="approved").count(), WebinarRegistration.objects.count()) == counts
    _, _, page = cohort(load_demo_scenarios())
    assert page["counts"]["met"] == 1
