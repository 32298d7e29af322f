"""The layers hold (docs/decisions/0010-layers.md): import-linter's contracts in pyproject.toml pass on
the package, and fail, naming the broken contract, when a module imports across a boundary. The
registrations that replace upward imports exist once the app is ready, as in every process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())", "--no-cache"]


def lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd), "COLUMNS": "300"}
    return subprocess.run(LINT, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_package_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The package and its contracts in a folder of their own, to break at will."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "blended_xblocks", root / "blended_xblocks",
                    ignore=shutil.ignore_patterns("__pycache__", "templates"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize("module, line, contract, shown", [
    ("group_assignment/grading.py", "from blended_xblocks.webinar import seats",
     "Blocks are independent", "blended_xblocks.group_assignment.grading -> blended_xblocks.webinar.seats"),
    ("experience_sharing/api.py", "from blended_xblocks.webinar.models import WebinarSession",
     "Blocks are independent", "blended_xblocks.experience_sharing.api -> blended_xblocks.webinar.models"),
    ("core/times.py", "from blended_xblocks.platform import adapter",
     "Layers point down", "blended_xblocks.core.times -> blended_xblocks.platform.adapter"),
    ("platform/adapter.py", "from blended_xblocks.demo import people",
     "Layers point down", "blended_xblocks.platform.adapter -> blended_xblocks.demo.people"),
    ("webinar/seats.py", "from webob import Response",
     "Rule modules need no runtime", "blended_xblocks.webinar.seats -> webob"),
    ("management/commands/blended_push_scores.py", "from blended_xblocks.webinar import scores",
     "Wiring reaches blocks only through their api.py",
     "blended_xblocks.management.commands.blended_push_scores -> blended_xblocks.webinar.scores"),
])
def test_a_forbidden_import_breaks_its_contract(copy, module, line, contract, shown):
    path = copy / "blended_xblocks" / module
    original = path.read_text()
    path.write_text(original + f"\n{line}  # noqa\n")
    try:
        result = lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and shown in broken, result.stdout


def test_every_block_registers_what_the_lower_layers_run():
    """Scores, retirement and downloads reach the blocks through registrations made by their api.py,
    which the app's ready() imports: in the LMS, in workers and in management commands alike."""
    from blended_xblocks.core import downloads
    from blended_xblocks.platform import gradebook, retirement

    assert {source.block_type for source in gradebook.sources()} == {"blended_webinar", "blended_group_assignment"}
    assert {hook.__module__.rsplit(".", 2)[-2] for hook in retirement._HOOKS} == {
        "group_assignment", "experience_sharing", "supervisor_agreement", "progress", "application"}
    for kind in ("submissions_zip", "grades_csv", "submission_file", "webinar_roster_csv", "agreements_csv",
                 "sharing_csv", "applications_csv", "application_files_zip", "application_file"):
        assert downloads.producer_of(kind) is not None, kind


def test_a_fresh_process_has_the_registrations_without_loading_a_block():
    """A worker or a management command never renders a block: the registrations still exist."""
    code = ("import django; django.setup(); "
            "from blended_xblocks.platform import gradebook, retirement; "
            "print(len(gradebook.sources()), len(retirement._HOOKS))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "blended_xblocks.demo.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["2", "5"], result.stdout + result.stderr


@pytest.mark.parametrize("host", ["lms.djangoapp", "cms.djangoapp"])
def test_every_plugin_signal_receiver_can_be_found(host):
    """edx-platform imports `<app>.<relative_path>` and looks the receiver up by name."""
    config = apps.get_app_config("blended_xblocks").plugin_app["signals_config"][host]
    module = import_module(f"blended_xblocks.{config['relative_path']}")
    for receiver in config["receivers"]:
        assert callable(getattr(module, receiver["receiver_func_name"]))
