"""A `score` requirement over a problem or a unit, read in the LMS the way the LMS grades it:
the learner's `StudentModule` grade (edx-submissions first), a unit as the weighted sum of its
problems; a page of 10 or 100 learners costs the same queries."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from submissions import api as submissions_api

from blended_xblocks.platform.adapter import OpenEdxOutcomeReader
from blended_xblocks.progress.programme import Person
from tests.harness import programme


def scored_problem(host, url_name):
    key = host.course_key.make_usage_key("problem", url_name)
    host.store.keys.add(str(key))
    return key


def answered(host, person, problem, grade, max_grade=1.0):
    """What the LMS stores when the learner submits a CAPA problem (StudentModule grade/max_grade)."""
    host.student_module[(person.user_id, str(problem))] = (grade, max_grade)


def test_a_problem_score_requirement_is_met_at_the_minimum_share_and_not_below(course):
    final = scored_problem(course, "final-test")
    key = programme(course, extra='<requirement id="test" label="Final test" kind="score" '
                                  'blocks="problem/final-test" min_score="0.7"/>')
    amina, yusuf, omar = (course.person(name, full) for name, full in
                          (("amina", "Amina Diallo"), ("yusuf", "Yusuf Abdi"), ("omar", "Omar Sy")))
    answered(course, amina, final, 7, 10)
    answered(course, yusuf, final, 6, 10)
    answered(course, omar, final, None, 10)  # opened, never submitted: not scored
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    rows = {row["username"]: row["requirements"]["test"] for row in staff.call(key, "cohort", {}).json["learners"]}
    assert rows == {"amina": {"met": True, "done": 1, "needed": 1}, "yusuf": {"met": False, "done": 0, "needed": 1},
                    "omar": {"met": False, "done": 0, "needed": 1}}
    state = course.lms(amina).call(key, "get_state").json
    assert next(r for r in state["requirements"] if r["id"] == "test")["met"]
    reader = OpenEdxOutcomeReader()
    people = [Person(None, person.user_id) for person in (amina, yusuf, omar)]
    shares = reader.scores_in_bulk(str(course.course_key), [str(final)], people)
    assert shares == {(str(final), people[0]): 0.7, (str(final), people[1]): 0.6}  # Omar: nothing


def test_a_unit_is_the_weighted_sum_of_its_problems(course):
    unit = course.course_key.make_usage_key("vertical", "unit-test")
    p1, p2 = (course.course_key.make_usage_key("problem", name) for name in ("p1", "p2"))
    course.store.keys.add(str(unit))
    course.structure.add(unit, p1, has_score=True, weight=1)
    course.structure.add(unit, p2, has_score=True, weight=3)
    course.structure.add(unit, course.course_key.make_usage_key("html", "notes"))  # no score: not counted
    amina = course.person("amina", "Amina Diallo")
    person = Person(None, amina.user_id)
    reader = OpenEdxOutcomeReader()

    def share():
        return reader.scores_in_bulk(str(course.course_key), [str(unit)], [person]).get((str(unit), person))

    assert share() is None  # nothing scored yet
    answered(course, amina, p1, 1, 2)  # half of p1's weight 1
    assert share() == 0.5 / 4  # p2 not scored yet: 0 of its weight 3
    answered(course, amina, p2, 5, 5)
    assert share() == 3.5 / 4


def test_a_score_in_edx_submissions_wins_over_the_student_module(course):
    """ORA2 and edx-sga score through edx-submissions, which the LMS reads first."""
    essay = scored_problem(course, "essay")
    amina = course.person("amina", "Amina Diallo")
    anonymous_id = amina.anonymous_id(course.course_key)
    answered(course, amina, essay, 1, 10)
    item = {"student_id": anonymous_id, "course_id": str(course.course_key), "item_id": str(essay),
            "item_type": "openassessment"}
    submission = submissions_api.create_submission(item, {"text": "My essay"})
    submissions_api.set_score(submission["uuid"], 8, 10)
    person = Person(None, amina.user_id, anonymous_id)
    shares = OpenEdxOutcomeReader().scores_in_bulk(str(course.course_key), [str(essay)], [person])
    assert shares == {(str(essay), person): 0.8}


def test_problem_scores_for_10_or_100_learners_cost_the_same_queries(course):
    final = scored_problem(course, "final-test")
    reader = OpenEdxOutcomeReader()
    table = course.student_module_table

    def cost(count):
        people = [Person(None, 50_000 + n, f"anon-{n}") for n in range(count)]
        for person in people:
            course.student_module[(person.user_id, str(final))] = (person.user_id % 10, 10)
        reads = table.reads
        with CaptureQueriesContext(connection) as captured:
            shares = reader.scores_in_bulk(str(course.course_key), [str(final)], people)
        assert len(shares) == count
        return len(captured) + table.reads - reads

    assert cost(10) == cost(100) == 2  # StudentModule, and edx-submissions for those with an anonymous id
