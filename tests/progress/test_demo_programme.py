"""The progress block in the demo workbench: standard content completes on view, a problem's
grade counts as the LMS counts it, and both reach the learner's programme."""
import uuid

import pytest
from workbench import scenarios as workbench_scenarios

from blended_xblocks.demo import runtime as demo_runtime
from tests.harness import Workbench

SCENARIO = """<vertical_demo>
  <vertical_demo url_name="module-1">
    <html_demo url_name="module-1-reading"><p>Sustainable reintegration has three dimensions.</p></html_demo>
    <html_demo url_name="module-1-case"><p>A case from the Sahel.</p></html_demo>
  </vertical_demo>
  <problem_demo url_name="final-test">
    <html_demo><p>How many dimensions does sustainable reintegration have?</p></html_demo>
    <textinput_demo name="answer" input_type="int"/>
    <equality_demo name="check" left="./answer/@student_input" right="=3"/>
  </problem_demo>
  <blended_progress url_name="programme" display_name="Your programme" issuer="IOM">
    <requirement id="module" label="Module 1" kind="completion" blocks="vertical_demo/module-1"/>
    <requirement id="test" label="Final test" kind="score" blocks="problem_demo/final-test" min_score="1"/>
  </blended_progress>
</vertical_demo>"""


def progress_of(workbench, root, student):
    vertical = workbench.block(root, student)
    programme = vertical.children[-1]
    return programme, workbench.call(programme, "get_state", student=student).json


@pytest.fixture
def scenario(db):
    """SCENARIO added as the demo adds its scenarios (a page of its own), removed afterwards: the
    workbench keeps its blocks in this test's database, which is rolled back."""
    demo_runtime.install()
    name = f"progress-{uuid.uuid4().hex[:8]}"
    workbench_scenarios.add_xml_scenario(name, f"Programme {name}", SCENARIO)
    yield name
    workbench_scenarios.remove_scenario(name)


def test_reading_the_module_and_passing_the_test_meet_the_programme(scenario):
    workbench, name = Workbench(), scenario
    root = workbench_scenarios.SCENARIOS[name].usage_id
    programme, state = progress_of(workbench, root, "amina")
    assert [r["met"] for r in state["requirements"]] == [False, False]
    assert state["requirements"][0]["left"][0]["url"] == f"/scenario/{name}/?student=amina"

    module = workbench.block(root, "amina").children[0]
    workbench.render(module, "amina")  # the learner reads both pages of the module
    _, state = progress_of(workbench, root, "amina")
    assert state["requirements"][0]["met"] and not state["requirements"][1]["met"]

    problem = workbench.block(root, "amina").children[1]
    wrong = workbench.call(problem, "check", {"answer": [{"name": "input", "value": "2"}]}, student="amina")
    assert wrong.status == 200
    _, state = progress_of(workbench, root, "amina")
    assert not state["requirements"][1]["met"]
    workbench.call(problem, "check", {"answer": [{"name": "input", "value": "3"}]}, student="amina")
    _, state = progress_of(workbench, root, "amina")
    assert state["met"] and state["certificate"]["status"] == "available"
    _, other = progress_of(workbench, root, "yusuf")
    assert not other["met"]  # nothing of Amina's counts for Yusuf
