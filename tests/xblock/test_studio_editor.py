"""The Studio editor's save (StudioEditorMixin): authors only, clean refusals, nothing half-saved."""
import pytest

from blended_xblocks.core.errors import Forbidden
from blended_xblocks.core.i18n import Translator
from tests.harness import save
from tests.openedx.blocks import BLOCKS

OLX = '<blended_experience_sharing display_name="Experience sharing 1" min_posts="1" min_replies="2"/>'


def test_an_author_saves_settings_and_learners_see_them(workbench):
    usage = workbench.load(OLX)
    result = save(workbench, usage, {"display_name": "Sharing: economic reintegration", "min_replies": 3})
    assert result.status == 200
    block = workbench.block(usage, "amina")
    assert (block.display_name, block.min_replies) == ("Sharing: economic reintegration", 3)


def test_a_learner_cannot_change_settings(workbench):
    usage = workbench.load(OLX)
    result = save(workbench, usage, {"min_replies": 0}, student="amina")
    assert (result.status, result.error_code) == (403, "staff_only")
    assert workbench.block(usage).min_replies == 2


def test_invalid_settings_come_back_as_messages_and_nothing_is_saved(workbench):
    usage = workbench.load(OLX)
    result = save(workbench, usage, {"display_name": "Renamed", "min_posts": 99})
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert result.json["error"]["messages"][0]["type"] == "error"
    assert workbench.block(usage).display_name == "Experience sharing 1"


def test_wrong_types_and_unknown_fields_are_refused(workbench):
    usage = workbench.load(OLX)
    assert save(workbench, usage, {"min_posts": "many"}).error_code == "invalid_field"
    assert save(workbench, usage, {"weight_of_the_world": 1}).error_code == "unknown_field"
    assert workbench.call(usage, "submit_studio_edits", {"values": []}, student="instructor").error_code == "invalid_json"
    assert workbench.block(usage).min_posts == 1


def test_reset_to_default(workbench):
    usage = workbench.load(OLX)
    assert save(workbench, usage, {}, defaults=["min_replies"]).status == 200
    assert workbench.block(usage).min_replies == workbench.block(usage).fields["min_replies"].default


def test_errors_are_in_the_authors_language(workbench):
    usage = workbench.load(OLX)
    result = workbench.call(usage, "submit_studio_edits", {"values": {"min_posts": 99}, "defaults": []},
                            student="instructor", language="fr")
    english = "Posts required is 0–50 and replies required 0–500."
    french = Translator("experience_sharing", "fr").gettext(english)
    assert french != english
    assert result.json["error"]["message"] == french


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_every_blocks_editor_opens_for_authors_only_and_saves_through_one_handler(workbench, block_type):
    usage = workbench.load(BLOCKS[block_type])
    with pytest.raises(Forbidden):
        workbench.render(usage, "amina", view="studio_view")
    assert "display_name" in workbench.render(usage, "instructor", view="studio_view")  # its field, to edit
    refused = save(workbench, usage, {"display_name": "Renamed"}, student="amina")
    assert (refused.status, refused.error_code) == (403, "staff_only")
    assert workbench.block(usage).display_name != "Renamed"
