"""Every string is translated into ar, fr and es, and the compiled catalogues match the sources."""
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blended_xblocks.core.i18n import Translator, is_rtl, js_messages

ROOT = Path(__file__).resolve().parent.parent


def test_catalogues_are_complete_and_compiled():
    result = subprocess.run([sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_block_domain_falls_back_to_common_strings():
    assert Translator("webinar", "ar").gettext("Only course staff can do this.") == "هذا الإجراء متاح لفريق الدورة فقط."
    assert Translator("webinar", "fr").gettext("Only course staff can do this.") == "Seule l’équipe du cours peut faire cela."


def test_unknown_language_falls_back_to_english():
    assert Translator("common", "sw").gettext("Sign in to take part.") == "Sign in to take part."


def test_arabic_is_right_to_left():
    assert is_rtl("ar") and is_rtl("ar-eg") and not is_rtl("fr")


def test_js_strings_are_found_in_the_shared_script():
    assert "Something went wrong. Check your connection and try again." in js_messages("common/blended.js")


def test_error_messages_follow_the_active_language(workbench):
    usage = workbench.load('<blended_webinar display_name="W"/>')
    result = workbench.call(usage, "get_state", body=b"not json", language="es")
    assert result.json["error"]["message"] == "El cuerpo de la solicitud debe ser un objeto JSON."


AUTHORED = {
    "blended_webinar": '<blended_webinar display_name="Webinar 3: Reintegration" start="2030-05-16T11:00" '
                       'timezone="Asia/Amman"><description><p>Facilitated by Joy.</p></description></blended_webinar>',
    "blended_group_assignment": '<blended_group_assignment display_name="Group work" mode="individual">'
                                '<prompt><p>Write a plan.</p></prompt></blended_group_assignment>',
    "blended_supervisor_agreement": '<blended_supervisor_agreement display_name="Supervisor agreement"/>',
    "blended_experience_sharing": '<blended_experience_sharing display_name="Sharing">'
                                  '<prompt><p>Describe a case.</p></prompt></blended_experience_sharing>',
}


@pytest.mark.parametrize("block_type", sorted(AUTHORED))
def test_arabic_page_is_rtl_but_authored_text_keeps_its_own_direction(workbench, block_type):
    """The interface follows the learner's language; a title or prompt written in English inside an
    Arabic page is laid out left to right (dir="auto"), so its punctuation stays where it belongs."""
    html = workbench.render(workbench.load(AUTHORED[block_type]), student="amina", language="ar")
    assert re.search(r'<(section|div)[^>]*class="[^"]*blended-block[^"]*"[^>]*dir="rtl"', html), html[:300]
    assert re.search(r'<h2[^>]*dir="auto"[^>]*>', html), html[:500]


class PlatformI18nService:
    """What openedx-platform's XBlockI18nService does for a block whose package bundles its
    translations: `gettext.translation("text", <package>/translations, [locale])`, no fallback
    (a missing text.mo makes it fall back to Django's own catalogue, which has none of our labels)."""

    def __init__(self, language):
        from django.utils.translation import to_locale

        from blended_xblocks.core.resources import resource_dir  # <package>/translations once installed

        self.translator = gettext.translation("text", str(resource_dir("translations")), [to_locale(language)])

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_the_platform_i18n_service_translates_our_field_labels(language):
    """Every label and help text of the blocks that use Studio's default editor. Where two of our
    domains translate a msgid differently, text.mo holds one of them (scripts/i18n.py PLATFORM_ORDER)."""
    from blended_xblocks.experience_sharing.block import ExperienceSharingBlock
    from blended_xblocks.group_assignment.block import GroupAssignmentBlock
    from blended_xblocks.supervisor_agreement.block import SupervisorAgreementBlock

    service = PlatformI18nService(language)
    domains = ("common", "webinar", "group_assignment", "supervisor_agreement", "experience_sharing", "progress")
    for block_class in (GroupAssignmentBlock, SupervisorAgreementBlock, ExperienceSharingBlock):
        own = Translator(block_class.i18n_domain, language)
        for name in block_class.editable_fields:
            field = block_class.fields[name]
            for text in filter(None, (field.display_name, field.help)):
                shown = service.ugettext(text)
                assert shown in {Translator(domain, language).gettext(text) for domain in domains}, (name, text)
                assert shown != text or own.gettext(text) == text, (name, text)
    label = GroupAssignmentBlock.fields["max_group_size"].display_name
    assert service.ugettext(label) == Translator("group_assignment", language).gettext(label) != label


def test_studio_default_editor_shows_arabic_labels_through_the_platform_service(workbench, monkeypatch):
    usage = workbench.load('<blended_group_assignment display_name="Group work"/>')
    block = workbench.block(usage, "instructor")
    original = type(block.runtime).service
    monkeypatch.setattr(type(block.runtime), "service", lambda runtime, blk, name: (
        PlatformI18nService("ar") if name == "i18n" else original(runtime, blk, name)))
    info = block._make_field_info("max_group_size", block.fields["max_group_size"])
    assert info["display_name"] == Translator("group_assignment", "ar").gettext("Maximum group size")
    assert any("\u0600" <= ch <= "\u06ff" for ch in info["display_name"]), info["display_name"]


def test_a_templates_constant_string_is_translated_by_each_blocks_own_catalogue():
    """`{% t %}` keeps a constant string's translation per process by domain and language: "Next" is
    masculine in the programme's pages and feminine (a page of posts) in experience sharing's."""
    from django.template import Context

    from blended_xblocks.core.rendering import TEMPLATES

    template = TEMPLATES.from_string('{% t "Next" %}|{% t "{n} & more" n="<b>" %}')
    rendered = [template.render(Context({"_": Translator(domain, language)}))
                for domain, language in (("progress", "ar"), ("experience_sharing", "ar"), ("progress", "ar"),
                                         ("progress", "en"))]
    assert rendered == ["التالي|&lt;b&gt; &amp; more", "التالية|&lt;b&gt; &amp; more", "التالي|&lt;b&gt; &amp; more",
                        "Next|&lt;b&gt; &amp; more"]
