"""A built wheel carries static/ and translations/ and serves them (the design card keeps both
folders at the top of the repository, outside the package)."""
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = textwrap.dedent("""
    import os, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)
    import blended_xblocks
    assert "site-packages" in blended_xblocks.__file__, blended_xblocks.__file__
    from tests_harness import Workbench
    bench = Workbench()
    usage = bench.load('<blended_webinar display_name="Webinar"/>')
    html = bench.render(usage, student="amina", language="ar")
    assert 'dir="rtl"' in html, html
    block = bench.block(usage)
    fragment = block.render("student_view", {})
    urls = [resource.data for resource in fragment.resources
            if resource.kind == "url" and "/resource/blended_webinar/" in resource.data]
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls), urls
    for url in urls:
        uri = url.split("/resource/blended_webinar/", 1)[1]
        assert block.open_local_resource(uri).read(), uri
    import json
    from django.utils import translation
    with translation.override("ar"):  # the strings the installed JS receives are the Arabic ones
        arabic = json.dumps(bench.block(usage).student_view({}).json_init_args["i18n"], ensure_ascii=False)
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic), arabic
    import gettext, importlib.resources  # exactly where the platform's i18n service looks (pre-atlas)
    from blended_xblocks.group_assignment.block import GroupAssignmentBlock
    locale_dir = str(importlib.resources.files("blended_xblocks") / "translations")
    text = gettext.translation("text", locale_dir, ["ar"])
    label = GroupAssignmentBlock.fields["max_group_size"].display_name
    assert any("\u0600" <= ch <= "\u06ff" for ch in text.gettext(label)), text.gettext(label)
    denied = bench.call(usage, "roster", {}, student="amina", language="ar")
    assert denied.status == 403, denied.status
    print(denied.json["error"]["message"])
""")


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

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The fresh environment borrows the dependencies (not blended_xblocks) from the test environment.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)

    work = tmp_path / "work"
    work.mkdir()
    (work / "tests_harness.py").write_text((ROOT / "tests" / "harness.py").read_text())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "blended_xblocks.demo.settings",
           "DATABASE_URL": f"sqlite:///{work / 'wheel.db'}", "BLENDED_DEMO_ROOT": str(work), "PYTHONPATH": ""}
    result = subprocess.run([str(python), "-c", CHECK], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "هذا الإجراء متاح لفريق الدورة فقط."
