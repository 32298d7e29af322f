"""Demo content: `<seed_registration>` children in OLX become registrations when the demo loads.

    <seed_registration learner="amina" language="ar" status="registered" attendance="present"/>

The workbench only loads OLX, so a finished webinar with attendance, or a live one with learners
ready to check in, must travel inside it. Seeds are applied once, when the session row is first
created, and only for the people the host's adapter names (`seed_person`): the LMS names nobody, so
a course imported into a real LMS never registers anyone.
"""
from __future__ import annotations

from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration as Reg

MAX_SEEDS = 100


def parse_seeds(node) -> list:
    seeds = []
    for child in node.findall("seed_registration")[:MAX_SEEDS]:
        status = child.get("status", Reg.REGISTERED)
        attendance = child.get("attendance", Reg.UNMARKED)
        if child.get("learner") and status in Reg.STATUSES and attendance in Reg.ATTENDANCE:
            seeds.append({"learner": child.get("learner")[:64], "status": status, "attendance": attendance,
                          "language": child.get("language", "")[:16]})
    return seeds


def apply_seeds(session, seeds, platform) -> int:
    """Register the seeded learners the host names (`platform.seed_person`; waitlisted ones in the
    order given); returns how many."""
    people = [(seed, platform.seed_person(seed["learner"])) for seed in seeds or []]
    people = [(seed, user) for seed, user in people if user is not None]
    position = 0
    for seed, user in people:
        learner = Learner.objects.record(session.course_key, user)
        waitlisted = seed["status"] == Reg.WAITLISTED
        position += 1 if waitlisted else 0
        Reg.objects.get_or_create(session=session, learner=learner, defaults={
            "status": seed["status"], "attendance": seed["attendance"], "language": seed["language"],
            "waitlist_position": position if waitlisted else None})
    return len(people)
