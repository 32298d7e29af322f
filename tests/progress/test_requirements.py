"""Reading a programme's requirements: what an author can write, and what is refused."""
import pytest

from blended_xblocks.progress.requirements import (
    BlockRef,
    RequirementError,
    block_type_fits,
    build_programme,
    build_requirement,
    kinds_for,
)

WEBINARS = " ".join(f"blended_webinar/webinar-{n}" for n in range(1, 11))


def test_the_iom_requirements_read_as_written():
    parsed = build_programme([
        {"id": "course", "label": "Online course and test", "kind": "score", "blocks": "sequential/final-test",
         "min_score": "0.7"},
        {"id": "optional", "label": "Optional modules", "kind": "completion",
         "blocks": "sequential/m1 sequential/m2 sequential/m3 sequential/m4 sequential/m5", "min": "2"},
        {"id": "webinars", "label": "Webinars", "kind": "attendance", "blocks": WEBINARS, "min": "8", "excused": "true"},
        {"id": "supervisor", "label": "Supervisor agreement", "kind": "approval",
         "blocks": "blended_supervisor_agreement/agreement"},
    ], strict=True)
    course, optional, webinars, supervisor = parsed.requirements
    assert (course.min_score, course.needed) == (0.7, 1)
    assert (optional.needed, len(optional.blocks)) == (2, 5)
    assert webinars.blocks[0] == BlockRef("blended_webinar", "webinar-1") and webinars.needed == 8
    assert webinars.excused_counts and not supervisor.excused_counts
    assert supervisor.needed == 1 and parsed.problems == []


@pytest.mark.parametrize(("attributes", "code"), [
    ({"id": "x", "kind": "magic", "blocks": "problem/a"}, "unknown_kind"),
    ({"id": "x", "kind": "attendance", "blocks": "problem/a"}, "wrong_block_type"),
    ({"id": "x", "kind": "approval", "blocks": "blended_webinar/w1"}, "wrong_block_type"),
    ({"id": "x", "kind": "completion", "blocks": "sequential/m1 sequential/m2", "min": "3"}, "impossible_min"),
    ({"id": "x", "kind": "completion", "blocks": "sequential/m1", "min": "0"}, "impossible_min"),
    ({"id": "x", "kind": "completion", "blocks": "sequential/m1", "min": "two"}, "impossible_min"),
    ({"id": "x", "kind": "score", "blocks": "problem/p", "min_score": "70"}, "invalid_min_score"),
    ({"id": "x", "kind": "approval", "blocks": "blended_supervisor_agreement/a", "min_score": "0.5"},
     "min_score_not_scored"),
    ({"id": "x", "kind": "completion", "blocks": ""}, "no_blocks"),
    ({"id": "x", "kind": "completion", "blocks": "sequential"}, "invalid_block"),
    ({"id": "", "kind": "completion", "blocks": "sequential/m1"}, "invalid_id"),
    ({"id": "a b", "kind": "completion", "blocks": "sequential/m1"}, "invalid_id"),
])
def test_impossible_requirements_are_refused_with_a_code(attributes, code):
    with pytest.raises(RequirementError) as refused:
        build_requirement(attributes)
    assert refused.value.code == code
    assert "{" not in str(refused.value)  # placeholders filled for logs


def test_an_import_keeps_the_good_lines_and_reports_the_bad_ones():
    parsed = build_programme([
        {"id": "core", "kind": "completion", "blocks": "sequential/core"},
        {"id": "odd", "kind": "telepathy", "blocks": "problem/p"},
        {"id": "core", "kind": "completion", "blocks": "sequential/other"},
        {"id": "sharing", "kind": "participation", "blocks": "blended_experience_sharing/s1"},
    ], strict=False)
    assert [requirement.id for requirement in parsed.requirements] == ["core", "sharing"]
    assert [(problem.code, problem.requirement_id) for problem in parsed.problems] == [
        ("unknown_kind", "odd"), ("duplicate_id", "core")]


def test_studio_refuses_the_first_problem_instead_of_dropping_it():
    with pytest.raises(RequirementError) as refused:
        build_programme([{"id": "core", "kind": "completion", "blocks": "sequential/core"},
                         {"id": "core", "kind": "completion", "blocks": "sequential/c2"}], strict=True)
    assert refused.value.code == "duplicate_id"


def test_a_block_named_twice_counts_once_so_min_stays_possible():
    requirement = build_requirement({"id": "w", "kind": "attendance",
                                     "blocks": "blended_webinar/w1 blended_webinar/w1 blended_webinar/w2", "min": "2"})
    assert len(requirement.blocks) == 2 and requirement.needed == 2


def test_excused_only_means_something_for_attendance():
    requirement = build_requirement({"id": "c", "kind": "completion", "blocks": "sequential/m1", "excused": "true"})
    assert not requirement.excused_counts


@pytest.mark.parametrize(("kind", "fitting", "refused"), [
    ("attendance", ["blended_webinar"], ["sequential", "problem", "blended_group_assignment"]),
    ("assignment", ["blended_group_assignment"], ["blended_webinar", "problem"]),
    ("approval", ["blended_supervisor_agreement"], ["blended_webinar", "sequential"]),
    ("participation", ["blended_experience_sharing"], ["blended_webinar", "html"]),
    ("completion", ["html", "video", "problem", "chapter", "sequential", "vertical", "blended_webinar"],
     ["course", "about", "static_tab", "blended_progress"]),
    ("score", ["problem", "sequential", "vertical", "chapter", "openassessment", "blended_group_assignment"],
     ["html", "video", "course", "blended_progress", "blended_experience_sharing"]),
])
def test_the_kind_decides_which_block_types_fit(kind, fitting, refused):
    assert all(block_type_fits(kind, block_type) for block_type in fitting)
    assert not any(block_type_fits(kind, block_type) for block_type in refused)
    for block_type in refused:
        with pytest.raises(RequirementError) as error:
            build_requirement({"id": "x", "kind": kind, "blocks": f"{block_type}/b"})
        assert (error.value.code, error.value.params["block"]) == ("wrong_block_type", f"{block_type}/b")


def test_each_block_type_lists_the_kinds_that_may_name_it():
    assert kinds_for("blended_webinar") == ["completion", "score", "attendance"]
    assert kinds_for("vertical") == ["completion", "score"]  # a unit: the weighted sum of its problems
    assert kinds_for("course") == [] and kinds_for("nonsense") == ["completion", "score"]
