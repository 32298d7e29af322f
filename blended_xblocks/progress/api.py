"""What the wiring may ask of the programme block, without a runtime: certificates for learners who
met a programme while away (the periodic command, an outcome change), and its retirement hook; and
what a host may ask of a programme block it has loaded (`certify_if_met`, the demo's prepared stages)."""
from __future__ import annotations

from django.utils import timezone

from blended_xblocks.platform import retirement
from blended_xblocks.platform.adapter import outcome_reader, platform_for_keys
from blended_xblocks.progress import awards, certificates
from blended_xblocks.progress.awards import BLOCK_TYPE, issue_due_certificates
from blended_xblocks.progress.models import ProgrammeDefinition
from blended_xblocks.progress.receivers import award_certificates

__all__ = ["award_certificates", "certify_if_met", "issue_certificates"]


def issue_certificates(course_key: str | None = None, now=None) -> int:
    """Issue the certificates every programme (of one course, or everywhere) owes; how many."""
    definitions = ProgrammeDefinition.objects.all()
    if course_key:
        definitions = definitions.filter(course_key=course_key)
    now, reader, issued = now or timezone.now(), outcome_reader(), 0
    for definition in definitions.order_by("pk"):
        platform = platform_for_keys(definition.course_key, definition.usage_key, BLOCK_TYPE)
        issued += issue_due_certificates(definition, reader, platform, now)
    return issued


def certify_if_met(block, learner, full_name: str, now) -> bool:
    """Issue the learner's certificate of `block`'s programme when they meet every requirement, as
    the block does when it sees them meet it; True when they hold one now."""
    definition = block.programme_definition()
    if not block.judge_learner(definition, learner).met:
        return False
    awards.award(block.platform, definition, learner, full_name, now)
    return True


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
retirement.on_retirement(certificates.forget_names)
