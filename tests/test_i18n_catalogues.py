"""Every string is translated into ar, fr and es, and the compiled catalogues match the sources."""
import subprocess
import sys
from pathlib import Path

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
