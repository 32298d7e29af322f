"""Drive blocks the way the demo workbench does (with its LMS-shaped services): OLX in, handler calls and
rendered views out; and the helpers tests share (each block's OLX and the calls its tests repeat), the one
module tests import helpers from. Fixtures live in the conftest.py of each folder."""
import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from django.core import mail as django_mail
from django.db import connection
from django.test import RequestFactory
from django.utils import translation
from submissions import api as submissions_api
from submissions.models import Score
from webob import Request
from xblock.core import XBlock
from xblock.django.request import django_to_webob_request

import blended_xblocks.platform.adapter
from blended_xblocks.demo.runtime import DemoRuntime
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.results import Result

COURSE = "course-v1:IOM+REINT+2022"  # the demo workbench's course


class Workbench:
    """One test's scenarios; every `load` gets fresh usage ids, so tests never share state."""

    def load(self, xml: str) -> str:
        runtime = DemoRuntime()
        runtime.id_generator.set_scenario(f"t{uuid.uuid4().hex[:12]}")
        return runtime.parse_xml_string(xml)

    def block(self, usage_id: str, student: str = "amina"):
        return DemoRuntime(student).get_block(usage_id)

    def call(self, usage_id, handler, data=None, *, student="amina", body=None, method="POST",
             content_type="application/json", query="", language="en", post=None, follow_downloads=True) -> Result:
        """Call a handler as `student`. `data` is sent as JSON; `body` as raw bytes; `post` as a form.

        A redirect to our streamed download view is followed, as a browser does (`follow_downloads`)."""
        if post is not None:
            request = Request.blank("/?" + query, POST=post)
        else:
            if body is None:
                body = b"" if data is None and method == "GET" else json.dumps(data if data is not None else {}).encode()
            request = Request.blank("/?" + query, method=method, body=body, content_type=content_type)
        return self.send(usage_id, handler, request, student=student, language=language,
                         follow_downloads=follow_downloads)

    def call_django(self, usage_id, handler, body: bytes, content_type: str, *, student="amina", method="POST",
                    query="", language="en", **meta) -> Result:
        """Call a handler with the request the LMS hands a block: Django parses the body (its own
        limits and errors apply), wrapped by XBlock's `django_to_webob_request`."""
        request = RequestFactory().generic(method, "/?" + query, data=body, content_type=content_type, **meta)
        return self.send(usage_id, handler, django_to_webob_request(request), student=student, language=language)

    def send(self, usage_id, handler, request, *, student="amina", language="en", follow_downloads=True) -> Result:
        block = self.block(usage_id, student)
        with translation.override(language):
            response = block.runtime.handle(block, handler, request)
        location = response.headers.get("Location", "")
        if follow_downloads and response.status_code == 302 and location.startswith("/blended/downloads/"):
            return download(location, student)
        return Result(response.status_code, response.body, dict(response.headers))

    def render(self, usage_id, student="amina", view="student_view", language="en") -> str:
        block = self.block(usage_id, student)
        with translation.override(language):
            return block.render(view, {}).body_html()


def download(location, student="amina") -> Result:
    """GET our download view (downloads.py) as `student` (signed in the demo's way, `?student=`),
    and read its streamed body: a ticket is only good for the user it was made for."""
    from django.test import Client

    response = Client().get(location, {"student": student} if student else {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Result(response.status_code, body, dict(response.headers))


def race(calls, timeout=60):
    """Run the callables at the same moment, one thread each (each with its own database
    connection); their results in order, or the exception a call raised."""
    return timed_race(calls, timeout)[0]


def timed_race(calls, timeout=60):
    """`race`, and the seconds from the moment the callables are let go to the last one's end.

    Each thread opens its database connection before the start, as a server's worker has its
    connection before a request arrives: the race is between the requests, and the time is theirs
    (not the threads' start or the driver's connection set-up, a tenth of a second on MariaDB)."""
    moments = {}
    barrier = threading.Barrier(len(calls), action=lambda: moments.setdefault("start", time.perf_counter()))
    results = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test's assertions
            results[index] = error
        finally:
            ends[index] = time.perf_counter()
            connection.close()

    ends = [0.0] * len(calls)
    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, max(ends) - moments.get("start", max(ends))


def load_demo_scenarios() -> dict:
    """Every demo scenario loaded afresh into this test's database, as `make demo` loads them on
    its first page: {scenario id: workbench Scenario}. Call `forget_demo_scenarios()` after a test
    whose database is rolled back (the workbench keeps block state in it)."""
    from workbench import scenarios as workbench_scenarios
    from workbench.runtime import ID_MANAGER, WORKBENCH_KVS

    import blended_xblocks.demo.urls  # noqa: F401  (installs the demo's scenario loader and runtime)

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    forget_demo_scenarios()
    workbench_scenarios.get_scenarios()
    return workbench_scenarios.SCENARIOS


def forget_demo_scenarios():
    from workbench import scenarios as workbench_scenarios

    workbench_scenarios.SCENARIOS.clear()
    workbench_scenarios.get_scenarios.initialized = False


# ---- Webinar: a session starting `minutes` from now, written in the organiser's zone
def local(minutes, tz="Africa/Dakar"):
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")


def webinar(minutes=24 * 60, tz="Africa/Dakar", body="", **attrs):
    attrs.setdefault("display_name", "Webinar 3: Reintegration at community level")
    attrs.setdefault("join_url", "https://meet.example.org/kmh-3")
    attributes = " ".join(f'{key}="{value}"' for key, value in attrs.items())
    return f'<blended_webinar start="{local(minutes, tz)}" timezone="{tz}" {attributes}>{body}</blended_webinar>'


# ---- Call for applications: the IOM call of issue 12, its deadline moved as a test needs
APPLICATION_CALL = """<blended_application url_name="call" display_name="Apply for the training"
    opens="{opens}" deadline="{deadline}" timezone="Europe/Zurich"
    places="{places}" waitlist="true" offer_days="7" cohort="selected">
  <description><p>Practitioners of reintegration in the Sahel and Lake Chad.</p></description>
  <question id="role" kind="choice" required="true" label="Your organisation type">
    <choice value="ngo">Local NGO</choice><choice value="authority">National or local authority</choice>
  </question>
  <question id="experience" kind="number" required="true" label="Years of work in reintegration" min="0" max="60"/>
  <question id="eligible" kind="yes_no" required="true" must_be="yes" label="I can take part from May to June 2022"/>
  <question id="motivation" kind="text" required="true" max_length="3000" label="Why do you apply?"/>
  <question id="cv" kind="file" required="false" label="CV (PDF)" types="pdf" max_mb="5"/>
  <criterion id="exp" label="Experience in reintegration" points="5"/>
  <criterion id="plan" label="Plan to use the training" points="5"/>
</blended_application>"""


def _zurich_time(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).astimezone(ZoneInfo("Europe/Zurich")).strftime("%Y-%m-%dT%H:%M")


def application_call(places=2, deadline_minutes=24 * 60, opens_minutes=-60) -> str:
    return APPLICATION_CALL.format(places=places, deadline=_zurich_time(deadline_minutes), opens=_zurich_time(opens_minutes))


GOOD_ANSWERS = {"role": "ngo", "experience": 3, "eligible": "yes", "motivation": "I run returnee counselling in Agadez."}


# ---- Group assignment: the IOM group assignment, a submission and a grade
GROUP_ASSIGNMENT = """
<blended_group_assignment display_name="Group assignment 1: Community reintegration plan"
    mode="group" max_group_size="5" due="2099-06-10T23:59" timezone="Europe/Geneva" late_submissions="true"
    max_files="5" max_file_mb="1" file_types=".pdf .docx .png" weight="1">
  <prompt><p>Design a <strong>community-level</strong> reintegration plan.</p></prompt>
  <rubric>
    <criterion name="analysis" label="Context analysis">
      <level points="0" label="Missing"/><level points="2" label="Partial"/><level points="4" label="Complete"/>
    </criterion>
    <criterion name="plan" label="Activities and partners">
      <level points="0" label="Missing"/><level points="3" label="Partial"/><level points="6" label="Complete"/>
    </criterion>
  </rubric>
  <group name="Team Sahel"><member username="amina"/><member username="yusuf"/><member username="fatou"/></group>
  <group name="Team Horn"><member username="sara"/></group>
</blended_group_assignment>
"""


STAFF = "instructor"


def submitted(workbench, usage, text="Our plan"):
    state = workbench.call(usage, "get_state", student="amina").json
    draft = workbench.call(usage, "save_draft", {"text": text, "version": state["draft"]["version"]}).json["draft"]
    assert workbench.call(usage, "submit", {"version": draft["version"]}).status == 200
    return workbench.call(usage, "list_submissions", {"status": "submitted"}, student=STAFF).json["rows"][0]


def grade_body(row, **changes):
    body = {"submission_id": row["submission_id"], "grade_version": 0, "levels": {"analysis": 4, "plan": 3},
            "feedback": "Strong analysis; partners are missing."}
    body.update(changes)
    return body


# ---- Group assignment: files
PDF = b"%PDF-1.4\n% reintegration plan\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def upload(workbench, usage, name, content, student="amina"):
    return workbench.call(usage, "upload_file", post={"file": (name, content)}, student=student)


def submit_with_file(workbench, usage):
    upload(workbench, usage, "plan.pdf", PDF)
    workbench.call(usage, "save_draft", {"text": "Community plan for Agadez", "version": 0})
    workbench.call(usage, "submit", {"version": 1})
    return workbench.call(usage, "list_submissions", {"status": "submitted"}, student=STAFF).json["rows"][0]


# ---- Group assignment: self-enrolment
GROUP_SELF_ENROLMENT = """<blended_group_assignment display_name="Group assignment 2: M&amp;E framework" mode="group"
  self_enrolment="true" max_group_size="2" due="{due}" timezone="Africa/Nairobi" late_submissions="{late}">
  <prompt><p>Draft an M&amp;E framework.</p></prompt>
</blended_group_assignment>"""


def load_self_enrolling(workbench, due="2099-01-01T12:00", late="false"):
    return workbench.load(GROUP_SELF_ENROLMENT.format(due=due, late=late))


# ---- Group assignment: what edx-submissions holds
def scores_in_gradebook(usage_key):
    """{anonymous id: [points of every Score row edx-submissions holds]}."""
    rows = Score.objects.filter(student_item__item_id=usage_key).order_by("pk")
    found = {}
    for row in rows.values_list("student_item__student_id", "points_earned"):
        found.setdefault(row[0], []).append(row[1])
    return found


# ---- Group assignment: what its Studio editor posts
def editor_values(**changes):
    """What the editor's JavaScript posts: every setting, the rubric rows and the groups."""
    values = {"display_name": "Group assignment 1: Community reintegration plan", "mode": "group", "teamset": "",
              "max_group_size": 5, "self_enrolment": False, "assignment_due": "2099-06-10T23:59",
              "timezone": "Europe/Geneva", "late_submissions": True, "max_files": 5, "max_file_mb": 1,
              "file_types": ".pdf .docx .png", "weight": None, "prompt": "<p>Design a plan.</p>",
              "rubric": [{"name": "analysis", "label": "Context analysis",
                          "levels": [{"label": "Missing", "points": 0}, {"label": "Partial", "points": 2},
                                     {"label": "Complete", "points": 4}]},
                         {"name": "plan", "label": "Activities and partners",
                          "levels": [{"label": "Missing", "points": 0}, {"label": "Complete", "points": 6}]}],
              "groups": [{"name": "Team Sahel", "members": ["amina", "yusuf", "fatou"]},
                         {"name": "Team Horn", "members": ["sara"]}]}
    values.update(changes)
    return values


def criterion(name="extra", label="Extra", levels=({"label": "None", "points": 0},)):
    return {"name": name, "label": label, "levels": list(levels)}


# ---- Group assignment: two groups, for downloads
GROUP_ASSIGNMENT_TWO_GROUPS = """
<blended_group_assignment display_name="Plan" mode="group" max_group_size="5" due="2099-06-10T23:59"
    late_submissions="true" max_files="5" max_file_mb="20" file_types=".pdf .png" weight="1">
  <prompt><p>Plan.</p></prompt>
  <group name="Team Sahel"><member username="amina"/><member username="yusuf"/></group>
  <group name="Team Horn"><member username="sara"/></group>
</blended_group_assignment>
"""


# ---- Every block: the Studio editor's save
def save(workbench, usage, values, defaults=(), student="instructor"):
    return workbench.call(usage, "submit_studio_edits", {"values": values, "defaults": list(defaults)}, student=student)


# ---- Supervisor agreement: learner asks, supervisor decides through the mailed link
SUPERVISOR_AGREEMENT = """<blended_supervisor_agreement display_name="Supervisor agreement"
    programme="IOM reintegration training" commitment="About 25 hours between 2 May and 30 June 2022"
    link_days="14" reminder_days="5" weight="{weight}">
  <agreement><p>I agree to give <strong>Amina</strong> time to follow the sessions and do the exercises.</p></agreement>
</blended_supervisor_agreement>"""


SUPERVISOR = {"name": "Moussa Traoré", "email": "m.traore@ngo.example.org", "organisation": "Sahel Returns NGO",
              "message": "Could you approve my participation?"}


def last_mail():
    return django_mail.outbox[-1]


def token_from(message) -> str:
    link = re.search(r"https?://\S+supervisor_review\S*", message.body).group(0)
    return parse_qs(urlsplit(link).query)["token"][0]


def ask(workbench, usage, student="amina", **changes):
    result = workbench.call(usage, "request_approval", {**SUPERVISOR, **changes}, student=student)
    assert result.status == 200, result.body
    return token_from(last_mail())


def review_page(workbench, usage, token, language="en"):
    return workbench.call(usage, "supervisor_review", method="GET", query=f"token={token}", student="none",
                          language=language)


def decide(workbench, usage, token, decision="approve", signer="Moussa Traoré", reason=""):
    return workbench.call(usage, "supervisor_review", student="none",
                          post={"token": token, "decision": decision, "signer_name": signer, "reason": reason})


# ---- Experience sharing: a post and the learner's state
EXPERIENCE_SHARING = """<blended_experience_sharing display_name="Experience sharing 1: Returnees' economic reintegration"
    session="webinar-7" min_posts="1" min_replies="2" anonymous_allowed="true"
    moderation="{moderation}" tags="economic psychosocial community">
  <prompt><p>Describe a case: context, challenge, what you did, what you learned.</p></prompt>
</blended_experience_sharing>"""


def create_post(workbench, usage, student="amina", **fields):
    data = {"title": "A returnee's bakery", "body": "Context: Agadez.\nWhat worked: small grants.",
            "tags": ["economic"], "anonymous": False} | fields
    result = workbench.call(usage, "create_post", data, student=student)
    assert result.status == 200, result.body
    return result.json["post"]


def sharing_state(workbench, usage, student="yusuf", **query):
    result = workbench.call(usage, "get_state", query, student=student)
    assert result.status == 200, result.body
    return result.json


# ---- Webinar: every attribute, and what its Studio editor posts
WEBINAR_FULL = """<blended_webinar display_name="Webinar 3: Reintegration at community level" url_name="kmh3"
    start="2022-05-16T11:00" timezone="Asia/Amman" duration="90" capacity="20" waitlist="true"
    registration_closes="2022-05-15T23:59" join_url="https://meet.example.org/kmh-3" join_opens="15"
    languages="en ar" checkin="true" recording_url="https://video.example.org/kmh-3" weight="2"
    late_credit="0.5" excused_credit="0.25" late_after="10">
  <description><p>Facilitated by <strong>Joy Paone</strong> &amp; guests.</p><ul><li>Community level</li></ul></description>
  <speaker name="Joy Paone" affiliation="EU-IOM Knowledge Management Hub"/>
  <speaker name="Amal Haddad" affiliation="Reintegration expert, Tunis"/>
</blended_webinar>"""


WEBINAR_EDIT = {"display_name": "Webinar 4: Monitoring", "start": "2026-03-29T01:30", "timezone": "Europe/Paris",
                "duration": 90, "capacity": 2, "waitlist": True, "registration_closes": "", "join_url": "https://meet.example.org/x",
                "join_opens": 10, "languages": "en ar ar", "checkin": True, "late_after": 15, "recording_url": "",
                "weight": 4, "late_credit": 50, "excused_credit": 0, "description": "<p>New</p>",
                "speakers": [{"name": "Joy Paone", "affiliation": "IOM"}, {"name": "", "affiliation": ""}]}


# ---- Webinar: the score edx-submissions holds
def webinar_score(usage, student):
    item = {"student_id": student, "course_id": "course-v1:IOM+REINT+2022", "item_id": usage,
            "item_type": "blended_webinar"}
    score = submissions_api.get_score(item)
    return (score["points_earned"], score["points_possible"]) if score else None


# ---- Webinar: a session with `count` registrations (a third waitlisted)
def crowd(workbench, count):
    usage = workbench.load(webinar(capacity="0"))
    workbench.render(usage, student="instructor")
    session = WebinarSession.objects.get(usage_key=usage)
    learners = Learner.objects.bulk_create(
        [Learner(course_key=COURSE, anonymous_user_id=f"u{count}-{n}", username=f"u{count}-{n}") for n in range(count)])
    WebinarRegistration.objects.bulk_create(
        [WebinarRegistration(session=session, learner=learner, status="registered" if n % 3 else "waitlisted",
                             waitlist_position=None if n % 3 else n // 3 + 1) for n, learner in enumerate(learners)])
    return usage


# ---- Open edX host: what the adapter asks of the runtime
def services_the_adapter_asks_for():
    source = Path(blended_xblocks.platform.adapter.__file__).read_text()
    return sorted(set(re.findall(r'_service\("([a-z_]+)"\)', source)))


# ---- Open edX host: a block's handlers
def handler_names(block_type):
    block_class = XBlock.load_class(block_type)
    return sorted(name for name in dir(block_class) if getattr(getattr(block_class, name), "_is_xblock_handler", False))


# ---- Open edX host: the supervisor's link in a mail
def mailed_link(message) -> str:
    return re.search(r"https?://\S+supervisor_review\S*", message.body).group(0)


# ---- Call for applications: an applicant in the Open edX host
def apply(openedx, key, name, answers=GOOD_ANSWERS):
    person = openedx.person(name)
    result = openedx.lms(person).call(key, "submit", {"answers": answers, "version": 0})
    assert result.status == 200, result.body
    return person


# ---- Programme progress: the programme over two webinars and an agreement
PROGRAMME = """<blended_progress url_name="programme" display_name="Your programme"
    certificate_title="Blended training on reintegration" issuer="EU-IOM Knowledge Management Hub"
    release="{release}" timezone="Europe/Geneva" weight="2">
  <requirement id="webinars" label="Webinars" kind="attendance" blocks="blended_webinar/w1 blended_webinar/w2" min="1"/>
  <requirement id="supervisor" label="Supervisor agreement" kind="approval"
      blocks="blended_supervisor_agreement/agreement"/>
  {extra}
</blended_progress>"""


def named(xml, url_name):
    tag_end = xml.index(" ")
    return f'{xml[:tag_end]} url_name="{url_name}"{xml[tag_end:]}'


def programme(host, release="", extra=""):
    return host.import_olx(PROGRAMME.format(release=release, extra=extra))


# ---- Programme progress: staff mark attendance and record an approval
def mark(host, webinar_key, person, attendance):
    learner = host.lms(person)
    learner.call(webinar_key, "register", {})
    staff = host.lms(host.person("instructor", "Joy Paone"), staff=True)
    answer = staff.call(webinar_key, "set_attendance",
                        {"records": [{"user_id": person.anonymous_id(host.course_key), "attendance": attendance}]})
    assert answer.status == 200, answer.body


def approve(host, person):
    staff = host.lms(host.person("instructor", "Joy Paone"), staff=True)
    answer = staff.call(host.agreement, "record_decision", {"user_id": person.anonymous_id(host.course_key),
                                                            "status": "approved", "note": "Paper form signed"})
    assert answer.status == 200, answer.body
