"""Moving up from the waitlist: the learner is told by e-mail (after commit) and once on their page.

pytest-django swaps the demo's SentMail outbox for Django's locmem backend, so sent mail is in
`mailoutbox`; `db`-fixture tests run inside one transaction, so on-commit work is captured with
`django_capture_on_commit_callbacks`, and the `real_db` tests commit for real.
"""
import logging

import pytest
from django.utils import timezone

from blended_xblocks.demo.platform import WorkbenchPlatform
from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import race, webinar

TITLE = "Webinar 3: Reintegration at community level"


def full_two_seats(workbench, waiting_language="en", **attrs):
    """amina and yusuf hold the two seats; fatou waits in position 1 (using the site in `waiting_language`)."""
    usage = workbench.load(webinar(capacity="2", waitlist="true", **attrs))
    workbench.call(usage, "register", {}, student="amina")
    workbench.call(usage, "register", {}, student="yusuf")
    assert workbench.call(usage, "register", {}, student="fatou", language=waiting_language).json[
        "registration"] == "waitlisted"
    return usage


def test_promoted_learner_gets_mail_only_after_commit(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench)
    with django_capture_on_commit_callbacks() as callbacks:
        assert workbench.call(usage, "cancel", {}, student="yusuf").status == 200
        assert mailoutbox == []  # nothing leaves before the promotion is committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["fatou@learners.example.org"]
    assert mail.subject == f"You have a seat: {TITLE}"
    html = dict((mimetype, body) for body, mimetype in mail.alternatives)["text/html"]
    for body in (mail.body, html):
        assert "Fatou Ndiaye" in body and TITLE in body
        assert "(Africa/Dakar, GMT)" in body and " UTC" in body
        assert "meet.example.org" not in body  # the join link stays on the page


def test_mail_shows_the_organisers_zone_and_utc(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench, tz="Asia/Amman")
    session = WebinarSession.objects.get(usage_key=usage)
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="amina")
    from zoneinfo import ZoneInfo
    amman = session.start.astimezone(ZoneInfo("Asia/Amman")).strftime("%H:%M")
    utc = session.start.astimezone(ZoneInfo("UTC")).strftime("%H:%M")
    assert amman != utc
    assert f"{amman} (Asia/Amman, GMT+3)" in mailoutbox[0].body and f"{utc} UTC" in mailoutbox[0].body


@pytest.mark.parametrize("language, subject, line", [
    ("ar", "لديك مقعد", "dir=\"rtl\""),
    ("fr", "Vous avez une place", "lang=\"fr\""),
    ("es", "Tiene una plaza", "lang=\"es\""),
])
def test_mail_speaks_the_language_the_learner_used(workbench, django_capture_on_commit_callbacks, mailoutbox,
                                                   language, subject, line):
    usage = full_two_seats(workbench, waiting_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf", language="en")
    mail = mailoutbox[0]
    assert mail.subject.startswith(subject)
    assert line in mail.alternatives[0][0] and "Hello" not in mail.body


def test_unknown_language_falls_back_to_the_default(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench)
    WebinarRegistration.objects.filter(learner__anonymous_user_id="fatou").update(site_language="xx")
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf")
    assert mailoutbox[0].subject.startswith("You have a seat") and mailoutbox[0].body.startswith("Hello")


def test_a_title_cannot_inject_mail_headers(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench, display_name="Session&#10;Bcc: victim@example.org")
    assert "\n" in WebinarSession.objects.get(usage_key=usage).title  # the author's title has a line break
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf")
    mail = mailoutbox[0]
    assert mail.subject == "You have a seat: Session Bcc: victim@example.org"
    assert mail.recipients() == ["fatou@learners.example.org"]
    assert "\nBcc:" not in mail.message().as_string().split("\n\n")[0]


def test_learners_without_an_address_are_skipped(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench)
    Learner.objects.filter(anonymous_user_id="fatou").update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert workbench.call(usage, "cancel", {}, student="yusuf").status == 200
    assert mailoutbox == []
    assert workbench.call(usage, "get_state", {}, student="fatou").json["registration"] == "registered"


def test_a_mail_failure_keeps_the_seat_and_is_logged(workbench, django_capture_on_commit_callbacks, mailoutbox,
                                                     monkeypatch, caplog):
    def broken(self, *args):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(WorkbenchPlatform, "send_mail", broken)
    usage = full_two_seats(workbench)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        assert workbench.call(usage, "cancel", {}, student="yusuf").status == 200
    assert "could not mail promotion notice for registration" in caplog.text  # the send itself failed
    state = workbench.call(usage, "get_state", {}, student="fatou").json
    assert state["registration"] == "registered" and state["promoted"]


def test_the_page_says_it_once(workbench, django_capture_on_commit_callbacks):
    usage = full_two_seats(workbench)
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf")
    notice = "You moved up from the waitlist: you have a seat."
    first = workbench.render(usage, student="fatou")
    assert notice in first
    assert notice not in workbench.render(usage, student="fatou")
    assert workbench.call(usage, "get_state", {}, student="fatou").json["messages"]["notice"] == ""
    # Others never see it, and a learner who was never waitlisted neither.
    assert notice not in workbench.render(usage, student="amina")


def test_notice_through_get_state_in_arabic(workbench, django_capture_on_commit_callbacks):
    usage = full_two_seats(workbench)
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf")
    state = workbench.call(usage, "get_state", {}, student="fatou", language="ar").json
    assert state["promoted"] and state["messages"]["notice"] == "انتقلت من قائمة الانتظار: لديك الآن مقعد."
    again = workbench.call(usage, "get_state", {}, student="fatou", language="ar").json
    assert not again["promoted"] and again["messages"]["notice"] == ""


def test_cancelling_after_promotion_then_registering_again_shows_no_notice(workbench,
                                                                          django_capture_on_commit_callbacks):
    usage = full_two_seats(workbench)
    with django_capture_on_commit_callbacks(execute=True):
        workbench.call(usage, "cancel", {}, student="yusuf")
        workbench.call(usage, "cancel", {}, student="fatou")
    state = workbench.call(usage, "register", {}, student="fatou").json
    assert state["registration"] == "registered" and state["messages"]["notice"] == ""


def test_raising_the_capacity_promotes_and_mails(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench)
    author = workbench.block(usage, "instructor")
    author.capacity = 3
    author.save()
    with django_capture_on_commit_callbacks(execute=True):
        author.session()
    assert [mail.to for mail in mailoutbox] == [["fatou@learners.example.org"]]
    assert "You moved up" in workbench.render(usage, student="fatou")


def test_leaving_the_waitlist_mails_nobody(workbench, django_capture_on_commit_callbacks, mailoutbox):
    usage = full_two_seats(workbench)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workbench.call(usage, "cancel", {}, student="fatou")
    assert callbacks == [] and mailoutbox == []


@pytest.mark.concurrency
def test_two_cancellations_at_once_mail_each_promoted_learner_once(real_db, mailoutbox):
    workbench = real_db
    usage = workbench.load(webinar(capacity="2", waitlist="true"))
    for student in ("amina", "yusuf", "fatou", "omar", "leila"):
        workbench.call(usage, "register", {}, student=student)
    results = race([lambda s=s: workbench.call(usage, "cancel", {}, student=s) for s in ("amina", "yusuf")])
    assert [result.status for result in results] == [200, 200]
    assert sorted(mail.to[0] for mail in mailoutbox) == ["fatou@learners.example.org", "omar@learners.example.org"]
    leila = workbench.call(usage, "get_state", {}, student="leila").json
    assert leila["registration"] == "waitlisted" and leila["waitlist_position"] == 1


@pytest.mark.concurrency
def test_a_mail_failure_after_commit_keeps_the_promotion(real_db, monkeypatch):
    attempts = []

    def broken(self, address, *args):
        attempts.append(address)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(WorkbenchPlatform, "send_mail", broken)
    workbench = real_db
    usage = full_two_seats(workbench)
    assert workbench.call(usage, "cancel", {}, student="yusuf").status == 200
    assert attempts == ["fatou@learners.example.org"]  # the mail was tried (after commit), and failed
    row = WebinarRegistration.objects.get(learner__anonymous_user_id="fatou")
    assert row.status == "registered" and row.promotion_unseen and row.promoted_at is not None


# The waitlist is a queue ------------------------------------------------------------------------
def waiting(usage):
    """[(learner, position)] of the waitlist, in position order."""
    rows = (WebinarRegistration.objects.filter(session__usage_key=usage, status="waitlisted")
            .select_related("learner").order_by("waitlist_position"))
    return [(row.learner.anonymous_user_id, row.waitlist_position) for row in rows]


def remove_learner(name):
    """An administrator deletes a learner's row (their registration goes with it): a hole in the queue."""
    Learner.objects.filter(anonymous_user_id=name).delete()


def test_a_learner_who_cancels_and_registers_again_waits_behind_those_already_waiting(workbench):
    usage = workbench.load(webinar(capacity="1", waitlist="true"))
    for student in ("amina", "yusuf", "fatou", "omar"):
        workbench.call(usage, "register", {}, student=student)
    remove_learner("yusuf")
    workbench.call(usage, "cancel", {}, student="amina")
    assert waiting(usage) == [("omar", 1)]
    assert workbench.call(usage, "register", {}, student="amina").json["waitlist_position"] == 2
    workbench.call(usage, "cancel", {}, student="fatou")  # frees the seat: omar waited longer than amina
    assert WebinarRegistration.objects.get(learner__anonymous_user_id="omar").status == "registered"
    assert waiting(usage) == [("amina", 1)]


def test_raising_the_capacity_by_two_leaves_the_next_learner_first(workbench):
    usage = workbench.load(webinar(capacity="1", waitlist="true"))
    for student in ("amina", "yusuf", "fatou", "omar", "leila"):
        workbench.call(usage, "register", {}, student=student)
    remove_learner("yusuf")
    author = workbench.block(usage, "instructor")
    author.capacity = 3
    author.save()
    promoted = author.session() and WebinarRegistration.objects.filter(session__usage_key=usage, promotion_unseen=True)
    assert sorted(row.learner.anonymous_user_id for row in promoted.select_related("learner")) == ["fatou", "omar"]
    assert waiting(usage) == [("leila", 1)]
    assert workbench.call(usage, "get_state", {}, student="leila").json["waitlist_position"] == 1


def test_ties_left_by_old_data_go_to_who_joined_first(workbench):
    usage = workbench.load(webinar(capacity="1", waitlist="true"))
    for student in ("amina", "yusuf", "fatou", "omar"):
        workbench.call(usage, "register", {}, student=student)
    WebinarRegistration.objects.filter(learner__anonymous_user_id__in=["yusuf", "fatou", "omar"]).update(
        waitlist_position=4)
    WebinarRegistration.objects.filter(learner__anonymous_user_id="yusuf").update(updated=timezone.now())
    workbench.call(usage, "cancel", {}, student="amina")
    assert WebinarRegistration.objects.get(learner__anonymous_user_id="fatou").status == "registered"
    assert waiting(usage) == [("omar", 1), ("yusuf", 2)]


def test_the_waitlist_stays_a_queue_through_any_sequence_of_changes(workbench):
    """Against a model queue: registrations, cancellations and capacity changes in random order."""
    import random

    rng = random.Random(16)
    usage = workbench.load(webinar(capacity="2", waitlist="true"))
    students = ["amina", "yusuf", "fatou", "omar", "leila", "sara"]
    queue, seated, capacity = [], set(), 2
    for step in range(120):
        student, action = rng.choice(students), rng.random()
        if action < 0.45:
            workbench.call(usage, "register", {}, student=student)
            if student not in seated and student not in queue:
                (seated.add(student) if len(seated) < capacity else queue.append(student))
        elif action < 0.9:
            workbench.call(usage, "cancel", {}, student=student)
            if student in queue:
                queue.remove(student)
            elif student in seated:
                seated.remove(student)
        else:
            capacity = rng.choice([1, 2, 3, 4])
            author = workbench.block(usage, "instructor")
            author.capacity = capacity
            author.save()
            author.session()
        while queue and len(seated) < capacity:
            seated.add(queue.pop(0))
        assert waiting(usage) == [(name, number) for number, name in enumerate(queue, start=1)], step
        assert set(WebinarRegistration.objects.filter(session__usage_key=usage, status="registered")
                   .values_list("learner__anonymous_user_id", flat=True)) == seated, step
