"""OLX seed elements are the demo's example content: a course imported into the LMS with them
registers, posts and applies in nobody's name, whatever the demo's own switch says."""
from blended_xblocks.experience_sharing.models import SharedPost
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration

WEBINAR = """<blended_webinar url_name="webinar-1" display_name="Webinar 1" start="2030-03-04T10:00:00Z" capacity="20">
  <seed_registration learner="amina" attendance="present"/>
  <seed_registration learner="yusuf" status="waitlisted"/>
</blended_webinar>"""
SHARING = """<blended_experience_sharing url_name="sharing-1" display_name="Sharing 1">
  <seed_post key="p1" author="amina" title="Grants in Agadez" useful="yusuf">
    Context.<seed_reply author="yusuf">Thanks.</seed_reply>
  </seed_post>
</blended_experience_sharing>"""


def test_seed_elements_write_nothing_in_the_lms(openedx, settings):
    settings.BLENDED_DEMO_SEED = True
    webinar, sharing = openedx.import_olx(WEBINAR), openedx.import_olx(SHARING)
    joy = openedx.lms(openedx.person("joy", "Joy Paone"), staff=True)
    assert joy.call(webinar, "roster", {}).status == 200
    assert joy.call(sharing, "get_state", {}).json["total"] == 0
    assert not WebinarRegistration.objects.exists() and not SharedPost.objects.exists()
    assert not Learner.objects.filter(username__in=["amina", "yusuf"]).exists()


def test_the_demo_adapter_seeds_the_same_olx(openedx, settings):
    """The same OLX under the demo's adapter: its people are registered and post (so the test
    above can fail)."""
    settings.BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.demo.platform.WorkbenchPlatform"
    webinar, sharing = openedx.import_olx(WEBINAR), openedx.import_olx(SHARING)
    joy = openedx.lms(openedx.person("joy", "Joy Paone"), staff=True)
    joy.call(webinar, "roster", {})
    assert sorted(WebinarRegistration.objects.values_list("learner__username", "status")) == [
        ("amina", "registered"), ("yusuf", "waitlisted")]
    assert joy.call(sharing, "get_state", {}).json["total"] == 1
