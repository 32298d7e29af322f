"""The group assignment's Studio editor: a form (not JSON) for every setting, the rubric and the
seeded groups; saving goes through `submit_studio_edits`, which checks everything again."""
import re

import pytest

from blended_xblocks.core.i18n import Translator
from tests.harness import GROUP_ASSIGNMENT as OLX
from tests.harness import STAFF, criterion, editor_values, save

SETTINGS = ("display_name", "mode", "teamset", "max_group_size", "self_enrolment", "assignment_due", "timezone",
            "late_submissions", "max_files", "max_file_mb", "file_types", "weight", "prompt")


def test_the_editor_shows_every_setting_with_a_label(workbench):
    html = workbench.render(workbench.load(OLX), STAFF, view="studio_view")
    assert "BlendedGroupAssignmentStudio" in html
    for field in SETTINGS:
        match = re.search(rf'<(input|select|textarea) id="([^"]+)" name="{field}"', html)
        assert match, field
        assert f'<label for="{match.group(2)}">' in html, field
    assert 'value="Group assignment 1: Community reintegration plan"' in html
    assert '<option value="group" selected>' in html and "<option selected>Europe/Geneva</option>" in html
    assert 'name="late_submissions" type="checkbox" checked' in html
    assert 'name="assignment_due" type="datetime-local" value="2099-06-10T23:59"' in html
    assert "Design a &lt;strong&gt;community-level&lt;/strong&gt; reintegration plan." in html


def test_the_editor_shows_the_rubric_and_groups_as_rows_not_json(workbench):
    html = workbench.render(workbench.load(OLX), STAFF, view="studio_view")
    form = html.split("<template", 1)[0]  # the rows the author sees, not the blank copies
    assert form.count("data-bga-criterion ") == 2 and form.count("data-bga-level>") == 6
    assert 'data-bga-name="analysis"' in form and 'value="Context analysis"' in form
    assert 'value="Activities and partners"' in form and 'value="Feasible and costed"' not in form
    assert re.search(r'value="Partial"[^>]*>.*?value="2"', form, re.S)
    assert "Maximum points: 10" in form
    assert 'value="Team Sahel"' in form and ">amina\nyusuf\nfatou</textarea>" in form
    assert '"levels"' not in form and "&quot;levels&quot;" not in form


def test_author_text_in_the_editor_is_escaped(workbench):
    usage = workbench.load(
        '<blended_group_assignment display_name="Plan"><rubric>'
        '<criterion name="x" label="&lt;script&gt;alert(1)&lt;/script&gt;"><level points="1" label="&quot;&gt;&lt;b&gt;"/>'
        '</criterion></rubric><group name="&lt;script&gt;alert(2)&lt;/script&gt;"><member username="amina"/></group>'
        '</blended_group_assignment>')
    html = workbench.render(usage, STAFF, view="studio_view")
    assert "<script>alert" not in html and '"><b>' not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'value="&lt;script&gt;alert(2)&lt;/script&gt;"' in html
    assert 'value="&quot;&gt;&lt;b&gt;"' in html


def test_arabic_editor_is_right_to_left_and_translated(workbench):
    html = workbench.render(workbench.load(OLX), STAFF, view="studio_view", language="ar")
    assert re.search(r'<form class="blended-block bga-studio" lang="ar" dir="rtl"', html)
    form = html.split("</form>", 1)[0]  # the JS catalogue after it holds the English msgids as keys
    assert "إضافة معيار" in form and "الحد الأقصى للنقاط: 10" in form
    assert "Add a criterion" not in form and "Maximum points" not in form


def test_saving_the_editors_rubric_changes_what_learners_and_graders_see(workbench):
    usage = workbench.load(OLX)
    rubric = editor_values()["rubric"] + [{"name": "budget-realism", "label": "Budget realism", "levels": [
        {"label": "Costed", "points": 5}, {"label": "Missing", "points": 0}]}]
    rubric[0]["label"] = "Analysis of the town"
    assert "Context analysis" in workbench.render(usage, "amina")  # the rubric as it was, rendered and kept
    result = save(workbench, usage, editor_values(rubric=rubric))
    assert result.status == 200, result.body

    block = workbench.block(usage)
    assert block.max_score() == 15
    assert [c["name"] for c in block.rubric] == ["analysis", "plan", "budget-realism"]  # stable for old grades
    assert block.rubric[2]["levels"] == [{"points": 0, "label": "Missing"}, {"points": 5, "label": "Costed"}]
    learner = workbench.render(usage, "amina")
    assert "How this is graded (15 points)" in learner and "Budget realism" in learner
    assert "Analysis of the town" in learner and "Context analysis" not in learner
    assert workbench.call(usage, "get_state", student="amina").json["max_points"] == 15
    assert "15 points" in workbench.render(usage, STAFF)


def test_seeded_groups_from_the_editor_place_learners(workbench):
    usage = workbench.load(OLX)
    groups = [{"name": " Team Niger ", "members": [" amina ", "", "kwame"]}, {"name": "Team Horn", "members": ["sara"]}]
    assert save(workbench, usage, editor_values(groups=groups)).status == 200
    assert workbench.block(usage).groups[0] == {"name": "Team Niger", "members": ["amina", "kwame"]}
    assert workbench.call(usage, "get_state", student="kwame").json["group"]["name"] == "Team Niger"


@pytest.mark.parametrize(("rubric", "says"), [
    ([criterion("plan", "Plan"), criterion("plan", "Plan again")], "identifier must be unique"),
    ([criterion(levels=())], "needs at least one level"),
    ([criterion(levels=[{"label": "Below zero", "points": -1}])], "between 0 and 1000"),
    ([criterion(levels=[{"label": "Lots", "points": "many"}])], "points as a number"),
    ([criterion(levels=[{"label": "Nothing", "points": None}])], "points as a number"),
    ([criterion(levels=[{"label": "A", "points": 2}, {"label": "B", "points": 2}])], "same points"),
    ([criterion(label="")], "needs a label"),
    ([criterion(levels=[{"label": "", "points": 1}])], "needs a label"),
    ([criterion(label="x" * 201)], "at most 200 characters"),
    ([], "at least one criterion"),
    ([criterion(f"c{n}", f"C{n}") for n in range(21)], "at most 20 criteria"),
])
def test_broken_rubrics_are_refused_and_nothing_changes(workbench, rubric, says):
    usage = workbench.load(OLX)
    result = save(workbench, usage, editor_values(display_name="Renamed", rubric=rubric))
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert any(says in message["text"] for message in result.json["error"]["messages"]), result.json
    block = workbench.block(usage)
    assert block.display_name == "Group assignment 1: Community reintegration plan" and block.max_score() == 10


@pytest.mark.parametrize(("groups", "says"), [
    ([{"name": "Team A", "members": ["amina"]}, {"name": "team a", "members": []}], "Two seeded groups"),
    ([{"name": "Team A", "members": ["amina"]}, {"name": "TEAM  Á", "members": []}], "Two seeded groups"),
    ([{"name": "Team A", "members": ["amina"]}, {"name": "Team B", "members": ["amina"]}], "more than one"),
    ([{"name": "Team A", "members": ["amina diallo"]}], "is not a username"),
    ([{"name": "Team A", "members": [7]}], "is not a username"),
    ([{"name": "", "members": []}], "needs a name"),
    ([{"name": "x" * 101, "members": []}], "at most 100 characters"),
])
def test_broken_groups_are_refused(workbench, groups, says):
    usage = workbench.load(OLX)
    result = save(workbench, usage, editor_values(groups=groups))
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert any(says in message["text"] for message in result.json["error"]["messages"]), result.json
    assert workbench.block(usage).groups[0]["name"] == "Team Sahel"


def test_every_problem_is_listed_in_the_authors_language(workbench):
    usage = workbench.load(OLX)
    values = editor_values(max_files=99, weight=-1, rubric=[criterion("a", "Plan"), criterion("a", "Plan")])
    result = workbench.call(usage, "submit_studio_edits", {"values": values, "defaults": []},
                            student=STAFF, language="fr")
    texts = [message["text"] for message in result.json["error"]["messages"]]
    french = Translator("group_assignment", "fr")
    assert len(texts) == 3
    assert texts[0] == french.gettext("“{field}” must be a whole number from {low} to {high}.").format(
        field=french.gettext("Maximum number of files"), low=0, high=20)
    assert texts[2] == french.gettext("Criterion “{name}”: its identifier must be unique and use only lowercase "
                                      "letters, digits, - or _.").format(name="Plan")
    assert "Maximum number of files" not in texts[0] and "identifier" not in texts[2]


def test_only_authors_can_save(workbench):
    usage = workbench.load(OLX)
    result = save(workbench, usage, editor_values(rubric=[criterion()]), student="amina")
    assert (result.status, result.error_code) == (403, "staff_only")
    assert workbench.block(usage).max_score() == 10


def test_a_field_named_in_defaults_goes_back_to_its_default_and_an_unknown_one_is_refused(workbench):
    usage = workbench.load(OLX)
    assert workbench.block(usage).timezone == "Europe/Geneva"
    refused = save(workbench, usage, {}, defaults=["no_such_field"])
    assert (refused.status, refused.error_code) == (400, "unknown_field")
    assert save(workbench, usage, {"display_name": "Reset"}, defaults=["timezone"]).status == 200
    block = workbench.block(usage)
    assert block.timezone == "UTC" and block.display_name == "Reset"
