"""How learners' plain text is shown: escaped, line breaks kept, only http(s) links clickable."""
from blended_xblocks.core.text import safe_url
from blended_xblocks.experience_sharing.text import invalid_tags, is_tag, normalise_tags, segments, tag_form


def test_plain_text_with_line_breaks():
    assert segments("Context\r\nChallenge\n\nLesson") == [
        ["t", "Context"], ["br"], ["t", "Challenge"], ["br"], ["br"], ["t", "Lesson"]]


def test_html_stays_text():
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)>'
    assert segments(payload) == [["t", payload]]


def test_http_links_become_links_without_trailing_punctuation():
    assert segments("See https://www.iom.int/reintegration, and (http://example.org/a_(b)).") == [
        ["t", "See "], ["a", "https://www.iom.int/reintegration"], ["t", ", and ("],
        ["a", "http://example.org/a_(b)"], ["t", ")."]]


def test_dangerous_schemes_are_never_links():
    for text in ("javascript:alert(1)", "JaVaScRiPt://x%0aalert(1)", "data:text/html,<b>x</b>",
                 "vbscript:msgbox", "https://", "http://[::1"):
        assert all(kind != "a" for kind, *_ in segments(text)), text


def test_link_cannot_smuggle_quotes_or_tags():
    assert segments('https://a.example/"onmouseover="x <b>') == [
        ["a", "https://a.example/"], ["t", '"onmouseover="x <b>']]


def test_control_characters_dropped():
    assert segments("a\x00b\x07c") == [["t", "abc"]]


def test_safe_url():
    assert safe_url("https://example.org/x?y=1") == "https://example.org/x?y=1"
    assert safe_url("ftp://example.org") is None
    assert safe_url("https://" + "a" * 3000 + ".org") is None


def test_normalise_tags():
    assert normalise_tags("Economic psychosocial economic bad!tag community") == "economic psychosocial community"


def test_a_tag_is_a_word_of_any_script_typed_either_way():
    assert tag_form(" E\u0301conomie ") == tag_form("économie") == "économie"
    assert is_tag("اقتصادي") and is_tag("santé-mentale") and is_tag("2022_cohort")
    assert not is_tag("-economic") and not is_tag("bad!tag") and not is_tag("x" * 33) and not is_tag("")


def test_studio_names_the_words_that_cannot_be_tags():
    assert invalid_tags("economic bad!tag اقتصادي _x") == ["bad!tag", "_x"]
    assert invalid_tags("") == [] and invalid_tags(None) == []
