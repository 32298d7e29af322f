"""Tags: any language's words, refused in Studio when unusable, and never longer than the post's column."""
import pytest

from blended_xblocks.core.i18n import Translator
from blended_xblocks.experience_sharing.models import SharedPost
from blended_xblocks.experience_sharing.text import invalid_tags, normalise_tags

LONG_TAGS = [f"t{n}" + "x" * 30 for n in range(10)]  # ten tags of 32 characters: each one allowed
OLX = '<blended_experience_sharing display_name="ES" tags="{tags}"/>'


def save(workbench, usage, values, language="en"):
    return workbench.call(usage, "submit_studio_edits", {"values": values, "defaults": []}, student="instructor",
                          language=language)


def posts():
    return list(SharedPost.objects.order_by("id").values())


# A post's tags fit its column -------------------------------------------------------------------
def test_ten_long_tags_are_refused_on_create_and_edit_and_change_nothing(workbench):
    usage = workbench.load(OLX.format(tags=" ".join(LONG_TAGS)))
    created = workbench.call(usage, "create_post", {"title": "Case", "body": "b", "tags": LONG_TAGS[:2]}).json["post"]
    before = posts()
    result = workbench.call(usage, "create_post", {"title": "Long tags", "body": "b", "tags": LONG_TAGS})
    assert (result.status, result.error_code) == (400, "too_long")
    assert "too long" in result.json["error"]["message"]
    result = workbench.call(usage, "edit_post", {"post_id": created["id"], "title": "Long tags", "body": "b",
                                                 "tags": LONG_TAGS})
    assert (result.status, result.error_code) == (400, "too_long")
    assert posts() == before


def test_as_many_long_tags_as_the_column_holds_are_kept_whole(workbench):
    usage = workbench.load(OLX.format(tags=" ".join(LONG_TAGS)))
    result = workbench.call(usage, "create_post", {"title": "Seven long tags", "body": "b", "tags": LONG_TAGS[:7]})
    assert result.status == 200, result.body
    assert result.json["post"]["tags"] == LONG_TAGS[:7]
    assert SharedPost.objects.get().tags.split() == LONG_TAGS[:7]
    assert workbench.call(usage, "create_post", {"title": "Eight long tags", "body": "b",
                                                 "tags": LONG_TAGS[:8]}).error_code == "too_long"


# Tags in any language ---------------------------------------------------------------------------
def test_words_of_any_script_are_tags():
    assert normalise_tags("Économie psycho-social اقتصادي community_2 ÉCONOMIE") == "économie psycho-social اقتصادي community_2"
    assert normalise_tags("e\u0301conomie") == "économie"  # one é however it was typed
    assert invalid_tags("economic psycho!social économie اقتصادي -lead x" + "y" * 32) == ["psycho!social", "-lead",
                                                                                         "x" + "y" * 32]


def test_a_french_or_arabic_tag_is_saved_and_usable(workbench):
    usage = workbench.load(OLX.format(tags="economic"))
    assert 'value="economic"' in workbench.render(usage)  # the form before, rendered and kept
    assert save(workbench, usage, {"tags": "économie اقتصادي"}).status == 200
    assert workbench.block(usage).board().tags == ("économie", "اقتصادي")
    html = workbench.render(usage)
    assert 'value="économie"' in html and 'value="اقتصادي"' in html and 'value="economic"' not in html
    created = workbench.call(usage, "create_post", {"title": "Cas", "body": "b", "tags": ["économie", "اقتصادي"]})
    assert created.status == 200 and created.json["post"]["tags"] == ["économie", "اقتصادي"]
    listed = workbench.call(usage, "get_state", {"tag": "اقتصادي"}, student="yusuf").json
    assert [post["title"] for post in listed["posts"]] == ["Cas"]
    decomposed = workbench.call(usage, "get_state", {"tag": "E\u0301conomie"}, student="yusuf").json
    assert [post["title"] for post in decomposed["posts"]] == ["Cas"] and decomposed["tag"] == "économie"


def test_studio_refuses_tags_it_cannot_use_and_saves_nothing(workbench):
    usage = workbench.load(OLX.format(tags="economic"))
    result = save(workbench, usage, {"tags": "economic psycho!social"})
    assert (result.status, result.error_code) == (400, "invalid_settings")
    assert "psycho!social" in result.json["error"]["message"]
    assert workbench.block(usage).tags == "economic"


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_the_refusal_is_in_the_authors_language(workbench, language):
    usage = workbench.load(OLX.format(tags="economic"))
    english = ("“{tag}” cannot be a tag. A tag is one word of letters or digits (any language), “-” and “_”, "
               "at most 32 characters; separate tags with spaces.")
    translated = Translator("experience_sharing", language).gettext(english)
    assert translated != english
    result = save(workbench, usage, {"tags": "a+b"}, language=language)
    assert result.json["error"]["message"] == translated.format(tag="a+b")


def test_the_learners_form_and_tools_follow_each_pages_language(workbench):
    """The form and the list's tools are kept per process for each board and language (ADR 0012)."""
    usage = workbench.load(OLX.format(tags="economic"))
    for language, wanted, unwanted in (("en", ("Publish", "All tags"), ("نشر",)),
                                       ("ar", ("نشر", "كل المواضيع"), ("Publish", "All tags")),
                                       ("en", ("Publish", "All tags"), ("نشر", "كل المواضيع"))):
        page = workbench.render(usage, language=language).split('type="application/json"', 1)[0]
        assert all(text in page for text in wanted) and not any(text in page for text in unwanted), language
