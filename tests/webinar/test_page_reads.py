"""What a learner's page of webinars reads in one query (webinar/page.py): the sessions, their seats
taken and the learner's own registrations, each exactly as the ORM reads it, on every database."""
from datetime import timedelta

from blended_xblocks.webinar import page
from blended_xblocks.webinar.models import WebinarRegistration as Reg
from blended_xblocks.webinar.models import WebinarSession


def test_the_learners_registration_comes_with_the_sessions_as_the_orm_reads_it(session, now, learners):
    amina, yusuf, fatou = learners("amina", "yusuf", "fatou")
    other = WebinarSession.objects.create(course_key=session.course_key, usage_key=session.usage_key + "-2",
                                          url_name="kmh4", title="Webinar 4", start=session.start,
                                          end=session.end, timezone="Africa/Dakar", capacity=0)
    Reg.objects.create(session=session, learner=yusuf)
    Reg.objects.create(session=session, learner=fatou, status=Reg.CANCELLED)
    mine = Reg.objects.create(  # every kind of column: text, dates, a flag, numbers, a position
        session=session, learner=amina, status=Reg.WAITLISTED, waitlist_position=2, language="ar",
        attendance=Reg.LATE, checked_in_at=now, checkin_failures=1, promoted_at=now - timedelta(hours=1),
        promotion_unseen=True, score_earned=1.0, score_possible=2.0, score_version=3)

    found = page.sessions([session.usage_key, other.usage_key, "no-such-block"], amina)

    assert set(found) == {session.usage_key, other.usage_key}
    assert found[session.usage_key].seats_taken == 1 and found[other.usage_key].seats_taken == 0
    assert found[other.usage_key].learner_registration is None
    read = found[session.usage_key].learner_registration
    fields = [field.attname for field in Reg._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(Reg.objects.get(pk=mine.pk), name) for name in fields]
    assert read.learner is amina and read.promotion_unseen is True and read.checked_in_at == now
    assert read._state.adding is False  # a stored row: saving it updates, never inserts
    assert not hasattr(found[session.usage_key], "joined_status")  # the row is a session, not a mix of both
    again = page.sessions([session.usage_key, other.usage_key, "no-such-block"], yusuf)  # the same shape, another learner
    assert again[session.usage_key].learner_registration.status == Reg.REGISTERED
    assert again[session.usage_key].learner_registration.learner is yusuf


def _columns(model, row):
    return [getattr(row, field.attname) for field in model._meta.concrete_fields]


def test_the_learners_row_comes_with_the_sessions_as_the_orm_reads_both(session, now, learners):
    """A learner's page of webinars reads the learner's row with the sessions (`learner_with_sessions`,
    `current_learner`'s read): the same rows as the learner's read and `sessions()` read apart."""
    from blended_xblocks.platform.models import Learner

    amina, yusuf = learners("amina", "yusuf")
    Learner.objects.filter(pk=amina.pk).update(user_id=7, email="amina@example.org", full_name="Amina Diallo")
    other = WebinarSession.objects.create(course_key=session.course_key, usage_key=session.usage_key + "-2",
                                          url_name="kmh4", title="Webinar 4", start=session.start,
                                          end=session.end, timezone="Africa/Dakar", capacity=0)
    Reg.objects.create(session=session, learner=yusuf)
    Reg.objects.create(session=session, learner=amina, status=Reg.WAITLISTED, waitlist_position=1, language="ar")
    keys = [session.usage_key, other.usage_key, "no-such-block"]

    def read(learner):
        return page.learner_with_sessions(keys, using=None, course_key=learner.course_key,
                                          anonymous_user_id=learner.anonymous_user_id)

    carried = {f"{prefix}_{field.attname}" for prefix, model in (("learner", Learner), ("joined", Reg))
               for field in model._meta.concrete_fields}
    learner, found = read(amina)
    stored = Learner.objects.get(pk=amina.pk)
    assert _columns(Learner, learner) == _columns(Learner, stored) and learner._state.adding is False
    assert not set(vars(learner)) & carried
    apart = page.sessions(keys, stored)
    assert set(found) == set(apart) == {session.usage_key, other.usage_key}
    for key, row in found.items():
        assert _columns(WebinarSession, row) == _columns(WebinarSession, apart[key])
        assert row.seats_taken == apart[key].seats_taken
        mine, theirs = row.learner_registration, apart[key].learner_registration
        assert (mine and _columns(Reg, mine)) == (theirs and _columns(Reg, theirs))
        assert not set(vars(row)) & carried  # a session's row, nothing of the learner's left on it
    assert found[session.usage_key].learner_registration.learner is learner
    assert found[session.usage_key].seats_taken == 1  # Yusuf's seat; Amina waits

    learner, found = read(yusuf)  # the same shape for another learner
    assert learner.pk == yusuf.pk and found[session.usage_key].learner_registration.status == Reg.REGISTERED
    learner, found = read(Learner(course_key=session.course_key, anonymous_user_id="new"))  # no row yet
    assert learner is None and found[session.usage_key].learner_registration is None
    assert found[session.usage_key].seats_taken == 1
    assert page.learner_with_sessions(["no-such-block"], using=None, course_key=session.course_key,
                                      anonymous_user_id=amina.anonymous_user_id) == (None, None)
