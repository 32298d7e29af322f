"""Places, the waitlist and offers (application/selection.py), called directly on the database:
who gets a place, how the waitlist moves, what staff and applicants are refused."""
from datetime import timedelta

import pytest

from blended_xblocks.application import selection
from blended_xblocks.application.models import Application as A
from blended_xblocks.core.errors import ApiError


def statuses(call):
    """{username: status or waitlist position}, as the staff list shows them."""
    return {row.learner.username: row.waitlist_position or row.status
            for row in A.objects.filter(call=call).select_related("learner")}


def user_ids(rows):
    return [row.learner.user_id for row in rows]


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ApiError) as error:
        call(*args, **kwargs)
    return error.value.code


def test_selected_applicants_get_an_offer_that_lapses_after_offer_days(call_row, applicants, now):
    amina, yusuf = applicants("amina", "yusuf")
    answer = selection.decide(call_row.pk, user_ids([amina, yusuf]), A.SELECTED, "Welcome", now)
    assert answer == {"changed": 2, "places_left": 0}
    amina.refresh_from_db()
    assert (amina.status, amina.offer_expires, amina.message) == (A.SELECTED, now + timedelta(days=7), "Welcome")


def test_staff_cannot_select_more_applicants_than_places_left(call_row, applicants, now):
    rows = applicants("amina", "yusuf", "fatou")
    assert refused(selection.decide, call_row.pk, user_ids(rows), A.SELECTED, "", now) == "no_places_left"
    assert set(statuses(call_row).values()) == {A.SUBMITTED}  # all or nothing


def test_waitlisted_applicants_queue_in_the_order_staff_chose_behind_those_waiting(call_row, applicants, now):
    amina, yusuf, fatou = applicants("amina", "yusuf", "fatou")
    selection.decide(call_row.pk, user_ids([fatou]), A.WAITLISTED, "", now)
    selection.decide(call_row.pk, user_ids([yusuf, amina]), A.WAITLISTED, "", now)
    assert statuses(call_row) == {"fatou": 1, "yusuf": 2, "amina": 3}


def test_an_ineligible_applicant_is_never_selected_or_waitlisted(call_row, applicants, now):
    sara, = applicants("sara", eligible=False)
    assert refused(selection.decide, call_row.pk, user_ids([sara]), A.SELECTED, "", now) == "not_eligible"
    assert refused(selection.decide, call_row.pk, user_ids([sara]), A.WAITLISTED, "", now) == "not_eligible"
    selection.decide(call_row.pk, user_ids([sara]), A.NOT_SELECTED, "Sorry", now)
    assert statuses(call_row) == {"sara": A.NOT_SELECTED}


def test_staff_are_told_who_has_not_applied_or_not_submitted(call_row, applicants, now):
    drafting, = applicants("amina", status=A.DRAFT)
    assert refused(selection.decide, call_row.pk, [99], A.SELECTED, "", now) == "unknown_user"
    assert refused(selection.decide, call_row.pk, user_ids([drafting]), A.SELECTED, "", now) == "not_submitted"
    assert refused(selection.check_decision, "maybe") == "invalid_choice"


def test_a_declined_offer_goes_to_the_first_eligible_on_the_waitlist(
        call_row, applicants, now, django_capture_on_commit_callbacks):
    amina, yusuf, fatou, sara = applicants("amina", "yusuf", "fatou", "sara")
    selection.decide(call_row.pk, user_ids([amina, yusuf]), A.SELECTED, "", now)
    selection.decide(call_row.pk, user_ids([fatou, sara]), A.WAITLISTED, "", now)
    A.objects.filter(pk=fatou.pk).update(eligible=False)  # no longer meets the call's requirements
    told = []
    with django_capture_on_commit_callbacks(execute=True):
        selection.answer_offer(call_row.pk, amina.learner, False, now, after_commit=lambda **ids: told.append(ids))
    assert statuses(call_row) == {"amina": A.DECLINED, "yusuf": A.SELECTED, "fatou": 1, "sara": A.SELECTED}
    assert told == [{"accepted": [], "promoted": [sara.pk]}]
    sara.refresh_from_db()
    assert sara.promoted_at == now and sara.offer_expires == now + timedelta(days=7)


def test_accepting_twice_answers_the_same_and_nobody_answers_an_offer_they_lack(call_row, applicants, now):
    amina, yusuf = applicants("amina", "yusuf")
    selection.decide(call_row.pk, user_ids([amina]), A.SELECTED, "", now)
    assert selection.answer_offer(call_row.pk, amina.learner, True, now).status == A.ACCEPTED
    assert selection.answer_offer(call_row.pk, amina.learner, True, now).status == A.ACCEPTED
    assert refused(selection.answer_offer, call_row.pk, yusuf.learner, True, now) == "no_offer"


def test_an_offer_past_its_time_lapses_and_its_place_passes_down(call_row, applicants, now):
    amina, yusuf, fatou = applicants("amina", "yusuf", "fatou")
    selection.decide(call_row.pk, user_ids([amina, yusuf]), A.SELECTED, "", now)
    selection.decide(call_row.pk, user_ids([fatou]), A.WAITLISTED, "", now)
    later = now + timedelta(days=7)
    assert refused(selection.answer_offer, call_row.pk, amina.learner, True, later) == "offer_expired"
    assert statuses(call_row) == {"amina": A.EXPIRED, "yusuf": A.EXPIRED, "fatou": A.SELECTED}


def test_a_place_taken_back_by_staff_passes_down_but_not_to_whoever_just_lost_it(call_row, applicants, now):
    amina, yusuf, fatou = applicants("amina", "yusuf", "fatou")
    selection.decide(call_row.pk, user_ids([amina, yusuf]), A.SELECTED, "", now)
    selection.decide(call_row.pk, user_ids([fatou]), A.WAITLISTED, "", now)
    answer = selection.decide(call_row.pk, user_ids([amina]), A.WAITLISTED, "", now)
    assert answer == {"changed": 1, "places_left": 0}
    assert statuses(call_row) == {"amina": 1, "yusuf": A.SELECTED, "fatou": A.SELECTED}


def test_a_call_without_limit_or_waitlist(call_row, applicants, now):
    call_row.places, call_row.waitlist = 0, False
    call_row.save()
    rows = applicants("amina", "yusuf", "fatou")
    assert selection.decide(call_row.pk, user_ids(rows[:2]), A.SELECTED, "", now)["places_left"] is None
    assert refused(selection.decide, call_row.pk, user_ids(rows[2:]), A.WAITLISTED, "", now) == "no_waitlist"
