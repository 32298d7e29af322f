"""What a learner sees of their programme: each requirement in words, what is left with a link,
the next live sessions, overall progress and the certificate's status."""
from __future__ import annotations

from blended_xblocks.core.times import iso
from blended_xblocks.progress.evaluation import ProgrammeStatus
from blended_xblocks.progress.requirements import N_
from blended_xblocks.webinar.api import upcoming_sessions

KIND_NAMES = {"completion": N_("Completion"), "score": N_("Score"), "attendance": N_("Attendance"),
              "assignment": N_("Assignment"), "approval": N_("Approval"), "participation": N_("Participation")}
NEXT_SESSIONS = 3


def requirement_text(translator, kind: str, done: int, needed: int) -> str:
    """"3 of 8 webinars attended": plural forms follow `needed` (extracted as plural msgids)."""
    n = needed
    if kind == "completion":
        text = translator.ngettext("{done} of {needed} module completed", "{done} of {needed} modules completed", n)
    elif kind == "score":
        text = translator.ngettext("{done} of {needed} test passed", "{done} of {needed} tests passed", n)
    elif kind == "attendance":
        text = translator.ngettext("{done} of {needed} webinar attended", "{done} of {needed} webinars attended", n)
    elif kind == "assignment":
        text = translator.ngettext("{done} of {needed} assignment passed", "{done} of {needed} assignments passed", n)
    elif kind == "approval":
        text = translator.ngettext("{done} of {needed} agreement received", "{done} of {needed} agreements received", n)
    else:
        text = translator.ngettext("{done} of {needed} discussion joined", "{done} of {needed} discussions joined", n)
    return text.format(done=min(done, needed), needed=needed)


def learner_state(*, translator, requirements, status: ProgrammeStatus, resolved: dict, link_for, titles_for,
                  certificate: dict, course_key: str, now) -> dict:
    """The learner's `get_state` answer. `resolved` maps "type/url_name" to a usage key ("" when
    the course no longer has the block); `link_for(usage_key)` is a URL to the block, or None;
    `titles_for(usage_keys)` gives {usage key: display name}, read once for every block left."""
    left_keys = [resolved.get(str(ref)) for outcome in status.requirements for ref in outcome.blocks_left]
    titles = titles_for([key for key in left_keys if key])
    rows = []
    attendance_keys = []
    for requirement, outcome in zip(requirements, status.requirements, strict=True):
        left = []
        for ref in outcome.blocks_left:
            usage_key = resolved.get(str(ref))
            left.append({"block": str(ref), "title": titles.get(usage_key) or str(ref),
                         "url": link_for(usage_key) if usage_key else None})
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
