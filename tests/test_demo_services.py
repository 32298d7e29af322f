"""The demo runs the adapter code the LMS runs: its workbench gives blocks LMS-shaped services."""
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
