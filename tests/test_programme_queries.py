"""A programme unit reads our tables the same number of times for two webinars or ten (issue 13):
the page's webinars read their sessions, the seat counts, the learner's row and their registrations
together, in one query per request, and what a handler changed shows on the next page."""
import json
import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, grade_body, submitted, webinar

PDF = b"%PDF-1.4\n% reintegration plan\n"


def unit(count):
    """`count` webinars on one unit, every third one over, every second one with two seats (else unlimited)."""
    webinars = "".join(
        webinar(minutes=(24 * 60 if n % 3 else -3 * 24 * 60), display_name=f"Webinar {n}", capacity=str(2 if n % 2 else 0))
        for n in range(count))
    return f"<vertical_demo>{webinars}</vertical_demo>"


def our_queries(workbench, usage, student="amina"):
    with CaptureQueriesContext(connection) as captured:
        html = workbench.render(usage, student=student)
    return [query["sql"] for query in captured if "blended_xblocks_" in query["sql"]], html


def seats_texts(html):
    return re.findall(r"<p data-bw-seats>([^<]*)</p>", html)


def status_texts(html):
    return re.findall(r"<p data-bw-status-text>([^<]*)</p>", html)


def child_usage(workbench, usage, index):
    return workbench.block(usage).children[index]


def test_ten_webinars_read_our_tables_as_often_as_two(workbench):
    small, large = workbench.load(unit(2)), workbench.load(unit(10))
    workbench.render(small), workbench.render(large)  # the first view mirrors each session (writes)
    small_sql, small_html = our_queries(workbench, small)
    large_sql, large_html = our_queries(workbench, large)
    assert len(status_texts(small_html)) == 2 and len(status_texts(large_html)) == 10
    assert len(small_sql) == len(large_sql)
    # One statement: the sessions with their seats taken, the learner's row and their registrations.
    assert len(large_sql) == 1, large_sql
    assert re.search(r'FROM [`"]blended_xblocks_webinarsession[`"]', large_sql[0])
    assert re.search(r'[`"]blended_xblocks_learner[`"]', large_sql[0])
    assert re.search(r'[`"]blended_xblocks_webinarregistration[`"]', large_sql[0])
    assert re.search(r'joined[`"]?\.[`"]learner_id', large_sql[0])  # the learner's registrations joined, not only seats


def test_a_known_learner_opening_webinars_not_stored_yet_reads_the_sessions_once(workbench):
    """The first view after an author adds webinars (before a publish stored their sessions): the
    sessions are looked for once, with the learner's row, and the learner is not inserted again."""
    workbench.render(workbench.load(unit(1)))  # the learner's row exists
    fresh = workbench.load(unit(3))
    with CaptureQueriesContext(connection) as captured:
        html = workbench.render(fresh)
    statements = [query["sql"] for query in captured]
    session_reads = [sql for sql in statements
                     if sql.lstrip().startswith("SELECT") and re.search(r'FROM [`"]blended_xblocks_webinarsession[`"]', sql)]
    assert len(session_reads) == 1, session_reads
    assert not [sql for sql in statements if re.match(r'\s*INSERT INTO [`"]blended_xblocks_learner[`"]', sql)]
    assert len(status_texts(html)) == 3
    assert len(our_queries(workbench, fresh)[0]) == 1  # stored now: one statement, as any page of webinars


def test_a_registration_shows_on_the_next_view_of_the_unit(workbench):
    usage = workbench.load(unit(4))
    before = workbench.render(usage)
    assert status_texts(before) == ["You are not registered."] * 4
    assert seats_texts(before)[:3] == ["", "2 seats left of 2.", "Open to all: no seat limit."]  # the first is over
    second = child_usage(workbench, usage, 1)
    assert workbench.call(second, "register", {}).json["registration"] == "registered"
    assert workbench.call(second, "register", {}, student="yusuf").json["seats_left"] == 0
    after = workbench.render(usage)
    assert status_texts(after)[1] == "You are registered."
    assert seats_texts(after)[1] == "Full: new registrations join the waitlist."
    assert status_texts(after)[2] == "You are not registered."
    assert seats_texts(after)[2] == "Open to all: no seat limit."


def test_a_session_changed_by_its_author_shows_its_seats_on_the_unit(workbench):
    """The first view after an edit refreshes the session row (and may promote waitlisted learners):
    the seat counts the page read before are read again."""
    usage = workbench.load(unit(2))
    second = child_usage(workbench, usage, 1)
    for student in ("amina", "yusuf", "fatou"):
        workbench.call(second, "register", {}, student=student)
    assert seats_texts(workbench.render(usage, student="fatou"))[1] == "Full: new registrations join the waitlist."
    block = workbench.block(second)
    block.capacity = 3
    block.save()
    html = workbench.render(usage, student="fatou")
    assert status_texts(html)[1] == "You are registered."  # moved up from the waitlist on this very view
    assert seats_texts(html)[1] == "Full: new registrations join the waitlist."


def assignments(count):
    return "<vertical_demo>" + "".join(
        f'<blended_group_assignment mode="individual" display_name="Assignment {n}"/>' for n in range(count)
    ) + "</vertical_demo>"


def test_six_assignments_read_our_tables_as_often_as_two(workbench, settings, tmp_path):
    """Each assignment's own group, submission, members, files, history and released grade are read
    with the unit's others."""
    settings.MEDIA_ROOT = str(tmp_path)
    small, large = workbench.load(assignments(2)), workbench.load(assignments(6))
    workbench.render(small), workbench.render(large)  # the first view makes each learner's own group
    first, last = child_usage(workbench, large, 0), child_usage(workbench, large, 5)
    assert workbench.call(first, "save_draft", {"text": "My reintegration plan", "version": 0}).status == 200
    upload = workbench.call(last, "upload_file", post={"file": ("Plan Sahel.pdf", PDF)})
    assert upload.status == 200
    small_sql, _ = our_queries(workbench, small)
    large_sql, html = our_queries(workbench, large)
    assert len(large_sql) == len(small_sql)
    parts = html.split('data-block-type="blended_group_assignment"')[1:] or html.split(
        "data-block-type='blended_group_assignment'")[1:]
    assert len(parts) == 6
    assert "My reintegration plan" in parts[0] and "My reintegration plan" not in "".join(parts[1:])
    assert "Plan Sahel.pdf" in parts[5] and "Plan Sahel.pdf" not in "".join(parts[:5])
    actions = [re.findall(r"&quot;action&quot;:&quot;(\w+)&quot;", part) for part in parts]
    assert actions == [["saved"], [], [], [], [], ["uploaded"]]  # each history shows its own events


def page_states(html):
    return [json.loads(unescape(found)) for found in re.findall(r'data-bga-state="([^"]*)"', html)]


def test_the_unit_shows_each_assignment_as_its_get_state_answers(workbench):
    """What the page reads together is what each block reads alone: group, members, history (grading
    events hidden until the grade is released), files and result."""
    usage = workbench.load(f'<vertical_demo>{OLX}<blended_group_assignment mode="individual"/></vertical_demo>')
    group, own = child_usage(workbench, usage, 0), child_usage(workbench, usage, 1)
    workbench.call(group, "get_state", student="yusuf")
    row = submitted(workbench, group)
    workbench.call(own, "save_draft", {"text": "Mine", "version": 0})
    assert workbench.call(group, "grade", grade_body(row), student=STAFF).status == 200
    for moment in ("graded", "released"):
        if moment == "released":
            workbench.call(group, "release_grades", {}, student=STAFF)
        states = page_states(workbench.render(usage))
        alone = [workbench.call(block, "get_state").json for block in (group, own)]
        assert states == alone
        actions = [event["action"] for event in states[0]["history"]]
        assert ("graded" in actions) is (moment == "released")
        assert (states[0]["result"] is not None) is (moment == "released")
    assert len(states[0]["group"]["members"]) == 2 and "Amina Diallo" in states[0]["group"]["members"]
    assert [event["action"] for event in states[1]["history"]] == ["saved"]
