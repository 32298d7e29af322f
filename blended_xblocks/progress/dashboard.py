"""What a learner sees of their programme: each requirement in words, what is left with a link,
the next live sessions, overall progress and the certificate's status."""
from __future__ import annotations

from ..webinar_api import upcoming_sessions
from ..webinar_time import iso
from .evaluation import ProgrammeStatus
from .requirements import N_

# kind → (singular, plural) of "{done} of {needed} … done"; ngettext picks by `needed`.
PROGRESS_TEXT = {
    "completion": (N_("{done} of {needed} module completed"), N_("{done} of {needed} modules completed")),
    "score": (N_("{done} of {needed} test passed"), N_("{done} of {needed} tests passed")),
    "attendance": (N_("{done} of {needed} webinar attended"), N_("{done} of {needed} webinars attended")),
    "assignment": (N_("{done} of {needed} assignment passed"), N_("{done} of {needed} assignments passed")),
    "approval": (N_("{done} of {needed} agreement received"), N_("{done} of {needed} agreements received")),
    "participation": (N_("{done} of {needed} discussion joined"), N_("{done} of {needed} discussions joined")),
}
KIND_NAMES = {"completion": N_("Completion"), "score": N_("Score"), "attendance": N_("Attendance"),
              "assignment": N_("Assignment"), "approval": N_("Approval"), "participation": N_("Participation")}
NEXT_SESSIONS = 3


def requirement_text(translator, kind: str, done: int, needed: int) -> str:
    singular, plural = PROGRESS_TEXT[kind]
    return translator.ngettext(singular, plural, needed).format(done=min(done, needed), needed=needed)


def learner_state(*, translator, requirements, status: ProgrammeStatus, resolved: dict, link_for,
                  certificate: dict, course_key: str, now) -> dict:
    """The learner's `get_state` answer. `resolved` maps "type/url_name" to a usage key ("" when
    the course no longer has the block); `link_for(usage_key)` is a URL to the block, or None."""
    rows = []
    attendance_keys = []
    for requirement, outcome in zip(requirements, status.requirements, strict=True):
        left = []
        for ref in outcome.blocks_left:
            usage_key = resolved.get(str(ref))
            left.append({"block": str(ref), "url": link_for(usage_key) if usage_key else None})
        if requirement.kind == "attendance":
            attendance_keys += [resolved[str(ref)] for ref in requirement.blocks if resolved.get(str(ref))]
        rows.append({"id": requirement.id, "label": requirement.label, "kind": requirement.kind,
                     "met": outcome.met, "done": outcome.done, "needed": outcome.needed, "at_risk": outcome.at_risk,
                     "text": requirement_text(translator, requirement.kind, outcome.done, outcome.needed),
                     "left": left})
    sessions = [{"title": session.title, "start": iso(session.start), "end": iso(session.end),
                 "timezone": session.timezone, "url": link_for(session.usage_key)}
                for session in upcoming_sessions(course_key, attendance_keys, now, NEXT_SESSIONS)]
    return {"requirements": rows, "met": status.met, "at_risk": status.at_risk,
            "progress": round(status.share_done, 4), "next_sessions": sessions, "certificate": certificate}
