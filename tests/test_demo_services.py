"""The demo runs the adapter code the LMS runs: its workbench gives blocks LMS-shaped services."""
import uuid

import pytest

from blended_xblocks.platform.adapter import OpenEdxPlatform
from tests.harness import services_the_adapter_asks_for

TWO_SEATS = "/scenario/blended.10-webinar-two-seats/"


def test_the_demo_pages_show_staff_tools_to_staff_only(db, client):
    """The workbench's own views build the demo runtime: the staff flag comes from its user service."""
    assert 'data-bw-staff' in client.get(TWO_SEATS, {"student": "instructor"}).content.decode()
    assert 'data-bw-staff' not in client.get(TWO_SEATS, {"student": "amina"}).content.decode()


def test_the_demo_learner_is_the_student_parameter_in_open_edx_terms(workbench):
    block = workbench.block(workbench.load('<blended_webinar display_name="W"/>'), "amina")
    attrs = block.runtime.service(block, "user").get_current_user().opt_attrs
    assert attrs["edx-platform.anonymous_user_id"] == "amina" and attrs["edx-platform.username"] == "amina"
    assert not attrs["edx-platform.user_is_staff"]
    assert isinstance(block.platform, OpenEdxPlatform)
    user = block.current_user
    assert (user.anonymous_id, user.full_name, user.email) == ("amina", "Amina Diallo", "amina@learners.example.org")


def test_a_visitor_who_is_not_signed_in_gets_no_completion_service(workbench):
    usage = workbench.load('<blended_webinar display_name="W"/>')
    signed_in, nobody = workbench.block(usage, "amina"), workbench.block(usage, "none")
    assert signed_in.runtime.service(signed_in, "completion") is not None
    assert nobody.runtime.service(nobody, "completion") is None
    assert not nobody.current_user.is_authenticated


def test_the_demo_offers_every_service_the_adapter_asks_for_but_teams(workbench):
    """Teams only where the demo defines some (BLENDED_DEMO_TEAMS): its programme's groups are made by staff."""
    block = workbench.block(workbench.load('<blended_webinar display_name="W"/>'), "amina")
    missing = [name for name in services_the_adapter_asks_for() if block.runtime.service(block, name) is None]
    assert missing == ["teams"]


def test_demo_teams_form_the_groups_when_configured(workbench, settings):
    settings.BLENDED_DEMO_TEAMS = {"reintegration-teams": {"Sahel practitioners": ["amina", "yusuf"]}}
    usage = workbench.load('<blended_group_assignment mode="group" teamset="reintegration-teams" self_enrolment="true"/>')
    state = workbench.call(usage, "get_state", student="amina").json
    assert state["group"]["name"] == "Sahel practitioners" and len(state["group"]["members"]) == 2
    assert workbench.call(usage, "get_state", student="omar").json["group"] is None



UNIT = """<vertical_demo>
  <html_demo><h2>Module 1: The integrated approach to reintegration</h2></html_demo>
  <html_demo><p>Sustainable reintegration has three dimensions.</p></html_demo>
  <blended_webinar display_name="Webinar 1"/>
</vertical_demo>"""


@pytest.fixture
def unit(db):
    """UNIT as a demo page of its own (the workbench keeps its blocks in this test's database)."""
    from workbench import scenarios as workbench_scenarios

    from blended_xblocks.demo import runtime as demo_runtime

    demo_runtime.install()
    name = f"unit-{uuid.uuid4().hex[:8]}"
    workbench_scenarios.add_xml_scenario(name, f"Unit {name}", UNIT)
    yield f"/scenario/{name}/"
    workbench_scenarios.remove_scenario(name)


def test_content_seen_once_is_complete_and_seeing_it_again_writes_nothing(unit, client):
    """As edx-completion's `blocks_to_mark_complete_on_view`: a learner's first view of a unit marks its
    plain content blocks complete (not the webinar, which completes by attendance); a view once they
    are complete only reads (one query for the unit). The bare page every benchmark compares with is
    such a unit: it must not pay a write on every view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blended_xblocks.demo.models import DemoCompletion

    assert client.get(unit, {"student": "amina"}).status_code == 200
    done = DemoCompletion.objects.filter(anonymous_user_id="amina")
    assert sorted(row.usage_key.split(".")[1] for row in done) == ["html_demo"] * 2
    assert {row.completion for row in done} == {1.0}
    before = DemoCompletion.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(unit, {"student": "amina"}).status_code == 200
    on_completion = [query["sql"] for query in queries if "democompletion" in query["sql"]]
    assert len(on_completion) == 1 and on_completion[0].lstrip().upper().startswith("SELECT"), on_completion
    assert client.get(unit, {"student": "none"}).status_code == 200  # a visitor completes nothing
    assert DemoCompletion.objects.count() == before


def test_a_content_block_shown_alone_is_complete_once_seen(db, client):
    """As the LMS's `render_xblock`: a block shown by itself, not in a unit, is marked complete too."""
    from workbench import scenarios as workbench_scenarios

    from blended_xblocks.demo import runtime as demo_runtime
    from blended_xblocks.demo.models import DemoCompletion

    demo_runtime.install()
    name = f"alone-{uuid.uuid4().hex[:8]}"
    workbench_scenarios.add_xml_scenario(name, name, "<html_demo><p>Read me.</p></html_demo>")
    try:
        for _ in range(2):
            assert client.get(f"/scenario/{name}/", {"student": "amina"}).status_code == 200
    finally:
        workbench_scenarios.remove_scenario(name)
    assert [row.usage_key.split(".")[1] for row in DemoCompletion.objects.filter(anonymous_user_id="amina")] == [
        "html_demo"]
