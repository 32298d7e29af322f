"""One time format and one page shape in every answer of every block (docs/api.md).

A walk over the demo's seeded scenarios calls every handler of the six blocks, with valid input, as
the person who may call it, and renders every view. Each JSON answer, the fragments' init arguments
and the JSON a page carries in its attributes must write every time as `YYYY-MM-DDTHH:MM:SSZ`, and
every list a handler pages must answer `page`, `page_size`, `total`, `num_pages` and its items
under the one key docs/api.md names for it. A handler added later fails the walk until it is in it.
"""
import html
import json
import re
from urllib.parse import unquote

import pytest
from django.core import mail
from xblock.core import XBlock

from blended_xblocks.core.pagination import page_of, paginate
from blended_xblocks.core.schema import PAGINATION
from tests.harness import Workbench, forget_demo_scenarios, load_demo_scenarios

TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Anything a reader would take for a date and time: any separator, seconds, fraction, offset or zone.
TIME_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?|UTC|GMT)?")
PAGE_KEYS = {"page", "page_size", "total", "num_pages"}
# The one list key per paginated handler (docs/api.md lists the same).
ITEMS = {
    ("blended_webinar", "roster"): "learners",
    ("blended_group_assignment", "list_submissions"): "rows",
    ("blended_group_assignment", "list_groups"): "groups",
    ("blended_supervisor_agreement", "list_agreements"): "agreements",
    ("blended_experience_sharing", "get_state"): "posts",
    ("blended_experience_sharing", "replies"): "replies",
    ("blended_experience_sharing", "flagged"): "posts",
    ("blended_experience_sharing", "participation"): "learners",
    ("blended_progress", "cohort"): "learners",
    ("blended_application", "list_applications"): "applications",
}
STAFF = "instructor"


def time_problems(value, path="$"):
    """Every string under `value` that reads as a time but is not in the one format."""
    if isinstance(value, dict):
        return [problem for key, item in value.items() for problem in time_problems(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [problem for index, item in enumerate(value) for problem in time_problems(item, f"{path}[{index}]")]
    if isinstance(value, str) and TIME_LIKE.fullmatch(value.strip()) and not TIME.fullmatch(value):
        return [(path, value)]
    return []


def times_in(value) -> int:
    """How many strings in the one format `value` holds (the walk must meet some)."""
    if isinstance(value, dict):
        return sum(times_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(times_in(item) for item in value)
    return int(isinstance(value, str) and bool(TIME.fullmatch(value)))


def page_problems(answer, items_key):
    """What differs from the one page shape: the page keys, consistent numbers, one list under `items_key`."""
    problems = [f"missing {key}" for key in sorted(PAGE_KEYS - answer.keys())]
    problems += [f"also answers {key}" for key in ("count", "results", "num_results", "items") if key in answer
                 and key != items_key]
    if not problems:
        page, size, total, pages = (answer[key] for key in ("page", "page_size", "total", "num_pages"))
        if pages != max(1, -(-total // size)) or not 1 <= page <= pages:
            problems.append(f"page {page} of {pages} for {total} rows of {size}")
    items = answer.get(items_key)
    if not isinstance(items, list) or len(items) > answer.get("page_size", 0):
        problems.append(f"no page of items under {items_key!r}")
    return problems


def handler_names(block_type):
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def schema_of(block_type, name):
    return getattr(getattr(XBlock.load_class(block_type), name), "json_schema", None)


class Walk:
    """Calls handlers of one block and keeps every answer for the checks."""

    def __init__(self, workbench, block_type, usage, answers, scenarios=None):
        self.workbench, self.block_type, self.usage, self.answers = workbench, block_type, usage, answers
        self.scenarios = scenarios

    def at(self, scenario):
        """The same walk on the block of another demo scenario (e.g. a session still open for registration)."""
        usage = usage_in(self.workbench, self.scenarios[scenario].usage_id, self.block_type)
        return Walk(self.workbench, self.block_type, usage, self.answers, self.scenarios)

    def __call__(self, handler, data=None, student="amina", **kwargs):
        result = self.workbench.call(self.usage, handler, data, student=student, **kwargs)
        self.answers.append((self.block_type, handler, student, result))
        return result

    def ok(self, handler, data=None, student="amina", **kwargs):
        result = self(handler, data, student, **kwargs)
        assert result.status < 400, (self.block_type, handler, student, result.status, result.body[:300])
        return result.json if result.headers.get("Content-Type", "").startswith("application/json") else result


def walk_webinar(call):
    call.ok("get_state")
    future = call.at("blended.10-webinar-two-seats")
    future.ok("register", {}, student="leila")
    future.ok("cancel", student="leila")
    code = call.ok("checkin_code", {}, student=STAFF)["code"]
    call.ok("check_in", {"code": code}, student="amina")
    roster = call.ok("roster", {"page_size": 2}, student=STAFF)
    past = call.ok("roster", {"page": 1000, "page_size": 2}, student=STAFF)
    assert past["page"] == past["num_pages"] > 1 and past["learners"]  # past the end: the last page
    user_id = roster["learners"][0]["user_id"]
    call.ok("set_attendance", {"records": [{"user_id": user_id, "attendance": "present"}]}, student=STAFF)
    call.ok("calendar", method="GET")
    call.ok("export_roster", method="GET", student=STAFF)
    csv = f"username,attendance\n{roster['learners'][0]['username']},late\n".encode()
    call.ok("import_attendance", post={"file": ("attendance.csv", csv)}, student=STAFF)
    edit = {"display_name": "Webinar 3", "start": "2030-03-29T10:30", "timezone": "Europe/Zurich", "duration": 90,
            "capacity": 20, "waitlist": True, "registration_closes": "", "join_url": "https://meet.example.org/x",
            "join_opens": 10, "languages": "en ar", "checkin": True, "late_after": 15, "recording_url": "",
            "weight": 2, "late_credit": 50, "excused_credit": 0, "description": "<p>New</p>", "speakers": []}
    call.ok("studio_submit", edit, student=STAFF)
    call.ok("submit_studio_edits", {"values": edit, "defaults": []}, student=STAFF)


def walk_group_assignment(call):
    state = call.ok("get_state", student="amina")
    version = state["draft"]["version"]
    call.ok("save_draft", {"text": "Our plan", "version": version})
    uploaded = call.ok("upload_file", post={"file": ("plan.pdf", b"%PDF-1.4 plan")})
    file_id = uploaded["id"]
    call.ok("download_file", method="GET", query=f"file_id={file_id}")
    again = call.ok("upload_file", post={"file": ("annex.pdf", b"%PDF-1.4 annex")})
    call.ok("delete_file", {"file_id": again["id"]})
    call.ok("submit", {"version": version + 1})
    self_enrolment = call.at("blended.21-group-assignment-self-enrolment")
    self_enrolment.ok("create_group", {"name": "Team Maghreb"}, student="omar")
    group_id = self_enrolment.ok("list_groups", {"query": "Maghreb"}, student=STAFF)["groups"][0]["id"]
    self_enrolment.ok("join_group", {"group_id": group_id}, student="leila")
    self_enrolment.ok("leave_group", {}, student="omar")
    group_id = call.ok("list_groups", {}, student=STAFF)["groups"][0]["id"]
    call.ok("assign_member", {"username": "leila", "group_id": group_id}, student=STAFF)
    rows = call.ok("list_submissions", {}, student=STAFF)["rows"]
    call.ok("list_submissions", {"page": 99}, student=STAFF)
    submitted = next(row for row in rows if row["submission_id"] and row["status"] in ("submitted", "late"))
    detail = call.ok("get_submission", {"submission_id": submitted["submission_id"]}, student=STAFF)
    levels = {"analysis": 2, "activities": 3}
    call.ok("grade", {"submission_id": submitted["submission_id"], "grade_version": detail["grade_version"],
                      "levels": levels, "feedback": "Good start."}, student=STAFF)
    call.ok("upload_feedback_file", post={"submission_id": str(submitted["submission_id"]),
                                          "file": ("feedback.pdf", b"%PDF-1.4 notes")}, student=STAFF)
    call.ok("release_grades", {"submission_ids": [submitted["submission_id"]]}, student=STAFF)
    call.ok("get_state", student="amina")
    call.ok("download_all", method="GET", student=STAFF)
    call.ok("export_grades", method="GET", student=STAFF)
    call.ok("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}, student=STAFF)


def walk_supervisor_agreement(call):
    call.ok("get_state", student="leila")
    call.ok("request_approval", {"name": "Moussa Traoré", "email": "m.traore@ngo.example.org",
                                 "organisation": "Sahel Returns NGO"}, student="leila")
    call.ok("resend", {}, student="leila")
    token = unquote(mail.outbox[-1].body.split("?token=")[1].split()[0])
    call.ok("supervisor_review", method="GET", query=f"token={token}", student="none")
    call.ok("supervisor_review", post={"token": token, "decision": "approve", "signer_name": "Moussa Traoré",
                                       "reason": ""}, student="none")
    call.ok("get_state", student="leila")
    call.ok("list_agreements", {"page_size": 2}, student=STAFF)
    past = call.ok("list_agreements", {"page": 500, "page_size": 2}, student=STAFF)
    assert past["page"] == past["num_pages"] > 1 and past["agreements"]  # past the end: the last page
    leila = next(row for row in call.ok("list_agreements", {"page_size": 200}, student=STAFF)["agreements"]
                 if row["username"] == "leila")
    call.ok("confirm_approval", {"user_id": leila["user_id"]}, student=STAFF)
    call.ok("request_approval", {"name": "Awa Sy", "email": "awa.sy@ngo.example.org",
                                 "organisation": "Dakar Returns"}, student="omar")
    omar = next(row for row in call.ok("list_agreements", {"status": "pending"}, student=STAFF)["agreements"]
                if row["username"] == "omar")
    call.ok("resend", {"user_id": omar["user_id"]}, student=STAFF)
    call.ok("cancel_request", {}, student="omar")
    call.ok("record_decision", {"user_id": leila["user_id"], "status": "declined", "note": "Paper form"}, student=STAFF)
    call.ok("export_agreements", method="GET", student=STAFF)
    call.ok("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}, student=STAFF)


def walk_experience_sharing(call):
    state = call.ok("get_state", {}, student="leila")
    call.ok("get_state", {"page": 1000, "page_size": 1}, student="leila")
    post = call.ok("create_post", {"title": "Mentors for returnees", "body": "What we learned."}, student="leila")["post"]
    call.ok("edit_post", {"post_id": post["id"], "title": "Mentors for returnees", "body": "What we learned, edited.",
                          "version": post["version"]}, student="leila")
    other = state["posts"][0]["id"]
    call.ok("reply", {"post_id": other, "body": "Thank you."}, student="leila")
    call.ok("replies", {"post_id": other}, student="leila")
    call.ok("react", {"post_id": other, "useful": True}, student="leila")
    call.ok("flag", {"post_id": other, "reason": "Names a returnee"}, student="leila")
    call.ok("flagged", {}, student=STAFF)
    call.ok("moderate", {"post_id": other, "action": "pin"}, student=STAFF)
    call.ok("participation", {"page_size": 2}, student=STAFF)
    call.ok("get_state", {}, student=STAFF)
    call.ok("delete_post", {"post_id": post["id"]}, student="leila")
    call.ok("export_csv", method="GET", student=STAFF)
    call.ok("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}, student=STAFF)


def walk_progress(call):
    state = call.ok("get_state", student="sara")
    cohort = call.ok("cohort", {"page_size": 2}, student=STAFF)
    call.ok("cohort", {"page": 1000}, student=STAFF)
    call.ok("certificate", method="GET", student="sara")
    call.ok("verify", method="GET", query=f"code={state['certificate']['code']}", student="none")
    call.ok("export_cohort", method="GET", student=STAFF)
    call.ok("course_blocks", {"kind": "attendance"}, student=STAFF)
    sara = next(row for row in call.ok("cohort", {"search": "sara"}, student=STAFF)["learners"])
    assert cohort["total"] >= 1
    call.ok("revoke_certificate", {"user_id": sara["user_id"], "reason": "Issued by mistake"}, student=STAFF)
    call.ok("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}, student=STAFF)


def walk_application(call):
    state = call.ok("get_state", student="amina")
    answers = {"role": "ngo", "experience": 3, "eligible": "yes", "motivation": "I counsel returnees in Niamey."}
    saved = call.ok("save_draft", {"answers": answers, "version": state.get("version", 0)})
    call.ok("upload_file", post={"question": "cv", "file": ("cv.pdf", b"%PDF-1.4 cv")})
    submitted = call.ok("submit", {"answers": answers, "version": saved.get("version", 1)})
    listing = call.ok("list_applications", {"page_size": 2}, student=STAFF)
    call.ok("list_applications", {"page": 1000}, student=STAFF)
    everyone = call.ok("list_applications", {"page_size": 200}, student=STAFF)["applications"]
    amina = next(row for row in everyone if row["username"] == "amina")
    call.ok("get_application", {"user_id": amina["user_id"]}, student=STAFF)
    call.ok("review", {"user_id": amina["user_id"], "scores": {"exp": 4, "plan": 3}}, student=STAFF)
    call.ok("decide", {"user_ids": [amina["user_id"]], "decision": "selected"}, student=STAFF)
    call.ok("accept_offer", {}, student="amina")
    call.ok("export_applications", method="GET", student=STAFF)
    call.ok("download_files", method="GET", student=STAFF)
    omar = next(row for row in everyone if row["username"] == "omar")
    call.ok("decide", {"user_ids": [omar["user_id"]], "decision": "selected"}, student=STAFF)
    call.ok("decline_offer", {}, student="omar")
    call.ok("withdraw", {}, student="leila")  # a seeded application
    assert listing["total"] >= 1 and submitted
    call.ok("submit_studio_edits", {"values": {"display_name": "Renamed"}, "defaults": []}, student=STAFF)


# block type: (demo scenario, the walk)
WALKS = {
    "blended_webinar": ("blended.10-webinar-live-checkin", walk_webinar),
    "blended_group_assignment": ("blended.20-group-assignment-community-plan", walk_group_assignment),
    "blended_supervisor_agreement": ("blended.31-supervisor-agreement-staff-confirmation", walk_supervisor_agreement),
    "blended_experience_sharing": ("blended.40-experience-sharing-iom", walk_experience_sharing),
    "blended_progress": ("blended.00-programme", walk_progress),
    "blended_application": ("blended.50-iom-call", walk_application),
}


def usage_in(workbench, usage, block_type):
    """The first block of `block_type` in a scenario's tree."""
    if f".{block_type}." in usage:
        return usage
    for child in getattr(workbench.block(usage, STAFF), "children", []):
        found = usage_in(workbench, child, block_type)
        if found:
            return found
    return None


@pytest.fixture
def scenarios(db):
    yield load_demo_scenarios()
    forget_demo_scenarios()


def embedded_json(page_html):
    """JSON a rendered page carries in its attributes (`data-…='{…}'`, autoescaped) and in its
    `<script type="application/json">` elements (Django's json_script)."""
    found = []
    attributes = [html.unescape(value) for value in re.findall(r'data-[\w-]+="([\[{][^"]*)"', page_html)]
    scripts = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page_html, re.S)
    for value in attributes + scripts:
        try:
            found.append(json.loads(value))
        except ValueError:
            continue
    return found


@pytest.mark.parametrize("block_type", sorted(WALKS))
def test_every_answer_writes_times_one_way_and_pages_one_way(scenarios, block_type):
    workbench = Workbench()
    scenario, walk = WALKS[block_type]
    usage = usage_in(workbench, scenarios[scenario].usage_id, block_type)
    answers = []
    walk(Walk(workbench, block_type, usage, answers, scenarios))

    called = {handler for _, handler, _, _ in answers}
    assert set(handler_names(block_type)) - called == set(), "a handler the walk does not call yet"
    answered = {handler for _, handler, _, result in answers if result.status < 400}
    assert {name for name in handler_names(block_type) if schema_of(block_type, name) is not None} <= answered

    problems, times = [], 0
    for _, handler, student, result in answers:
        if not result.headers.get("Content-Type", "").startswith("application/json"):
            continue
        body = result.json
        problems += [(handler, student, path, value) for path, value in time_problems(body)]
        times += times_in(body)
        schema = schema_of(block_type, handler) or {}
        if "page" in schema or "page_size" in schema or {"page", "page_size", "num_pages", "results"} & set(body):
            if result.status >= 400:
                continue
            for key in ("page", "page_size"):
                field, one = schema.get(key), PAGINATION[key]
                if not field or (field.minimum, field.maximum) != (one.minimum, one.maximum):
                    problems.append((handler, "request", key, "not the bounds of core.schema.PAGINATION"))
            problems += [(handler, student, "page", problem)
                         for problem in page_problems(body, ITEMS.get((block_type, handler), "items"))]
    for student in ("amina", STAFF):
        for view in ("student_view", "author_view", "studio_view"):
            if view == "studio_view" and student != STAFF:
                continue
            block = workbench.block(usage, student)
            fragment = block.render(view, {})
            for found in [fragment.json_init_args or {}, *embedded_json(fragment.body_html())]:
                problems += [(view, student, path, value) for path, value in time_problems(found)]
    assert problems == []
    assert times > 0, "the walk met no time at all: it would not notice a second format"


@pytest.mark.parametrize("answer", [
    {"created": "2022-05-16T08:00:00+00:00"},
    {"post": {"replies": [{"created": "2022-05-16T08:00:00.123456Z"}]}},
    {"decided_at": "2022-05-16 08:00:00"},
])
def test_the_walk_catches_a_second_time_format(answer):
    assert time_problems(answer)


@pytest.mark.parametrize("answer", [
    {"results": [], "count": 0, "page": 1, "page_size": 50, "num_pages": 1},
    {"agreements": [], "total": 0, "page": 1, "page_size": 50},
    {"agreements": [], "total": 0, "count": 0, "page": 1, "page_size": 50, "num_pages": 1},
    {"agreements": [], "total": 120, "page": 9, "page_size": 50, "num_pages": 3},
])
def test_the_walk_catches_a_second_page_shape(answer):
    assert page_problems(answer, "agreements")


def test_the_one_shapes_pass_the_walk():
    assert time_problems({"start": "2022-05-16T08:00:00Z", "day": "2022-05-16", "note": "at 08:00"}) == []
    assert page_problems({"agreements": [{}], "total": 1, "page": 1, "page_size": 50, "num_pages": 1},
                         "agreements") == []


def test_a_page_past_the_end_is_the_last_page_and_an_empty_list_is_page_one_of_one():
    assert paginate(list(range(7)), 9, 3, "learners") == {
        "learners": [6], "page": 3, "page_size": 3, "total": 7, "num_pages": 3}
    assert page_of(0, 5, 50).json("groups", []) == {"groups": [], "page": 1, "page_size": 50, "total": 0, "num_pages": 1}
    assert page_of(100, 2, 50).rows(list(range(100))) == list(range(50, 100))
