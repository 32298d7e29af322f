"""Seats and the waitlist, called directly (webinar/seats.py): who gets a seat, in which order the
waitlist moves up, and what a learner is refused."""
from datetime import timedelta

import pytest

from blended_xblocks.core.errors import Conflict
from blended_xblocks.webinar import seats
from blended_xblocks.webinar.models import WebinarRegistration as Reg


def places(session):
    """{username: status or waitlist position} as the roster shows them."""
    return {reg.learner.username: reg.waitlist_position or reg.status
            for reg in Reg.objects.filter(session=session).select_related("learner")}


def register_all(session, now, people):
    return [seats.register(session.pk, person, "en", now) for person in people]


def test_registration_closes_at_the_earlier_of_its_deadline_and_the_start(session, now):
    assert seats.registration_deadline(session) == session.start
    session.registration_closes = session.start - timedelta(days=1)
    assert seats.registration_deadline(session) == session.registration_closes
    assert seats.registration_open(session, session.registration_closes - timedelta(seconds=1))
    assert not seats.registration_open(session, session.registration_closes)
    session.start = session.registration_closes = None
    assert seats.registration_deadline(session) is None
    assert seats.registration_open(session, now)


def test_the_first_learners_get_the_seats_and_the_next_ones_queue_in_order(session, now, learners):
    amina, yusuf, fatou, sara = learners("amina", "yusuf", "fatou", "sara")
    answers = register_all(session, now, [amina, yusuf, fatou, sara])
    assert [answer.status for answer in answers] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [answer.seats_taken for answer in answers] == [1, 2, 2, 2]
    assert places(session) == {"amina": "registered", "yusuf": "registered", "fatou": 1, "sara": 2}
    assert seats.seats_left(session) == 0


def test_registering_again_changes_only_the_language(session, now, learners):
    amina, yusuf, fatou = learners("amina", "yusuf", "fatou")
    register_all(session, now, [amina, yusuf, fatou])
    again = seats.register(session.pk, fatou, "ar", now)
    assert (again.status, again.waitlist_position, again.language) == ("waitlisted", 1, "ar")
    assert Reg.objects.filter(session=session).count() == 3


def test_a_full_session_without_waitlist_and_a_closed_one_refuse(session, now, learners):
    amina, yusuf, fatou = learners("amina", "yusuf", "fatou")
    session.waitlist = False
    session.save()
    register_all(session, now, [amina, yusuf])
    with pytest.raises(Conflict) as full:
        seats.register(session.pk, fatou, "en", now)
    assert full.value.code == "session_full"
    with pytest.raises(Conflict) as closed:
        seats.register(session.pk, fatou, "en", session.start)
    assert closed.value.code == "registration_closed"
    assert not Reg.objects.filter(learner=fatou).exists()


def test_unlimited_sessions_have_no_seat_count_and_never_queue(session, now, learners):
    session.capacity = 0
    session.save()
    answers = register_all(session, now, learners("a", "b", "c"))
    assert {answer.status for answer in answers} == {"registered"}
    assert seats.seats_left(session) is None


def test_seats_left_is_never_negative_after_the_author_lowers_the_capacity(session, now, learners):
    register_all(session, now, learners("amina", "yusuf"))
    session.capacity = 1
    assert seats.seats_left(session) == 0


def test_a_freed_seat_goes_to_the_first_in_the_queue_who_is_told_after_commit(
        session, now, learners, django_capture_on_commit_callbacks):
    amina, yusuf, fatou, sara = learners("amina", "yusuf", "fatou", "sara")
    register_all(session, now, [amina, yusuf, fatou, sara])
    told = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seats.cancel(session.pk, amina, now, on_promoted=told.append)
    assert len(callbacks) == 1
    assert places(session) == {"amina": "cancelled", "yusuf": "registered", "fatou": "registered", "sara": 1}
    promoted = Reg.objects.get(learner=fatou)
    assert told == [[promoted.pk]]
    assert (promoted.promoted_at, promoted.promotion_unseen) == (now, True)


def test_leaving_the_waitlist_moves_everyone_behind_up_and_promotes_nobody(
        session, now, learners, django_capture_on_commit_callbacks):
    people = learners("amina", "yusuf", "fatou", "sara", "omar")
    register_all(session, now, people)
    told = []
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(session.pk, people[2], now, on_promoted=told.append)
    assert places(session) == {"amina": "registered", "yusuf": "registered", "fatou": "cancelled",
                               "sara": 1, "omar": 2}
    assert told == []


def test_gaps_in_old_positions_are_closed_in_queue_order(session, now, learners):
    people = learners("amina", "yusuf", "fatou", "sara", "omar")
    register_all(session, now, people)
    Reg.objects.filter(learner=people[3]).update(waitlist_position=5)
    Reg.objects.filter(learner=people[4]).update(waitlist_position=9)
    seats.cancel(session.pk, people[2], now)
    assert places(session)["sara"] == 1 and places(session)["omar"] == 2


def test_a_learner_who_comes_back_queues_behind_everyone_already_waiting(session, now, learners):
    amina, yusuf, fatou, sara = learners("amina", "yusuf", "fatou", "sara")
    register_all(session, now, [amina, yusuf, fatou, sara])
    seats.cancel(session.pk, fatou, now)
    back = seats.register(session.pk, fatou, "en", now)
    assert (back.status, back.waitlist_position) == ("waitlisted", 2)
    assert places(session)["sara"] == 1


def test_nobody_cancels_twice_or_once_the_session_has_started(session, now, learners):
    amina, yusuf = learners("amina", "yusuf")
    register_all(session, now, [amina])
    with pytest.raises(Conflict) as started:
        seats.cancel(session.pk, amina, session.start)
    assert started.value.code == "session_started"
    seats.cancel(session.pk, amina, now)
    with pytest.raises(Conflict) as twice:
        seats.cancel(session.pk, amina, now)
    assert twice.value.code == "not_registered"
    with pytest.raises(Conflict) as never:
        seats.cancel(session.pk, yusuf, now)
    assert never.value.code == "not_registered"


def test_raising_the_capacity_lets_the_queue_in_first_come_first(session, now, learners,
                                                                  django_capture_on_commit_callbacks):
    register_all(session, now, learners("amina", "yusuf", "fatou", "sara", "omar"))
    session.capacity = 4
    session.save()
    told = []
    with django_capture_on_commit_callbacks(execute=True):
        promoted = seats.refill_after_change(session.pk, on_promoted=told.append)
    assert [reg.learner.username for reg in promoted] == ["fatou", "sara"]
    assert places(session) == {"amina": "registered", "yusuf": "registered", "fatou": "registered",
                               "sara": "registered", "omar": 1}
    assert told == [[reg.pk for reg in promoted]]
