"""The webinar's session row follows a publish (`course_published`), not only a learner's visit.

Experience sharing and reports read the row; the platform's receiver is tested with a stand-in
modulestore that gives the course's published blocks, as edx-platform's does.
"""
import sys
import types
from contextlib import contextmanager
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail

from blended_xblocks import receivers
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import webinar


class StandInModulestore:
    """Answers `get_items` with the published blocks it was given, and records the branch asked for."""

    def __init__(self, blocks):
        self.blocks, self.branches, self.asked = blocks, [], []

    @contextmanager
    def branch_setting(self, branch, course_key=None):
        self.branches.append(branch)
        yield

    def get_items(self, course_key, qualifiers=None, **kwargs):
        self.asked.append((course_key, qualifiers))
        assert self.branches[-1] == "published-only", "only published content may reach the live tables"
        return [block for block in self.blocks if block.scope_ids.block_type == qualifiers["category"]]


@pytest.fixture
def modulestore(monkeypatch):
    """Install `xmodule.modulestore(.django)` stand-ins; returns a setter for the published blocks."""
    holder = {}
    package = types.ModuleType("xmodule")
    store_module = types.ModuleType("xmodule.modulestore")
    store_module.ModuleStoreEnum = types.SimpleNamespace(Branch=types.SimpleNamespace(published_only="published-only"))
    django_module = types.ModuleType("xmodule.modulestore.django")
    django_module.modulestore = lambda: holder["store"]
    for name, module in (("xmodule", package), ("xmodule.modulestore", store_module),
                         ("xmodule.modulestore.django", django_module)):
        monkeypatch.setitem(sys.modules, name, module)

    def publish(*blocks):
        holder["store"] = StandInModulestore(list(blocks))
        return holder["store"]
    return publish


def test_publishing_a_larger_capacity_refreshes_the_session_and_lets_the_waitlist_in(
        workbench, modulestore, django_capture_on_commit_callbacks):
    usage = workbench.load(webinar(capacity="1"))
    workbench.call(usage, "register", {}, student="amina")
    assert workbench.call(usage, "register", {}, student="yusuf").json["registration"] == "waitlisted"
    published = workbench.block(usage, "instructor")
    published.capacity, published.display_name = 2, "Webinar 3 (new title)"
    store = modulestore(published, workbench.block(workbench.load("<blended_experience_sharing/>")))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert receivers.refresh_published_sessions(sender=None, course_key="course-v1:IOM+B1+2022") == 1
    session = WebinarSession.objects.get(usage_key=usage)
    assert (session.capacity, session.title) == (2, "Webinar 3 (new title)")
    assert WebinarRegistration.objects.get(session=session, learner__username="yusuf").status == "registered"
    assert [message.to for message in mail.outbox] == [["yusuf@learners.example.org"]]
    assert store.asked[0] == ("course-v1:IOM+B1+2022", {"category": "blended_webinar"})


def test_without_a_modulestore_the_receiver_does_nothing(workbench, monkeypatch):
    monkeypatch.setitem(sys.modules, "xmodule.modulestore.django", None)  # import fails, as in the demo
    assert receivers.refresh_published_sessions(sender=None, course_key="course-v1:IOM+B1+2022") == 0
    assert not WebinarSession.objects.exists()


def test_one_broken_webinar_does_not_stop_the_others(workbench, modulestore):
    good = workbench.block(workbench.load(webinar()))
    broken = workbench.block(workbench.load(webinar()))
    broken.session = lambda: 1 / 0
    modulestore(broken, good)
    assert receivers.refresh_published_sessions(course_key="course-v1:IOM+B1+2022") == 1
    assert WebinarSession.objects.filter(usage_key=good.usage_key_string).exists()


def test_the_plugin_app_wires_the_receiver_in_studio():
    config = apps.get_app_config("blended_xblocks").plugin_app["signals_config"]["cms.djangoapp"]
    module = import_module(f"blended_xblocks.{config['relative_path']}")
    receiver = config["receivers"][0]
    assert receiver["signal_path"] == "xmodule.modulestore.django.COURSE_PUBLISHED"
    assert callable(getattr(module, receiver["receiver_func_name"]))


def test_the_demo_refreshes_sessions_when_it_loads_its_scenarios(db):
    from tests.harness import forget_demo_scenarios, load_demo_scenarios

    try:
        load_demo_scenarios()
        assert WebinarSession.objects.exists()
    finally:  # the workbench keeps block state in the database this test rolls back: load afresh next time
        forget_demo_scenarios()


def test_publishing_mirrors_the_assignment_deadline_the_programme_reads(workbench, modulestore):
    """Authors move a deadline in Studio and publish: the programme judges who can still submit from it,
    before any learner opens the assignment."""
    from blended_xblocks.platform.models import PublishedSettings
    from tests.harness import GROUP_ASSIGNMENT as OLX

    published = workbench.block(workbench.load(OLX), "instructor")
    published.assignment_due, published.late_submissions = "2022-06-10T23:59", False
    modulestore(published)
    receivers.refresh_published_sessions(course_key="course-v1:IOM+B1+2022")
    row = PublishedSettings.objects.get(usage_key=published.usage_key_string)
    assert row.values == {"due": "2022-06-10T21:59:00Z", "late_submissions": False}


def test_publishing_a_programme_makes_its_copy_for_the_gate_before_anyone_opens_it(workbench, modulestore):
    """Without it, a programme nobody had opened would hold no learner's certificate back and award nobody."""
    from blended_xblocks.progress.models import ProgrammeDefinition

    usage = workbench.load("""<blended_progress url_name="programme" display_name="Your programme">
      <requirement id="supervisor" label="Supervisor agreement" kind="approval" blocks="blended_supervisor_agreement/nowhere"/>
    </blended_progress>""")
    assert not ProgrammeDefinition.objects.exists()
    modulestore(workbench.block(usage, "instructor"))
    receivers.refresh_published_sessions(sender=None, course_key="course-v1:IOM+B1+2022")
    definition = ProgrammeDefinition.objects.get()
    assert definition.title == "Your programme"
    assert [item["id"] for item in definition.requirements] == ["supervisor"]
    assert definition.resolved_blocks == {"blended_supervisor_agreement/nowhere": ""}  # shown to staff as missing
