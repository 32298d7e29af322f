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
