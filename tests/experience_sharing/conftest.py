"""Fixtures of experience sharing's rule modules: a board (what the block tells the rules), without the workbench."""
import pytest

from blended_xblocks.experience_sharing.posts import Board
from tests.harness import COURSE


@pytest.fixture
def board():
    """Experience sharing 1 as authored for the IOM training: post-moderation, three tags."""
    return Board(course_key=COURSE, usage_key="block-v1:IOM+REINT+2022+type@blended_experience_sharing+block@es1",
                 moderation="post", tags=("economic", "psychosocial", "community"), anonymous_allowed=True)

