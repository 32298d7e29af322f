"""The supervisor's personal link: an unguessable, signed, expiring, single-purpose token.

The token signs {request id, random nonce} with Django's signing and a
salt naming this purpose and block, so it cannot be replayed on another block or re-used as any
other kind of token. Django's signing is not encryption, so the payload carries nothing about the
learner: the request id and the stored hash are what bind a link to one learner's request. The
request row stores only its SHA-256, so a database leak reveals no
working link and issuing a new link (resend, reminder, new supervisor) retires the old one.
"""
import hashlib
import secrets
from datetime import timedelta

from django.core import signing
from django.utils import timezone

PURPOSE = "blended_xblocks.supervisor_agreement.decide"
MAX_TOKEN_LENGTH = 600


class LinkError(Exception):
    """Why a link cannot be used: `invalid`, `expired`, `superseded` or `used`."""

    def __init__(self, kind, request=None):
        super().__init__(kind)
        self.kind = kind
        self.request = request


def _salt(usage_key: str) -> str:
    return f"{PURPOSE}:{usage_key}"


def issue(request_id: int, usage_key: str) -> str:
    payload = {"r": request_id, "n": secrets.token_urlsafe(16)}
    return signing.dumps(payload, salt=_salt(usage_key), compress=True)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read(token, usage_key: str) -> dict:
    """The signed payload, or LinkError('invalid') for anything forged, tampered or malformed."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("invalid")
    try:
        payload = signing.loads(token, salt=_salt(usage_key))
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as error:
        raise LinkError("invalid") from error
    if not (isinstance(payload, dict) and isinstance(payload.get("r"), int) and isinstance(payload.get("n"), str)):
        raise LinkError("invalid")
    return payload


def check_age(token: str, usage_key: str, link_days: int):
    """LinkError('expired') once the link is older than the request's `link_days`."""
    try:
        signing.loads(token, salt=_salt(usage_key), max_age=timedelta(days=link_days))
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:  # pragma: no cover - read() already checked it
        raise LinkError("invalid") from error


def verify(token, usage_key: str, request_row_for) -> object:
    """The `SupervisorRequest` the token opens, or LinkError saying why not.

    `request_row_for(request_id)` returns the row (with agreement and learner) or None.
    """
    payload = read(token, usage_key)
    request = request_row_for(payload["r"])
    if request is None or request.agreement.usage_key != usage_key:
        raise LinkError("invalid")
    agreement = request.agreement
    if request.status in ("approved", "declined") or (
            agreement.current_request_id == request.pk and agreement.status in ("approved", "declined")):
        raise LinkError("used", request)  # answered here, or on paper while this link was open
    if request.status in ("superseded", "cancelled") or \
            not secrets.compare_digest(request.token_hash, token_hash(token)):
        raise LinkError("superseded", request)
    check_age(token, usage_key, request.link_days)
    if request.status == "expired" or request.expires_at <= timezone.now():
        raise LinkError("expired", request)
    return request
