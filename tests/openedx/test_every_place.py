"""Every block, every view and every handler, in each place Open edX runs a block.

The sweep calls each handler with an empty JSON POST and an empty GET: whatever a handler
answers there, it must not be a server error. The tests after it check what a person notices in
each place: who the block thinks they are, and what they may do.
"""
import pytest
from xblock.core import XBlock

from blended_xblocks.platform.models import Learner
from tests.harness import handler_names as handlers
from tests.openedx.blocks import BLOCKS

PLACES = ["lms", "lms_staff", "lms_noauth_nobody", "lms_noauth_someone_else", "lms_draft_preview",
          "studio_preview", "studio_editor"]
WITHOUT_STAFF_FLAG = {"lms", "lms_noauth_nobody", "lms_noauth_someone_else", "studio_preview", "studio_editor"}


def place_named(host, name):
    amina, instructor = host.person("amina", "Amina Diallo"), host.person("instructor", "Joy Paone")
    return {
        "lms": lambda: host.lms(amina),
        "lms_staff": lambda: host.lms(instructor, staff=True),
        "lms_noauth_nobody": lambda: host.lms_noauth(None),
        "lms_noauth_someone_else": lambda: host.lms_noauth(host.person("yusuf", "Yusuf Abdi")),
        "lms_draft_preview": lambda: host.lms_draft_preview(instructor),
        "studio_preview": lambda: host.studio_preview(instructor),
        "studio_editor": lambda: host.studio_editor(instructor),
    }[name]()


def staff_handlers(block_type):
    block_class = XBlock.load_class(block_type)
    return [name for name in handlers(block_type) if getattr(getattr(block_class, name), "staff_only", False)]


@pytest.mark.parametrize("place_name", PLACES)
@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_no_view_and_no_handler_fails_with_a_server_error(openedx, block_type, place_name):
    key = openedx.import_olx(BLOCKS[block_type])
    place = place_named(openedx, place_name)
    assert "<div" in place.render(key)
    failures = []
    for name in handlers(block_type):
        for method in ("POST", "GET"):
            try:
                status = place.call(key, name, {} if method == "POST" else None, method=method).status
            except Exception as error:  # noqa: BLE001 - the platform would answer 500
                status = f"{type(error).__name__}: {error}"
            if not isinstance(status, int) or status >= 500:
                failures.append((name, method, status))
    assert failures == []


@pytest.mark.parametrize("place_name", sorted(WITHOUT_STAFF_FLAG))
@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_staff_handlers_are_refused_where_the_user_service_has_no_staff_flag(openedx, block_type, place_name):
    key = openedx.import_olx(BLOCKS[block_type])
    place = place_named(openedx, place_name)
    names = staff_handlers(block_type)
    assert names
    answers = {}
    for name in names:
        post, get = place.call(key, name, {}), place.call(key, name, method="GET")
        answers[name] = {post.status, get.status} - {405}
    # Studio previews refuse every handler that could write (409 preview_read_only) before the
    # rights check; elsewhere the rights check refuses (403). Either way nothing a staff handler does happens.
    refusal = {409} if place_name.startswith("studio") else {403}
    assert answers == {name: refusal for name in names}


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_staff_handlers_answer_course_staff_in_the_lms(openedx, block_type):
    key = openedx.import_olx(BLOCKS[block_type])
    staff = openedx.lms(openedx.person("instructor"), staff=True)
    refused = [name for name in staff_handlers(block_type)
               if 403 in {staff.call(key, name, {}).status, staff.call(key, name, method="GET").status}]
    assert refused == []


def test_the_lms_knows_the_learner_by_the_course_specific_anonymous_id(openedx):
    amina = openedx.person("amina", "Amina Diallo")
    key = openedx.import_olx(BLOCKS["blended_webinar"])
    assert openedx.lms(amina).call(key, "register", {"language": "en"}).status == 200
    learner = Learner.objects.get()
    assert learner.anonymous_user_id == amina.anonymous_id(openedx.course_key) != "amina"
    assert (learner.user_id, learner.username, learner.email, learner.full_name) == (
        amina.user_id, "amina", "amina@learners.example.org", "Amina Diallo")
    assert learner.course_key == "course-v1:IOM+REINT+2022"
    roster = openedx.lms(openedx.person("instructor"), staff=True).call(key, "roster", {}).json
    assert [(row["full_name"], row["user_id"]) for row in roster["learners"]] == [("Amina Diallo", learner.anonymous_user_id)]


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_every_block_knows_an_lms_learner_and_nobody_in_studio(openedx, block_type):
    """The LMS learner is the course-specific anonymous id; Studio's "student" is every author at once
    and its editor has no anonymous id: neither is a learner, nor course staff."""
    key = openedx.import_olx(BLOCKS[block_type])
    amina, author = openedx.person("amina", "Amina Diallo"), openedx.person("instructor")
    assert openedx.lms(amina).call(key, "get_state", {}).status == 200
    assert list(Learner.objects.values_list("anonymous_user_id", "user_id")) == [
        (amina.anonymous_id(openedx.course_key), amina.user_id)]
    for place in (openedx.studio_preview(author), openedx.studio_editor(author)):
        user = place.load(key).current_user
        assert user.anonymous_id in (None, "student") and not user.is_staff


SAVES = {
    "blended_webinar": ("studio_submit", None),
    "blended_group_assignment": ("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}),
    "blended_supervisor_agreement": ("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}),
    "blended_experience_sharing": ("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}),
    "blended_progress": ("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}),
    "blended_application": ("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}),
}


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_studio_editor_saves_for_authors_with_write_access_only(openedx, block_type):
    from tests.harness import WEBINAR_EDIT as EDIT

    handler, body = SAVES[block_type]
    body = body or EDIT | {"display_name": "Renamed"}
    key = openedx.import_olx(BLOCKS[block_type])
    author = openedx.person("instructor")
    assert "<" in openedx.studio_editor(author).render(key)
    refused = openedx.studio_editor(openedx.person("reviewer"), can_write=False).call(key, handler, body)
    assert refused.status == 403
    assert openedx.lms(author).load(key).display_name != "Renamed"
    saved = openedx.studio_editor(author).call(key, handler, body)
    assert saved.status == 200, saved.body
    assert openedx.lms(openedx.person("amina")).load(key).display_name == "Renamed"


def test_each_runtime_links_our_static_files_by_its_own_urls(openedx, workbench):
    """A static file's URL is kept per process by runtime class (`BlendedBlockMixin.static_url`): the SDK's
    page, the LMS's page and the SDK's again, in one process, each link the files by their runtime's URLs."""
    key = openedx.import_olx(BLOCKS["blended_webinar"])
    lms = openedx.lms(openedx.person("amina"))
    usage = workbench.load(BLOCKS["blended_webinar"])
    for _ in range(2):
        sdk_urls = {resource.data for resource in workbench.block(usage).render("student_view", {}).resources}
        assert "/resource/blended_webinar/static/webinar/webinar.js" in sdk_urls
        assert not any(url.startswith("/xblock/") for url in sdk_urls), sdk_urls
        lms_urls = {resource.data for resource in lms.load(key).render("student_view", {}).resources}
        assert "/xblock/resource/blended_webinar/static/webinar/webinar.js" in lms_urls
        assert all(url.startswith("/xblock/resource/blended_webinar/static/") for url in lms_urls), lms_urls
