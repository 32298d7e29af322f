"""Demo content: `<seed_registration>` children in OLX become registrations when the demo loads.

    <seed_registration learner="amina" language="ar" status="registered" attendance="present"/>

The workbench only loads OLX, so a finished webinar with attendance, or a live one with learners
ready to check in, must travel inside it. Seeds are applied once, when the session row is first
created, and only when seeding is on (`BLENDED_DEMO_SEED`, on by default exactly when the demo
workbench adapter is configured): a course imported into a real LMS never registers anyone.
"""
from __future__ import annotations

from blended_xblocks.platform.adapter import CurrentUser, demo_seeding_enabled
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


def apply_seeds(session, seeds) -> int:
    """Register the seeded learners (waitlisted ones in the order given); returns how many."""
    if not seeds or not demo_seeding_enabled():
        return 0
    from blended_xblocks.demo.people import full_name

    position = 0
    for seed in seeds:
        user = CurrentUser(anonymous_id=seed["learner"], username=seed["learner"],
                           email=f"{seed['learner']}@learners.example.org", full_name=full_name(seed["learner"]))
        learner = Learner.objects.record(session.course_key, user)
        waitlisted = seed["status"] == Reg.WAITLISTED
        position += 1 if waitlisted else 0
        Reg.objects.get_or_create(session=session, learner=learner, defaults={
            "status": seed["status"], "attendance": seed["attendance"], "language": seed["language"],
            "waitlist_position": position if waitlisted else None})
    return len(seeds)
