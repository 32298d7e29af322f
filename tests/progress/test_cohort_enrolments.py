"""The instructor's cohort in the LMS is the course's enrolments: learners who never opened one of
our blocks are there (judged on the platform's completion and scores), unenrolled learners and
staff are not, and a page costs the same number of queries for 10 or 1,000 of them."""
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blended_xblocks.platform.models import Learner
from blended_xblocks.progress.models import ProgrammeCertificate
from tests.harness import approve, mark, programme

READ_MODULE = '<requirement id="module" label="Module" kind="completion" blocks="html/intro"/>'


def cohort(host, key, **query):
    staff = host.lms(host.person("instructor", "Joy Paone"), staff=True)
    answer = staff.call(key, "cohort", query)
    assert answer.status == 200, answer.body
    return answer.json


def with_intro_page(host):
    intro = host.course_key.make_usage_key("html", "intro")
    host.store.keys.add(str(intro))
    return intro


def test_enrolled_learners_who_never_opened_our_blocks_are_in_the_cohort_with_their_platform_completion(course):
    intro = with_intro_page(course)
    key = programme(course, extra=READ_MODULE)
    amina, yusuf = course.person("amina", "Amina Diallo"), course.person("yusuf", "Yusuf Abdi")
    mark(course, course.w1, amina, "present")  # Amina has a Learner row; Yusuf only read the page
    course.completions[(yusuf.user_id, str(intro))] = 1.0
    page = cohort(course, key)
    rows = {row["username"]: row for row in page["learners"]}
    assert set(rows) == {"amina", "yusuf"} and page["counts"]["all"] == 2
    assert rows["yusuf"]["full_name"] == "Yusuf Abdi" and rows["yusuf"]["user_id"] == yusuf.user_id
    assert rows["yusuf"]["requirements"]["module"] == {"met": True, "done": 1, "needed": 1}
    assert rows["yusuf"]["requirements"]["webinars"]["done"] == 0  # our blocks know nothing of him yet
    assert rows["amina"]["requirements"]["webinars"]["done"] == 1
    assert not Learner.objects.filter(user_id=yusuf.user_id).exists()  # reading the cohort writes nothing


def test_unenrolled_learners_and_course_staff_are_not_in_the_cohort(course):
    key = programme(course)
    amina, yusuf = course.person("amina", "Amina Diallo"), course.person("yusuf", "Yusuf Abdi")
    for person in (amina, yusuf):
        mark(course, course.w1, person, "present")
    course.enrolments[yusuf.user_id] = False  # Yusuf unenrolled after the webinar
    assistant = course.person("assistant", "Teaching Assistant")
    course.roles.add(("limited_staff", str(course.course_key), assistant.user_id))
    org_staff = course.person("iom-staff", "IOM Staff")
    course.roles.add(("staff", "org:IOM", org_staff.user_id))
    page = cohort(course, key)
    assert [row["username"] for row in page["learners"]] == ["amina"]  # not the instructor who marked them
    assert page["total"] == page["counts"]["all"] == 1
    csv_text = course.lms(course.person("instructor"), staff=True).call(key, "export_cohort", method="GET").body.decode()
    assert "amina" in csv_text and "yusuf" not in csv_text and "assistant" not in csv_text


def test_the_cohort_is_searched_by_username_full_name_and_email(course):
    key = programme(course)
    course.person("amina", "Amina Diallo")
    course.person("yusuf", "Yusuf Abdi")
    assert [row["username"] for row in cohort(course, key, search="DIALLO")["learners"]] == ["amina"]
    assert [row["username"] for row in cohort(course, key, search="yusuf@learners")["learners"]] == ["yusuf"]
    found = cohort(course, key, search="yus")
    assert found["total"] == found["counts"]["all"] == 1


def test_where_the_platform_keeps_no_enrolments_the_cohort_is_whoever_our_blocks_know(course):
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    course.person("yusuf", "Yusuf Abdi")  # enrolled, never opened a block
    mark(course, course.w1, amina, "present")
    course.without_enrolments()
    usernames = [row["username"] for row in cohort(course, key)["learners"]]
    assert "amina" in usernames and "yusuf" not in usernames


def test_the_cohort_page_costs_the_same_queries_for_10_and_1000_enrolled_learners(course):
    intro = with_intro_page(course)
    extra = READ_MODULE + "".join(
        f'<requirement id="r{n}" kind="attendance" blocks="blended_webinar/w1 blended_webinar/w2" min="1"/>'
        for n in range(8))
    key = programme(course, extra=extra)  # 11 requirements, of our blocks and the platform's
    staff = course.lms(course.person("instructor", "Joy Paone"), staff=True)
    staff.call(key, "cohort", {})  # the programme's published copy is written once

    def enrol(prefix, count):
        users = get_user_model().objects.bulk_create(
            [get_user_model()(username=f"{prefix}{n:04d}", email=f"{prefix}{n}@example.org") for n in range(count)])
        users = get_user_model().objects.filter(username__startswith=prefix)
        for n, user in enumerate(users):
            course.enrolments[user.id] = True
            course.profile_names[user.id] = f"{prefix.title()} {n}"
            course.completions[(user.id, str(intro))] = 1.0
            if n % 2:  # half of them opened one of our blocks
                Learner.objects.create(course_key=str(course.course_key), anonymous_user_id=f"{prefix}-{n}",
                                       username=user.username, user_id=user.id)

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            answer = staff.call(key, "cohort", {"page": 2, "page_size": 5})
        assert answer.status == 200 and len(answer.json["learners"]) == 5
        return len(captured)

    enrol("learner", 10)
    few = queries_for_page()
    enrol("other", 990)
    assert queries_for_page() == few
    last = staff.call(key, "cohort", {"page": 5, "page_size": 200}).json
    assert last["total"] == 1000 and len(last["learners"]) == 200
    assert all(row["requirements"]["module"]["met"] for row in last["learners"])


def test_the_periodic_command_certifies_an_enrolled_learner_who_never_opened_our_blocks(course):
    """A programme of platform outcomes only: Yusuf read the page and never opened the programme.
    The command makes his Learner row with his anonymous id and issues the certificate."""
    intro = with_intro_page(course)
    key = course.import_olx(f'<blended_progress url_name="reading" display_name="Reading" weight="1">{READ_MODULE}'
                            '</blended_progress>')
    cohort(course, key)  # published
    yusuf = course.person("yusuf", "Yusuf Abdi")
    course.completions[(yusuf.user_id, str(intro))] = 1.0
    call_command("blended_programme_certificates", "--course", str(course.course_key), stdout=io.StringIO())
    certificate = ProgrammeCertificate.objects.get()
    learner = Learner.objects.get(pk=certificate.learner_id)
    assert (learner.user_id, learner.anonymous_user_id) == (yusuf.user_id, yusuf.anonymous_id(course.course_key))
    assert certificate.full_name == "Yusuf Abdi"
    assert course.gradebook_score(key, yusuf).earned == 1
    state = course.lms(yusuf).call(key, "get_state").json  # his first visit finds his row and certificate
    assert state["certificate"]["status"] == "available" and state["certificate"]["code"] == certificate.code
    assert Learner.objects.filter(user_id=yusuf.user_id).count() == 1


def test_without_an_anonymous_id_the_command_leaves_the_certificate_to_the_first_visit(course, monkeypatch):
    intro = with_intro_page(course)
    key = course.import_olx(f'<blended_progress url_name="reading" display_name="Reading">{READ_MODULE}'
                            '</blended_progress>')
    cohort(course, key)
    yusuf = course.person("yusuf", "Yusuf Abdi")
    course.completions[(yusuf.user_id, str(intro))] = 1.0
    monkeypatch.setattr("blended_xblocks.platform.adapter.OpenEdxOutcomeReader.anonymous_ids", lambda self, course_key, ids: {})
    out = io.StringIO()
    call_command("blended_programme_certificates", stdout=out)
    assert out.getvalue().strip() == "0 certificate(s) issued" and not ProgrammeCertificate.objects.exists()
    assert course.lms(yusuf).call(key, "get_state").json["certificate"]["status"] == "available"


def test_a_learner_met_and_unenrolled_keeps_the_certificate_but_leaves_the_cohort(course):
    key = programme(course)
    amina = course.person("amina", "Amina Diallo")
    mark(course, course.w1, amina, "present")
    approve(course, amina)
    course.lms(amina).render(key)
    assert ProgrammeCertificate.objects.count() == 1
    course.enrolments[amina.user_id] = False
    assert cohort(course, key)["learners"] == []
    assert ProgrammeCertificate.objects.count() == 1
