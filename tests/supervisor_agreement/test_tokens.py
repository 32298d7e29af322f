"""The supervisor's personal link (supervisor_agreement/tokens.py), called directly: it opens one
request on one block, until it is used, replaced or too old, and says which."""
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from blended_xblocks.supervisor_agreement import tokens
from blended_xblocks.supervisor_agreement.tokens import LinkError


def refused(token, usage_key, row):
    with pytest.raises(LinkError) as error:
        tokens.verify(token, usage_key, lambda request_id: row if row and request_id == row.pk else None)
    return error.value.kind


def test_a_fresh_link_opens_its_request(usage_key, request_row):
    token = tokens.issue(7, usage_key)
    row = request_row(token)
    assert tokens.verify(token, usage_key, {7: row}.get) is row
    assert tokens.read(token, usage_key)["r"] == 7


def test_every_link_is_new_and_the_database_keeps_only_its_hash(usage_key):
    first, second = tokens.issue(7, usage_key), tokens.issue(7, usage_key)
    assert first != second
    assert len(tokens.token_hash(first)) == 64 and first not in tokens.token_hash(first)


@pytest.mark.parametrize("token", ["", None, 42, "x" * 601, "not-a-signed-value", "a:b:c"])
def test_junk_is_an_invalid_link(usage_key, request_row, token):
    assert refused(token, usage_key, request_row("whatever")) == "invalid"


def test_a_tampered_link_or_one_from_another_block_is_invalid(usage_key, request_row):
    token = tokens.issue(7, usage_key)
    row = request_row(token)
    assert refused(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), usage_key, row) == "invalid"
    assert refused(token, usage_key.replace("agreement", "other"), row) == "invalid"
    assert refused(tokens.issue(8, usage_key), usage_key, row) == "invalid"  # no such request


def test_a_token_signed_for_another_purpose_is_invalid(usage_key, request_row):
    other = signing.dumps({"r": 7, "n": "x"}, salt="blended_xblocks.something_else")
    assert refused(other, usage_key, request_row(other)) == "invalid"


def test_a_link_replaced_by_a_newer_one_or_a_cancelled_request_says_so(usage_key, request_row):
    old, new = tokens.issue(7, usage_key), tokens.issue(7, usage_key)
    assert refused(old, usage_key, request_row(new)) == "superseded"
    assert refused(new, usage_key, request_row(new, status="cancelled")) == "superseded"


def test_a_link_already_answered_here_or_on_paper_is_used(usage_key, request_row):
    token = tokens.issue(7, usage_key)
    assert refused(token, usage_key, request_row(token, status="approved")) == "used"
    on_paper = request_row(token)
    on_paper.agreement.status = "declined"
    assert refused(token, usage_key, on_paper) == "used"


def test_a_link_expires_with_its_request_or_after_link_days(usage_key, request_row, monkeypatch):
    token = tokens.issue(7, usage_key)
    assert refused(token, usage_key, request_row(token, status="expired")) == "expired"
    assert refused(token, usage_key, request_row(token, expires_at=timezone.now() - timedelta(seconds=1))) == "expired"
    later = time.time() + 15 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert refused(token, usage_key, request_row(token, expires_at=timezone.now() + timedelta(days=30))) == "expired"


def test_the_refusal_carries_the_request_so_the_page_can_name_it(usage_key, request_row):
    token = tokens.issue(7, usage_key)
    row = request_row(token, status="approved")
    with pytest.raises(LinkError) as error:
        tokens.verify(token, usage_key, {7: row}.get)
    assert error.value.request is row
