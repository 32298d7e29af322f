"""In the demo, the call decides who reaches the IOM programme: a learner who accepts a place is put
in the call's cohort and then opens the programme's page; a learner outside the cohort is sent to
the call; course staff see both (the demo standing in for the LMS's content groups: demo/cohorts.py)."""
import pytest

from blended_xblocks.demo import cohorts
from blended_xblocks.demo.people import demo_user_id
from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios

PROGRAMME = f"/scenario/{cohorts.PROGRAMME}/"
CALL = f"/scenario/{cohorts.CALL}/"
ANSWERS = {"role": "ngo", "experience": 4, "eligible": "yes", "motivation": "I counsel returnees in Niamey."}


@pytest.fixture
def scenarios(db):
    yield load_demo_scenarios()
    forget_demo_scenarios()


def the_call(scenarios):
    workbench = Workbench()
    root = workbench.block(scenarios[cohorts.CALL].usage_id, "staff")
    return workbench, next(child for child in root.children if ".blended_application." in child)


def page(client, student, path=PROGRAMME):
    return client.get(f"{path}?student={student}", follow=True)


def test_an_accepted_applicant_reaches_the_programme_and_another_sees_the_call(scenarios, client,
                                                                               django_capture_on_commit_callbacks):
    workbench, call = the_call(scenarios)
    for student in ("zainab", "moussa"):
        before = page(client, student)
        assert before.redirect_chain and before.redirect_chain[-1][0].startswith(f"{CALL}?")
        assert "Apply for the training" in before.content.decode()
        assert "The programme is open to the participants this call selects" in before.content.decode()
        assert workbench.call(call, "submit", {"answers": ANSWERS, "version": 0}, student=student).status == 200

    with django_capture_on_commit_callbacks(execute=True):
        decided = workbench.call(call, "decide", {"user_ids": [demo_user_id("zainab")], "decision": "selected"},
                                 student="staff")
        assert decided.status == 200, decided.body
        workbench.call(call, "decide", {"user_ids": [demo_user_id("moussa")], "decision": "not_selected"}, student="staff")
        assert workbench.call(call, "accept_offer", {}, student="zainab").json["application"]["status"] == "accepted"
    assert demo_user_id("zainab") in cohorts.members(cohorts.COHORT)

    selected = page(client, "zainab")
    assert selected.status_code == 200 and not selected.redirect_chain
    assert "Your programme" in selected.content.decode()
    assert "bpg-block" in selected.content.decode()  # the programme's progress block, rendered for her
    turned_away = page(client, "moussa")
    assert turned_away.redirect_chain[-1][0].startswith(f"{CALL}?")
    assert "bpg-block" not in turned_away.content.decode() and "Apply for the training" in turned_away.content.decode()


@pytest.mark.parametrize("student", ["instructor", "staff", "amina", "sara"])
def test_staff_and_the_selected_participants_open_the_programme(scenarios, client, student):
    response = page(client, student)
    assert response.status_code == 200 and not response.redirect_chain
    assert "Your programme" in response.content.decode()


def test_the_gate_names_the_call_s_own_cohort():
    from blended_xblocks.demo.scenarios import demo_scenarios
    xml = dict((sid, xml) for sid, _title, xml in demo_scenarios())[cohorts.CALL]
    assert f'cohort="{cohorts.COHORT}"' in xml
