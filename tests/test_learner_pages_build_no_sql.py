"""A learner's page, once seen, runs SQL kept from its first showing (core.prepared, ADR 0014):
showing it again builds no SQL for our tables and writes nothing (ADR 0012). A change that brings
back a per-request ORM read (100–300 µs more a page) or a write on a learner page shows here, not
only in benchmarks."""
import pytest
from django.db.models.sql import compiler as sql_compiler
from lxml import etree

from blended_xblocks.demo.scenarios import FOLDER, expand

# (demo scenario, block): the first such block of the scenario, on a page of its own.
LEARNER_PAGES = (
    ("10-webinar-two-seats", "blended_webinar"),
    ("20-group-assignment-community-plan", "blended_group_assignment"),
    ("30-supervisor-agreement", "blended_supervisor_agreement"),
    ("40-experience-sharing-iom", "blended_experience_sharing"),
    ("00-programme", "blended_progress"),
    ("50-iom-call", "blended_application"),
)


def block_alone(scenario, tag):
    """The block on a page of its own, as the benchmarks show it."""
    root = etree.fromstring(expand((FOLDER / f"{scenario}.xml").read_text(encoding="utf-8")).encode())
    element = next(root.iter(tag))
    element.attrib.pop("session", None)  # a sharing session's webinar is another block, on another page
    return f"<vertical_demo>{etree.tostring(element, encoding='unicode')}</vertical_demo>"


@pytest.fixture
def built_sql(monkeypatch):
    """The tables of every query Django's ORM builds SQL for, while the fixture is used."""
    tables = []

    def recorded(as_sql):
        def recording(self, *args, **kwargs):
            tables.append(self.query.get_meta().db_table)
            return as_sql(self, *args, **kwargs)
        return recording
    # Reads, and the writes a page seen before must not make either (ADR 0012).
    for compiler in (sql_compiler.SQLCompiler, sql_compiler.SQLInsertCompiler, sql_compiler.SQLUpdateCompiler,
                     sql_compiler.SQLDeleteCompiler):
        monkeypatch.setattr(compiler, "as_sql", recorded(vars(compiler).get("as_sql", compiler.as_sql)))
    return tables


@pytest.mark.parametrize("scenario, tag", LEARNER_PAGES)
def test_a_learner_page_seen_again_builds_no_sql_for_our_tables(workbench, built_sql, scenario, tag):
    if tag == "blended_progress":  # the blocks its requirements name, elsewhere in the course
        workbench.load(expand((FOLDER / f"{scenario}.xml").read_text(encoding="utf-8")))
    usage = workbench.load(block_alone(scenario, tag))
    for _ in range(2):  # the first showing records the learner and mirrors settings (writes)
        workbench.render(usage, student="amina")
    built_sql.clear()
    again = workbench.render(usage, student="amina")
    assert "blended-block" in again and again.count("<") > 20  # the page is shown, from the kept SQL
    ours = [table for table in built_sql if table.startswith("blended_xblocks_") and not table.startswith(
        "blended_xblocks_demo_")]  # the demo's tables stand for the platform's
    assert ours == [], f"{tag}: SQL built for {ours} on a page seen before"
