"""Fixtures of the supervisor agreement's rule modules: a request row as `tokens.verify` reads it."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from blended_xblocks.supervisor_agreement.tokens import token_hash

USAGE = "block-v1:IOM+REINT+2022+type@blended_supervisor_agreement+block@agreement"


@pytest.fixture
def usage_key():
    return USAGE


@pytest.fixture
def request_row():
    """`request_row(token)`: Amina's pending request (id 7) whose current link is `token`, as the
    database would return it, its agreement pending too; change attributes to play other states."""
    def make(token, **changes):
        agreement = SimpleNamespace(usage_key=USAGE, current_request_id=7, status="pending")
        row = SimpleNamespace(pk=7, agreement=agreement, status="pending", token_hash=token_hash(token),
                              link_days=14, expires_at=timezone.now() + timedelta(days=14))
        for name, value in changes.items():
            setattr(row, name, value)
        return row
    return make
