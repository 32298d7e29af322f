"""Mobile apps (issue 8, fix 10): `multi_device` learner views and `student_view_data()`.

The Course Blocks API marks a block usable in the apps when its `student_view` supports
`multi_device`, and hands the apps what `student_view_data()` returns. It collects that once per
publish from blocks bound to no learner: the learner part is therefore null there, and filled only
for a block bound to a signed-in learner. Reading it never writes.
"""
import json

import pytest
from django.apps import apps
from workbench.runtime import WorkbenchRuntime
from xblock.core import XBlock

from tests.harness import GROUP_ASSIGNMENT, STAFF, SUPERVISOR_AGREEMENT, grade_body, submitted, webinar

BLOCKS = {
    "blended_webinar": webinar(capacity="1", languages="en ar"),
    "blended_group_assignment": GROUP_ASSIGNMENT,
    "blended_supervisor_agreement": SUPERVISOR_AGREEMENT.format(weight="1"),
    "blended_experience_sharing": '<blended_experience_sharing display_name="ES" min_posts="1" min_replies="0"/>',
    "blended_progress": ('<vertical_demo><vertical_demo url_name="module-1"><html_demo><p>Reintegration.</p></html_demo>'
                         '</vertical_demo><blended_progress display_name="Your programme" issuer="IOM">'
                         '<requirement id="module" label="Module 1" kind="completion" blocks="vertical_demo/module-1"/>'
                         '</blended_progress></vertical_demo>'),
}


def loaded(workbench, block_type):
    """The block itself (the progress block sits beside the module it counts)."""
    usage = workbench.load(BLOCKS[block_type])
    return workbench.block(usage).children[-1] if block_type == "blended_progress" else usage


def rows():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("blended_xblocks").get_models()}


def data(workbench, usage, student="amina"):
    block = workbench.block(usage, student) if student else WorkbenchRuntime().get_block(usage)
    result = block.student_view_data()
    json.dumps(result)  # the apps read JSON
    return result


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_learner_views_support_multi_device(workbench, block_type):
    block = workbench.block(loaded(workbench, block_type))
    assert block.has_support(getattr(block, "student_view", None), "multi_device")  # what the Blocks API asks
    assert callable(getattr(XBlock.load_class(block_type), "student_view_data", None))


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_student_view_data_reads_only_and_has_no_learner_part_without_a_learner(workbench, block_type):
    usage = loaded(workbench, block_type)
    before = rows()
    unbound = data(workbench, usage, student=None)
    assert unbound["block_type"] == block_type and unbound["learner"] is None
    assert data(workbench, usage, "never-seen")["learner"] is not None
    assert rows() == before  # no Learner row, no session, no group was created


def test_webinar_data_gives_the_time_the_registration_and_the_join_link_only_in_its_window(workbench):
    later = workbench.load(webinar(minutes=24 * 60, capacity="1", languages="en ar"))
    unbound = data(workbench, later, student=None)
    assert unbound["timezone"] == "Africa/Dakar" and unbound["languages"] == ["en", "ar"] and unbound["capacity"] == 1
    assert unbound["start"].endswith("+00:00") or unbound["start"].endswith("Z")
    assert "join_url" not in unbound  # never in what is cached for everyone
    workbench.call(later, "register", {"language": "en"}, student="amina")
    workbench.call(later, "register", {"language": "en"}, student="yusuf")
    mine = data(workbench, later, "amina")["learner"]
    assert mine == {"registration": "registered", "waitlist_position": None, "attendance": "unmarked", "join_url": None}
    assert data(workbench, later, "yusuf")["learner"]["registration"] == "waitlisted"
    soon = workbench.load(webinar(minutes=5, capacity="1"))
    workbench.call(soon, "register", {}, student="amina")
    workbench.call(soon, "register", {}, student="yusuf")
    assert data(workbench, soon, "amina")["learner"]["join_url"] == "https://meet.example.org/kmh-3"
    assert data(workbench, soon, "yusuf")["learner"]["join_url"] is None  # waitlisted: no link


def test_group_assignment_data_gives_status_and_released_grade(workbench):
    usage = workbench.load(GROUP_ASSIGNMENT)
    assert data(workbench, usage, student=None)["max_points"] == 10
    assert data(workbench, usage, "amina")["learner"] == {"status": None, "group": None, "grade": None}
    workbench.call(usage, "get_state", {}, student="yusuf")
    row = submitted(workbench, usage)
    learner = data(workbench, usage, "amina")["learner"]
    assert learner["status"] == "submitted" and learner["group"] and learner["grade"] is None
    workbench.call(usage, "grade", grade_body(row), student=STAFF)
    assert data(workbench, usage, "amina")["learner"]["grade"] is None  # not released yet
    workbench.call(usage, "release_grades", {}, student=STAFF)
    learner = data(workbench, usage, "amina")["learner"]
    assert learner["status"] == "graded" and learner["grade"] == {"points": 7, "max_points": 10}


def test_supervisor_agreement_data_gives_the_status(workbench):
    usage = workbench.load(SUPERVISOR_AGREEMENT.format(weight="1"))
    assert data(workbench, usage, "amina")["learner"] == {"status": "not_requested"}
    workbench.call(usage, "request_approval", {"name": "Moussa Traoré", "email": "m.traore@ngo.example.org",
                                               "organisation": "Sahel Returns NGO"}, student="amina")
    assert data(workbench, usage, "amina")["learner"] == {"status": "pending"}


def test_experience_sharing_data_gives_the_posts_count_and_completion(workbench):
    usage = workbench.load(BLOCKS["blended_experience_sharing"])
    assert data(workbench, usage, "amina")["learner"] == {"posts": 0, "replies": 0, "completed": False}
    workbench.call(usage, "create_post", {"title": "A case", "body": "What happened."}, student="amina")
    assert data(workbench, usage, "amina")["learner"] == {"posts": 1, "replies": 0, "completed": True}


def test_progress_data_gives_the_requirements_and_the_learners_progress(workbench):
    usage = loaded(workbench, "blended_progress")
    module = workbench.block(usage).get_parent().children[0]
    unbound = data(workbench, usage, student=None)
    assert unbound["requirements"] == [{"id": "module", "label": "Module 1", "kind": "completion", "needed": 1}]
    assert data(workbench, usage, "amina")["learner"]["met"] is False
    workbench.render(module, "amina")
    learner = data(workbench, usage, "amina")["learner"]
    assert learner["met"] and learner["requirements"]["module"]["done"] == 1
    assert learner["certificate"] == "not_yet"  # read only: the certificate is issued by the learner's visit


def test_preview_has_no_learner_part(workbench):
    usage = workbench.load(BLOCKS["blended_webinar"])
    block = workbench.block(usage, "student")
    block.runtime.is_author_mode = True
    assert block.student_view_data()["learner"] is None
