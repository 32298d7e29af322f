"""The rubric, prompt and seeded groups an author writes (group_assignment/olx.py), called directly:
what the block keeps, what it refuses with which message, and what it exports again."""
import html

import pytest
from lxml import etree

from blended_xblocks.group_assignment.olx import (
    RubricError,
    clean_groups,
    clean_rubric,
    export_children,
    groups_errors,
    max_points,
    name_key,
    parse_children,
)


def levels(*points):
    return [{"points": value, "label": f"{value} points"} for value in points]


def refusal(criteria, strict=False) -> str:
    with pytest.raises(RubricError) as error:
        clean_rubric(criteria, strict=strict)
    return str(error.value)


def test_the_iom_assignment_reads_its_prompt_rubric_and_groups(olx_node):
    found = parse_children(olx_node)
    assert found["prompt"] == "<p>Design a <strong>community-level</strong> reintegration plan.</p>"
    assert [(c["name"], c["label"], [level["points"] for level in c["levels"]]) for c in found["rubric"]] == [
        ("analysis", "Context analysis", [0, 2, 4]), ("plan", "Activities and partners", [0, 3, 6])]
    assert found["groups"] == [{"name": "Team Sahel", "members": ["amina", "yusuf", "fatou"]},
                               {"name": "Team Horn", "members": ["sara"]}]
    assert max_points(found["rubric"]) == 10


def test_export_writes_back_what_import_read(olx_node):
    found = parse_children(olx_node)
    exported = etree.Element("blended_group_assignment")
    export_children(exported, found["prompt"], found["rubric"], found["groups"])
    assert parse_children(exported) == found


def test_a_prompt_that_is_not_xml_is_exported_as_text_and_reads_back_the_same():
    exported = etree.Element("blended_group_assignment")
    export_children(exported, "Plan < 5 pages & partners", [], [])
    assert b"<prompt>Plan &lt; 5 pages &amp; partners</prompt>" in etree.tostring(exported)
    # the prompt is HTML: text read back from OLX stays text, escaped, so learners read the same words
    read_back = parse_children(etree.fromstring(etree.tostring(exported)))["prompt"]
    assert read_back == "Plan &lt; 5 pages &amp; partners" and html.unescape(read_back) == "Plan < 5 pages & partners"


def test_levels_are_sorted_by_points_and_whole_points_stay_whole():
    rubric = clean_rubric([{"name": "plan", "label": "Plan", "levels": levels("6", 0, 2.5)}])
    assert [level["points"] for level in rubric[0]["levels"]] == [0, 2.5, 6]
    assert isinstance(rubric[0]["levels"][2]["points"], int)
    assert max_points(rubric + [{"levels": levels(1.25)}]) == 7.25


def test_olx_import_is_lenient_with_labels_but_studio_is_not():
    long = "L" * 250
    lenient = clean_rubric([{"name": "plan", "label": "", "levels": [{"points": 1, "label": long}]}])
    assert lenient[0]["label"] == "plan" and len(lenient[0]["levels"][0]["label"]) == 200
    assert refusal([{"name": "plan", "label": "", "levels": levels(1)}], strict=True) == (
        "Every criterion and level needs a label (criterion “plan”).")
    assert refusal([{"name": "plan", "label": "Plan", "levels": [{"points": 1, "label": long}]}], strict=True) == (
        "Labels are at most 200 characters (criterion “Plan”).")
    assert refusal([{"name": "plan", "label": "Plan", "levels": levels(1.5)}], strict=True).startswith(
        "Criterion “Plan”: points must be whole numbers")


@pytest.mark.parametrize("criteria, message", [
    ([{"name": "Plan!", "levels": levels(1)}], "Criterion “Plan!”: its identifier must be unique"),
    ([{"name": "plan", "levels": levels(1)}, {"name": "plan", "levels": levels(2)}],
     "Criterion “plan”: its identifier must be unique"),
    ([{"name": "plan", "label": "Plan", "levels": []}], "Criterion “Plan” needs at least one level."),
    ([{"name": "plan", "levels": levels(*range(21))}], "Criterion “plan” has more than 20 levels."),
    ([{"name": "plan", "levels": [{"points": "many", "label": "x"}]}],
     "Criterion “plan”: every level needs points as a number."),
    ([{"name": "plan", "levels": [{"points": True, "label": "x"}]}],
     "Criterion “plan”: every level needs points as a number."),
    ([{"name": "plan", "levels": levels(1001)}], "Criterion “plan”: points must be between 0 and 1000."),
    ([{"name": "plan", "levels": levels(-1)}], "Criterion “plan”: points must be between 0 and 1000."),
    ([{"name": "plan", "levels": levels(2, "2.0")}], "Criterion “plan”: two levels give the same points."),
    ([{"name": f"c{n}", "levels": levels(1)} for n in range(21)], "A rubric has at most 20 criteria."),
    ("not a list", "A rubric has at most 20 criteria."),
])
def test_an_unusable_rubric_is_refused_with_a_message_naming_the_criterion(criteria, message):
    assert refusal(criteria).startswith(message)


def test_a_rubric_error_keeps_its_msgid_and_params_for_the_authors_language():
    with pytest.raises(RubricError) as error:
        clean_rubric([{"name": "plan", "label": "Plan", "levels": []}])
    assert error.value.message == "Criterion “{name}” needs at least one level."
    assert error.value.params == {"name": "Plan"}


def test_group_names_that_look_alike_are_the_same_name():
    assert name_key("Équipe  Sahel ") == name_key("equipe sahel") == "equipe sahel"
    assert name_key("Œuvre") == name_key("oeuvre")
    assert name_key("Team Sahel") != name_key("Team Horn")


def test_seeded_groups_are_refused_for_duplicates_and_junk():
    assert groups_errors([{"name": "Team Sahel", "members": ["amina"]}, {"name": "Team Horn", "members": []}]) == []
    assert groups_errors([{"name": "Équipe Sahel", "members": ["amina"]},
                          {"name": "equipe sahel", "members": ["amina", "not a username"]}]) == [
        ("Two seeded groups are called “{name}”.", {"name": "equipe sahel"}),
        ("“{username}” is in more than one seeded group.", {"username": "amina"}),
        ("“{username}” is not a username.", {"username": "not a username"})]
    assert groups_errors([{"name": "  ", "members": []}]) == [
        ("Each seeded group needs a name and a list of member usernames.", {})]
    assert groups_errors("Team Sahel") == [("Each seeded group needs a name and a list of member usernames.", {})]
    assert groups_errors([{"name": "N" * 101, "members": []}]) == [("Group names are at most 100 characters.", {})]


def test_what_the_editors_text_boxes_leave_is_trimmed():
    assert clean_groups([{"name": " Team Sahel ", "members": [" amina", "", "  ", "yusuf "]}]) == [
        {"name": "Team Sahel", "members": ["amina", "yusuf"]}]
    assert clean_groups("junk") == "junk"
