"""The demo's programmes as a newcomer finds them: JMDI (core + 2 of 5 optional modules, one page
per module) and CMI's training of trainers (five mandatory live sessions)."""
import pytest

from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios


@pytest.fixture
def scenarios(db):
    """Every demo scenario loaded as `make demo` loads them."""
    yield load_demo_scenarios()
    forget_demo_scenarios()


def programme_block(scenarios, name, student):
    workbench = Workbench()
    root = workbench.block(scenarios[name].usage_id, student)
    usage = next(child for child in root.children if ".blended_progress." in child)
    return workbench, usage


def test_a_newcomer_earns_the_jmdi_certificate_by_reading_the_core_and_two_optional_modules(scenarios):
    workbench, usage = programme_block(scenarios, "blended.60-jmdi-programme", "newcomer")
    state = workbench.call(usage, "get_state", student="newcomer").json
    assert [r["text"] for r in state["requirements"]] == ["0 of 1 module completed", "0 of 2 modules completed"]
    links = [item["url"] for item in state["requirements"][1]["left"]]
    assert links[0] == "/scenario/blended.62-jmdi-m1/?student=newcomer" and len(links) == 5
    assert state["requirements"][1]["left"][0]["title"].startswith("Module 1 – Managing the link")
    for page in ("blended.61-jmdi-core", "blended.63-jmdi-m2", "blended.66-jmdi-m5"):
        workbench.render(scenarios[page].usage_id, "newcomer")  # the learner opens the module's page
    state = workbench.call(usage, "get_state", student="newcomer").json
    assert state["met"] and state["certificate"]["status"] == "available"
    certificate = workbench.call(usage, "certificate", method="GET", student="newcomer").body.decode()
    assert "My JMDI e-Toolbox on Migration and Local Development" in certificate


def test_cmi_learners_need_all_five_sessions_and_one_missed_session_puts_them_at_risk(scenarios):
    workbench, usage = programme_block(scenarios, "blended.70-cmi-training-of-trainers", "instructor")
    for student in ("leila", "omar"):
        workbench.render(scenarios["blended.70-cmi-training-of-trainers"].usage_id, student)
    cohort = workbench.call(usage, "cohort", {}, student="instructor").json
    rows = {row["username"]: row for row in cohort["learners"]}
    assert rows["leila"]["requirements"]["sessions"] == {"met": False, "done": 3, "needed": 5}
    assert not rows["leila"]["at_risk"]
    assert rows["omar"]["at_risk"]  # missed session 2, which has ended
    arabic = workbench.render(usage, "leila", language="ar")
    assert 'dir="rtl"' in arabic


def test_the_iom_programme_counts_the_online_course_and_the_seeded_webinars(scenarios):
    programme_page = scenarios["blended.00-programme"].usage_id
    workbench, usage = programme_block(scenarios, "blended.00-programme", "amina")
    workbench.render(programme_page, "amina")  # the whole programme page, as a learner opens it
    state = workbench.call(usage, "get_state", student="amina").json
    texts = {r["id"]: r["text"] for r in state["requirements"]}
    assert texts["webinars"] == "1 of 8 webinars attended" and texts["modules"] == "0 of 6 modules completed"
    staff = workbench.call(usage, "cohort", {}, student="instructor").json
    assert staff["missing"] == [] and staff["problems"] == []
    for n in range(1, 7):
        workbench.render(scenarios[f"blended.0{n}-iom-module-{n}"].usage_id, "amina")
    test_page = workbench.block(scenarios["blended.07-iom-final-test"].usage_id, "amina")
    answers = {"levels": "3", "dimensions": "3", "modules": "6"}
    result = workbench.call(test_page.children[0], "check",
                            {name: [{"name": "input", "value": value}] for name, value in answers.items()}, student="amina")
    assert result.status == 200
    state = workbench.call(usage, "get_state", student="amina").json
    met = {r["id"]: r["met"] for r in state["requirements"]}
    assert met["course"] and met["modules"] and not met["webinars"] and not state["met"]
