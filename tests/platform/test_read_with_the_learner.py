"""A learner's page reads the learner's row with the block's own rows for them, in one query
(`current_learner(read=…)`): a group assignment and an experience sharing block their stored copy of
the settings the programme judges by, a sharing block the learner's participation too. Each comes
back exactly as the ORM reads it on every database, the page mirrors a changed setting and writes
nothing when it is the same, and the page shows what the handler says."""
import html as html_module
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blended_xblocks.experience_sharing import participation
from blended_xblocks.experience_sharing.models import SharingParticipation
from blended_xblocks.platform import published_settings as mirrored
from blended_xblocks.platform.models import Learner, PublishedSettings
from tests.harness import COURSE, EXPERIENCE_SHARING, GROUP_ASSIGNMENT
from tests.openedx.host import HostRuntime

USAGE = "block-v1:IOM+REINT+2022+type@blended_experience_sharing+block@sharing"
OTHER = USAGE.replace("@sharing", "@sharing2")
VALUES = {"due": "2099-06-10T21:59:00+00:00", "late_submissions": False, "nested": {"list": [1, "é", None, True]}}


def _columns(model, row):
    return [getattr(row, field.attname) for field in model._meta.concrete_fields]


def _where(learner):
    return {"using": None, "course_key": learner.course_key, "anonymous_user_id": learner.anonymous_user_id}


def test_the_stored_copy_comes_with_the_learners_row_as_stored_in_bulk_reads_it(learners):
    amina, yusuf = learners("amina", "yusuf")
    mirrored.publish(COURSE, USAGE, "blended_group_assignment", VALUES)

    row = mirrored.LEARNER_WITH_STORED.first(usage_key=USAGE, **_where(amina))

    assert mirrored.take_stored(row) == mirrored.stored_in_bulk([USAGE])[USAGE] == (COURSE, VALUES)
    assert _columns(Learner, row) == _columns(Learner, Learner.objects.get(pk=amina.pk))
    assert not [name for name in vars(row) if name.startswith("stored_")]  # a learner's row, nothing more
    row = mirrored.LEARNER_WITH_STORED.first(usage_key=OTHER, **_where(yusuf))  # the same shape, nothing stored
    assert row.pk == yusuf.pk and mirrored.take_stored(row) is None


def test_the_participation_and_stored_copy_come_with_the_learners_row_as_the_orm_reads_them(learners):
    amina, yusuf = learners("amina", "yusuf")
    mirrored.publish(COURSE, USAGE, "blended_experience_sharing", {"required_session": "webinar-7"})
    mine = SharingParticipation.objects.create(course_key=COURSE, usage_key=USAGE, learner=amina, posts=2, replies=3,
                                               completed=timezone.now())
    SharingParticipation.objects.create(course_key=COURSE, usage_key=OTHER, learner=amina, posts=9)
    SharingParticipation.objects.create(course_key=COURSE, usage_key=USAGE, learner=yusuf, posts=7)

    row, (stored, read) = participation.learner_with_participation(USAGE, **_where(amina))

    assert row.pk == amina.pk and stored == (COURSE, {"required_session": "webinar-7"})
    assert _columns(SharingParticipation, read) == _columns(SharingParticipation, SharingParticipation.objects.get(pk=mine.pk))
    assert read._state.adding is False and not [name for name in vars(row) if name.startswith("participation")]
    row, (stored, read) = participation.learner_with_participation(OTHER, **_where(yusuf))
    assert row.pk == yusuf.pk and stored is None and read is None
    assert participation.learner_with_participation(USAGE, **_where(Learner(course_key=COURSE, anonymous_user_id="x"))) \
        == (None, None)


def _statements(captured, table):
    return [query["sql"] for query in captured if re.search(rf'[`"]blended_xblocks_{table}[`"]', query["sql"])]


def _change(openedx, key, **fields):
    block = openedx.load(key, HostRuntime(openedx, {}), None)
    for name, value in fields.items():
        setattr(block, name, value)
    block.save()


def _check_mirrored_on_the_learners_page(openedx, key, field, value, expected):
    lms = openedx.lms(openedx.person("amina"))
    lms.render(key)  # the first page stores the copy
    _change(openedx, key, **{field: value})
    with CaptureQueriesContext(connection) as changed:
        lms.render(key)
    assert PublishedSettings.objects.get(usage_key=str(key)).values == expected
    with CaptureQueriesContext(connection) as same:
        lms.render(key)
    for captured, writes in ((changed, 1), (same, 0)):
        reads = _statements(captured, "publishedsettings")
        assert len([sql for sql in reads if sql.lstrip().startswith(("UPDATE", "INSERT"))]) == writes, reads
        assert [sql for sql in reads if sql.lstrip().startswith("SELECT")] == _statements(captured, "learner")[:1]
    return lms


def test_a_group_assignments_page_mirrors_a_changed_deadline_and_writes_nothing_when_it_is_the_same(openedx):
    key = openedx.import_olx(GROUP_ASSIGNMENT)
    _check_mirrored_on_the_learners_page(openedx, key, "late_submissions", False,
                                         {"due": "2099-06-10T21:59:00Z", "late_submissions": False})


def _sharing_state(page):
    return json.loads(html_module.unescape(re.search(r'<script[^>]*type="application/json">(.*?)</script>', page, re.S).group(1)))


def test_a_sharing_page_mirrors_a_required_session_and_shows_the_participation_the_handler_shows(openedx):
    key = openedx.import_olx(EXPERIENCE_SHARING.format(moderation="post"))
    lms = _check_mirrored_on_the_learners_page(openedx, key, "require_attendance", True, {"required_session": "webinar-7"})
    assert lms.call(key, "create_post", {"title": "A case", "body": "What we did", "tags": []}).status == 200
    page = lms.render(key)
    state = _sharing_state(page)
    assert state == lms.call(key, "get_state", {}).json
    assert state["progress"]["posts"] == 1 and len(state["posts"]) == 1
    yusuf = openedx.lms(openedx.person("yusuf"))
    assert _sharing_state(yusuf.render(key))["progress"]["posts"] == 0  # each learner's own


def _states_by_block(page):
    """{usage id: the state the block put in the page}, for each of our blocks on a unit's page."""
    states = {}
    for part in re.split(r"(?=<div class='xblock-v1 xblock-v1-student_view' data-usage=)", page)[1:]:
        usage = re.match(r"<div class='xblock-v1 xblock-v1-student_view' data-usage='([^']+)'", part).group(1)
        found = (re.search(r'data-sa-state-json="([^"]*)"', part) or re.search(r'data-bga-state="([^"]*)"', part)
                 or re.search(r'data-bw-state="([^"]*)"', part))
        if found:
            states[usage] = json.loads(html_module.unescape(found.group(1)))
        elif "application/json" in part:
            states[usage] = _sharing_state(part)
    return states


@pytest.mark.parametrize("webinars_first", [False, True])
def test_on_a_unit_each_block_shows_its_own_rows_whichever_block_read_the_learner(workbench, webinars_first):
    """Only the first block of a page reads the learner's row (with its own rows: an agreement's, or a
    page of webinars' sessions); every other block, of the same kind or another, reads its own: each
    shows what its handler says."""
    from tests.harness import SUPERVISOR_AGREEMENT, ask, create_post, webinar

    kinds = [SUPERVISOR_AGREEMENT.format(weight=1), EXPERIENCE_SHARING.format(moderation="post"), GROUP_ASSIGNMENT,
             webinar(capacity="2")]
    order = [3, 0, 1, 2] if webinars_first else [0, 1, 2, 3]
    unit = workbench.load("<vertical_demo>" + "".join(kinds[kind] * 2 for kind in order) + "</vertical_demo>")
    children = workbench.block(unit).children
    agreements, sharings, assignments, webinars = (children[order.index(kind) * 2:order.index(kind) * 2 + 2]
                                                   for kind in range(4))
    workbench.render(unit)
    ask(workbench, str(agreements[1]))
    assert workbench.call(str(webinars[1]), "register", {}).status == 200
    assert workbench.call(str(webinars[1]), "register", {}, student="yusuf").status == 200
    create_post(workbench, str(sharings[1]))
    _change_in_workbench(workbench, sharings[1], require_attendance=True)
    _change_in_workbench(workbench, assignments[1], late_submissions=False)

    states = _states_by_block(workbench.render(unit))

    assert set(states) == {str(key) for key in (*agreements, *sharings, *assignments, *webinars)}
    for usage, state in states.items():
        assert state == workbench.call(usage, "get_state", {}).json, usage
    assert [states[str(key)]["status"] for key in agreements] == ["not_requested", "pending"]
    assert [states[str(key)]["progress"]["posts"] for key in sharings] == [0, 1]
    assert [states[str(key)]["registration"] for key in webinars] == ["none", "registered"]
    assert [states[str(key)]["seats_left"] for key in webinars] == [2, 0]
    assert mirrored.stored_in_bulk([str(sharings[1])])[str(sharings[1])][1] == {"required_session": "webinar-7"}
    assert mirrored.stored_in_bulk([str(assignments[1])])[str(assignments[1])][1]["late_submissions"] is False
    assert mirrored.stored_in_bulk([str(assignments[0])])[str(assignments[0])][1]["late_submissions"] is True


def _change_in_workbench(workbench, usage, **fields):
    block = workbench.block(str(usage))
    for name, value in fields.items():
        setattr(block, name, value)
    block.save()
