"""Every string is translated into ar, fr and es, and the compiled catalogues match the sources."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blended_xblocks.i18n import Translator, is_rtl, js_messages

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
