"""What a host may ask of a programme block it has loaded (the demo's prepared stages use it)."""
from __future__ import annotations

from blended_xblocks.progress import awards


def certify_if_met(block, learner, full_name: str, now) -> bool:
    """Issue the learner's certificate of `block`'s programme when they meet every requirement, as
    the block does when it sees them meet it; True when they hold one now."""
    definition = block.programme_definition()
    if not block.judge_learner(definition, learner).met:
        return False
    awards.award(block.platform, definition, learner, full_name, now)
    return True
