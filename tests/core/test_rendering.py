"""core.rendering: a mail or page renders in its reader's language, whatever the request's language."""
from django.test import override_settings
from django.utils import translation

from blended_xblocks.core.rendering import known_language, render_in

TEMPLATE = "blended_xblocks/supervisor_agreement/supervisor.html"
ERROR = {"mode": "error", "error_kind": "expired", "title": "Link expired", "explanation": "Ask again."}


def test_a_page_renders_in_the_readers_language_not_the_requests():
    with translation.override("fr"):
        arabic = render_in("ar", "supervisor_agreement", TEMPLATE, ERROR)
        assert translation.get_language() == "fr"  # the request's language is left as it was
    assert 'lang="ar"' in arabic and 'dir="rtl"' in arabic
    with translation.override("ar"):
        english = render_in("en", "supervisor_agreement", TEMPLATE, ERROR)
    assert 'lang="en"' in english and 'dir="ltr"' in english


def test_a_mail_renders_its_strings_in_the_readers_language():
    english = render_in("en", "webinar", "blended_xblocks/webinar/promotion_email.txt",
                        {"name": "Amina", "title": "Webinar 3", "organiser_time": "", "utc_time": "", "organiser_zone": ""})
    french = render_in("fr", "webinar", "blended_xblocks/webinar/promotion_email.txt",
                       {"name": "Amina", "title": "Webinar 3", "organiser_time": "", "utc_time": "", "organiser_zone": ""})
    assert "Amina" in english and "Amina" in french and english != french


@override_settings(LANGUAGES=[("en", "English"), ("ar", "Arabic"), ("fr", "French")], LANGUAGE_CODE="en")
def test_mail_goes_out_in_a_language_the_site_speaks():
    assert known_language("ar") == "ar" and known_language("fr-ca") == "fr-ca"
    assert known_language("de") == "en" and known_language("") == "en" and known_language(None) == "en"
