"""A cohort opening the programme at once, and two tabs of a learner who has just met it, with real
threads on a real database (MariaDB, PostgreSQL)."""
import pytest

from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition
from tests.harness import race

pytestmark = pytest.mark.concurrency

SCENARIO = """<vertical_demo>
  <vertical_demo url_name="module-1"><html_demo url_name="module-1-page"><p>Reintegration.</p></html_demo></vertical_demo>
  <blended_progress url_name="programme" display_name="Your programme">
    <requirement id="module" kind="completion" blocks="vertical_demo/module-1"/>
  </blended_progress>
</vertical_demo>"""


@pytest.mark.parametrize("attempt", range(3))
def test_a_cohort_opening_the_programme_together_gets_one_published_copy(real_db, attempt):
    root = real_db.load(SCENARIO)
    programme = real_db.block(root).children[-1]
    students = [f"learner{n}" for n in range(8)]
    results = race([lambda student=student: real_db.call(programme, "get_state", student=student) for student in students])
    assert [getattr(result, "status", result) for result in results] == [200] * len(students)
    assert ProgrammeDefinition.objects.count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_tabs_of_a_learner_who_meets_the_programme_issue_one_certificate(real_db, attempt):
    root = real_db.load(SCENARIO)
    module, programme = real_db.block(root, "amina").children
    real_db.render(module, "amina")  # the module is read: the programme is met
    results = race([lambda: real_db.call(programme, "get_state", student="amina") for _ in range(4)])
    assert [getattr(result, "status", result) for result in results] == [200] * 4
    codes = {result.json["certificate"]["code"] for result in results}
    assert len(codes) == 1 and ProgrammeCertificate.objects.count() == 1
