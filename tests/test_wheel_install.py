"""A built wheel carries static/ and translations/ and serves them (the design card keeps both
folders at the top of the repository, outside the package), and leaves the demo out: installed
with LMS-shaped settings, the blocks run in the Open edX host of the tests (tests/openedx)."""
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# An LMS-shaped Django: the blocks' app and what they need, nothing of the demo (which the wheel does not ship).
SETTINGS = textwrap.dedent("""
    import sys
    from pathlib import Path

    SECRET_KEY = "wheel-check"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(__file__).parent / "wheel.db")}}
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "submissions", "blended_xblocks"]
    TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
    USE_I18N = True
    USE_TZ = True
    LANGUAGE_CODE = "en"
    LANGUAGES = [("en", "English"), ("ar", "Arabic"), ("fr", "French"), ("es", "Spanish")]
    BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.platform.adapter.OpenEdxPlatform"

    from blended_xblocks.settings import plugin_settings  # as the LMS calls the plugin's settings_config
    plugin_settings(sys.modules[__name__])
""")

# Runs in the fresh environment, in the Open edX host of the tests (tests/openedx, copied beside it).
CHECK = textwrap.dedent("""
    import importlib.util, json, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    import blended_xblocks
    assert "site-packages" in blended_xblocks.__file__, blended_xblocks.__file__
    assert importlib.util.find_spec("blended_xblocks.demo") is None  # the demo is not installed
    from django.utils import translation
    from tests.openedx.host import OpenEdxHost
    host = OpenEdxHost()
    usage = host.import_olx('<blended_webinar display_name="Webinar" url_name="webinar"/>')
    amina = host.lms(host.person("amina", "Amina Diallo"))
    html = amina.render(usage, language="ar")
    assert 'dir="rtl"' in html, html
    block = amina.load(usage)
    fragment = block.render("student_view", {})
    urls = [resource.data for resource in fragment.resources
            if resource.kind == "url" and "/resource/blended_webinar/" in resource.data]
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls), urls
    for url in urls:
        uri = url.split("/resource/blended_webinar/", 1)[1]
        assert block.open_local_resource(uri).read(), uri
    with translation.override("ar"):  # the strings the installed JS receives are the Arabic ones
        arabic = json.dumps(amina.load(usage).student_view({}).json_init_args["i18n"], ensure_ascii=False)
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic), arabic
    import gettext, importlib.resources  # exactly where the platform's i18n service looks (pre-atlas)
    from blended_xblocks.group_assignment.block import GroupAssignmentBlock
    locale_dir = str(importlib.resources.files("blended_xblocks") / "translations")
    text = gettext.translation("text", locale_dir, ["ar"])
    label = GroupAssignmentBlock.fields["max_group_size"].display_name
    assert any("\u0600" <= ch <= "\u06ff" for ch in text.gettext(label)), text.gettext(label)
    denied = amina.call(usage, "roster", {}, language="ar")
    assert denied.status == 403, denied.status
    allowed = host.lms(host.person("joy"), staff=True).call(usage, "roster", {})
    assert allowed.status == 200, allowed.status
    print(denied.json["error"]["message"])
""")

HOST_FILES = ["__init__.py", "results.py", "openedx/__init__.py", "openedx/host.py", "openedx/places.py",
              "openedx/services.py"]


@pytest.mark.slow
def test_wheel_installs_and_serves_static_files_and_arabic(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(ROOT)], check=True)
    wheel = next(dist.glob("blended_xblocks-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "blended_xblocks/static/common/blended.js" in names
    assert "blended_xblocks/translations/ar/LC_MESSAGES/common.mo" in names
    assert "blended_xblocks/translations/ar/LC_MESSAGES/text.mo" in names  # the platform's i18n service reads it
    assert any(name.startswith("blended_xblocks/templates/blended_xblocks/webinar/") for name in names)
    assert not [name for name in names if name.startswith("blended_xblocks/demo/")]  # the demo stays in the repository

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The fresh environment borrows the dependencies (not blended_xblocks) from the test environment.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)

    work = tmp_path / "work"
    for name in HOST_FILES:
        Path(work, "tests", name).parent.mkdir(parents=True, exist_ok=True)
        Path(work, "tests", name).write_text((ROOT / "tests" / name).read_text())
    (work / "wheel_settings.py").write_text(SETTINGS)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wheel_settings", "PYTHONPATH": str(work)}
    result = subprocess.run([str(python), "-c", CHECK], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "هذا الإجراء متاح لفريق الدورة فقط."
