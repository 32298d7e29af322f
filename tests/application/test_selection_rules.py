"""Rules of the selection a reviewer found broken: who may wait for a place, who gets a freed one,
what a lapsed offer looks like to the applicant, the cohort on accepting, and the messages kept."""
from datetime import timedelta

from blended_xblocks.application.models import Application
from tests.harness import GOOD_ANSWERS as GOOD
from tests.harness import application_call as call
from tests.harness import apply


def status_of(person):
    return Application.objects.get(learner__user_id=person.user_id).status


def test_an_ineligible_applicant_cannot_be_waitlisted_and_is_never_promoted(openedx):
    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    omar = apply(openedx, key, "omar", {**GOOD, "eligible": "no"})
    joy = openedx.lms(openedx.person("joy"), staff=True)
    refused = joy.call(key, "decide", {"user_ids": [yusuf.user_id, omar.user_id], "decision": "waitlisted"})
    assert refused.status == 409 and refused.error_code == "not_eligible"
    assert status_of(yusuf) == status_of(omar) == "submitted"  # all or nothing

    assert joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"}).status == 200
    assert joy.call(key, "decide", {"user_ids": [omar.user_id, yusuf.user_id], "decision": "waitlisted"}).status == 409
    assert joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"}).status == 200
    # Waitlisted before this rule: an ineligible applicant at the head of the queue is passed over.
    Application.objects.filter(learner__user_id=omar.user_id).update(status="waitlisted", waitlist_position=0)
    assert openedx.lms(amina).call(key, "decline_offer", {}).status == 200
    assert (status_of(omar), status_of(yusuf)) == ("waitlisted", "selected")


def lapse(person):
    row = Application.objects.get(learner__user_id=person.user_id)
    Application.objects.filter(pk=row.pk).update(offer_expires=row.decided_at - timedelta(seconds=1))


def test_a_lapsed_offer_shows_as_expired_with_no_answer_to_give_and_the_place_moves_on(openedx):
    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
    lapse(amina)
    html = openedx.lms(amina).render(key)  # the page is opened, not refreshed through get_state
    assert '"status": "expired"' in html and '"status": "selected"' not in html
    assert (status_of(amina), status_of(yusuf)) == ("expired", "selected")


def test_a_failing_cohort_keeps_the_accepted_place_and_accepting_again_retries_it(
        openedx, django_capture_on_commit_callbacks, caplog):
    from unittest import mock
    key = openedx.import_olx(call(places=1))
    amina = apply(openedx, key, "amina")
    openedx.lms(openedx.person("joy"), staff=True).call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    learner = openedx.lms(amina)
    with mock.patch("blended_xblocks.platform.adapter.OpenEdxPlatform.add_to_cohort", side_effect=RuntimeError("cohorts down")), \
            django_capture_on_commit_callbacks(execute=True):
        accepted = learner.call(key, "accept_offer", {})
    assert accepted.status == 200 and accepted.json["application"]["status"] == "accepted"
    assert status_of(amina) == "accepted" and "cohort" in caplog.text
    with mock.patch("blended_xblocks.platform.adapter.OpenEdxPlatform.add_to_cohort") as cohort, \
            django_capture_on_commit_callbacks(execute=True):
        again = learner.call(key, "accept_offer", {})
    assert again.status == 200 and again.json["application"]["status"] == "accepted"
    cohort.assert_called_once_with(amina.user_id, "selected")


def test_an_unreadable_deadline_closes_the_call_and_tells_staff(openedx):
    for number, broken in enumerate((('deadline="', 'deadline="16 May 2022 noon" x="'),
                                     ('timezone="Europe/Zurich"', 'timezone="Mars/Olympus"'))):
        key = openedx.import_olx(call().replace(*broken).replace('url_name="call"', f'url_name="call{number}"'))
        amina = openedx.person("amina")
        refused = openedx.lms(amina).call(key, "submit", {"answers": GOOD, "version": 0})
        assert refused.status == 409 and refused.error_code == "deadline_passed", broken
        assert "The deadline for this call has passed." in openedx.lms(amina).render(key)
        assert "cannot be read" in openedx.lms(openedx.person("joy"), staff=True).render(key)
    assert not Application.objects.exists()


def test_staff_taking_back_a_place_offers_it_down_the_waitlist_with_a_mail(openedx, django_capture_on_commit_callbacks):
    from django.core import mail
    key = openedx.import_olx(call(places=1))
    amina, yusuf, fatou = (apply(openedx, key, name) for name in ("amina", "yusuf", "fatou"))
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    joy.call(key, "decide", {"user_ids": [yusuf.user_id, fatou.user_id], "decision": "waitlisted"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "not_selected"})
    assert moved.status == 200 and moved.json["places_left"] == 0
    assert (status_of(amina), status_of(yusuf), status_of(fatou)) == ("not_selected", "selected", "waitlisted")
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == sorted(
        [(amina.email, "Your application"), (yusuf.email, "A place is yours")])

    openedx.lms(yusuf).call(key, "accept_offer", {})
    with django_capture_on_commit_callbacks(execute=True):
        joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
    assert (status_of(yusuf), status_of(fatou)) == ("waitlisted", "selected")
    assert Application.objects.get(learner__user_id=yusuf.user_id).waitlist_position == 1


def test_a_decision_leaves_the_message_of_applicants_it_does_not_change(openedx):
    key = openedx.import_olx(call(places=2))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected", "message": "Welcome, Amina"})
    decided = joy.call(key, "decide", {"user_ids": [amina.user_id, yusuf.user_id], "decision": "selected",
                                       "message": "Welcome"})
    assert decided.status == 200 and decided.json["changed"] == 1
    assert openedx.lms(amina).call(key, "get_state", {}).json["application"]["message"] == "Welcome, Amina"
    assert openedx.lms(yusuf).call(key, "get_state", {}).json["application"]["message"] == "Welcome"


def test_the_waitlisted_applicant_whose_view_lapses_an_offer_sees_the_place_on_that_view(openedx):
    """The view reads the learner's application with the call's row; when the view itself lapses an
    offer (moving the waitlist up, the viewer perhaps), it reads the application again."""
    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), apply(openedx, key, "yusuf")
    joy = openedx.lms(openedx.person("joy"), staff=True)
    joy.call(key, "decide", {"user_ids": [amina.user_id], "decision": "selected"})
    joy.call(key, "decide", {"user_ids": [yusuf.user_id], "decision": "waitlisted"})
    assert '"status": "waitlisted"' in openedx.lms(yusuf).render(key)
    lapse(amina)
    html = openedx.lms(yusuf).render(key)  # this view lapses Amina's offer and promotes Yusuf
    assert '"status": "selected"' in html and '"status": "waitlisted"' not in html
    assert (status_of(amina), status_of(yusuf)) == ("expired", "selected")


def test_the_learners_application_comes_with_the_call_as_the_orm_reads_it(openedx):
    from blended_xblocks.application import selection
    from blended_xblocks.platform.models import Learner

    key = openedx.import_olx(call(places=1))
    amina, yusuf = apply(openedx, key, "amina"), openedx.person("yusuf")
    openedx.lms(openedx.person("joy"), staff=True).call(key, "decide", {"user_ids": [amina.user_id],
                                                                        "decision": "selected"})
    openedx.lms(yusuf).render(key)  # a learner who never applied
    row = Application.objects.get(learner__user_id=amina.user_id)
    now = row.decided_at + timedelta(minutes=1)
    read = selection.call_of(str(key), now, row.learner).learner_application
    fields = [field.attname for field in Application._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(row, name) for name in fields]
    assert read.answers == row.answers and isinstance(read.answers, dict) and read.eligible is True
    nobody = Learner.objects.get(user_id=yusuf.user_id)
    assert selection.call_of(str(key), now, nobody).learner_application is None


def test_an_applicants_page_reads_their_application_with_the_call(openedx):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    key = openedx.import_olx(call(places=1))
    amina = apply(openedx, key, "amina")
    learner = openedx.lms(amina)
    learner.render(key)
    with CaptureQueriesContext(connection) as captured:
        html = learner.render(key)
    application_reads = [query["sql"] for query in captured if re.search(r'[`"]blended_xblocks_application[`"]', query["sql"])]
    assert len(application_reads) == 1, application_reads  # the call's row with the learner's application
    assert '"status": "submitted"' in html
