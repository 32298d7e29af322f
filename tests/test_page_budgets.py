"""Every block's page downloads at most 20 KiB of script and style, counted from what the rendered
fragment references (the shared files, the block's own, anything inline), so a new file cannot slip
past; a learner's page never carries staff-only or Studio code (issue 13: weak connections)."""
import pytest

from blended_xblocks.core.resources import static_path
from tests.harness import application_call, webinar

BUDGET = 20 * 1024
GROUP_ASSIGNMENT = """<blended_group_assignment display_name="Plan" mode="group" due="2099-06-10T23:59"
    timezone="Europe/Geneva"><rubric><criterion name="plan" label="Plan"><level points="0" label="Missing"/>
    <level points="4" label="Complete"/></criterion></rubric></blended_group_assignment>"""
PAGES = {  # name: (OLX, who looks)
    "webinar": (webinar(capacity="2", checkin="true"), "amina"),
    "webinar, staff": (webinar(capacity="2", checkin="true"), "instructor"),
    "group assignment": (GROUP_ASSIGNMENT, "amina"),
    "group assignment, staff": (GROUP_ASSIGNMENT, "instructor"),
    "supervisor agreement": ('<blended_supervisor_agreement display_name="Agreement"/>', "amina"),
    "experience sharing": ('<blended_experience_sharing display_name="Share" tags="tip"/>', "amina"),
    "progress": ('<blended_progress display_name="Your programme"><requirement id="w" kind="attendance"'
                 ' blocks="blended_webinar/webinar-7"/></blended_progress>', "amina"),
    "application": (application_call(), "amina"),
}
STAFF_ONLY = ("_staff.js", "_studio.js", "common/studio.js")


def page_files(workbench, olx, student, view="student_view"):
    """{static file or 'inline N': bytes} of the JS and CSS the rendered fragment brings, the host's
    own (the workbench's jQuery and runtime, the LMS's) left out."""
    block = workbench.block(workbench.load(olx), student)
    fragment = block.render(view, {})
    ours = block.runtime.local_resource_url(block, "static/")
    files = {}
    for number, resource in enumerate(fragment.resources):
        if resource.mimetype not in ("application/javascript", "text/css"):
            continue
        if resource.kind == "url":
            if resource.data.startswith(ours):
                name = resource.data[len(ours):]
                files[name] = static_path(name).stat().st_size
        else:
            files[f"inline {number}"] = len(resource.data.encode("utf-8"))
    return files


@pytest.mark.parametrize("page", PAGES)
def test_each_page_loads_at_most_20_kib_of_script_and_style(workbench, page):
    olx, student = PAGES[page]
    files = page_files(workbench, olx, student)
    assert "common/blended.js" in files
    assert sum(files.values()) <= BUDGET, files


@pytest.mark.parametrize("page", [name for name, (olx, student) in PAGES.items() if student == "amina"])
def test_a_learners_page_carries_no_staff_or_studio_script(workbench, page):
    olx, student = PAGES[page]
    assert not [name for name in page_files(workbench, olx, student) if name.endswith(STAFF_ONLY)]


@pytest.mark.parametrize("page, script", [
    ("webinar", "webinar/webinar_staff.js"),
    ("group assignment", "group_assignment/group_assignment_staff.js"),
    ("supervisor agreement", "supervisor_agreement/supervisor_agreement_staff.js"),
    ("experience sharing", "experience_sharing/experience_sharing_staff.js"),
    ("application", "application/application_staff.js"),
    ("progress", "progress/progress_staff.js"),
])
def test_staff_get_their_script(workbench, page, script):
    assert script in page_files(workbench, PAGES[page][0], "instructor")


@pytest.mark.parametrize("olx", [webinar(), GROUP_ASSIGNMENT, PAGES["progress"][0], application_call()])
def test_studio_editors_bring_the_studio_helpers(workbench, olx):
    assert "common/studio.js" in page_files(workbench, olx, "instructor", view="studio_view")
