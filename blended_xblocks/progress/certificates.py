"""Programme certificates: issued once when the programme is met, verified by an unguessable
code, revoked by staff with a reason (the verify page then says so)."""
from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from blended_xblocks.core.prepared import PreparedQuery
from blended_xblocks.platform.models import Learner
from blended_xblocks.progress.models import ProgrammeCertificate, ProgrammeDefinition

CODE_BYTES = 16  # 128 bits: a code cannot be guessed


def new_code() -> str:
    return secrets.token_hex(CODE_BYTES)


def certificate_of(usage_key: str, learner) -> ProgrammeCertificate | None:
    return _CERTIFICATE.first(usage_key=usage_key, learner_id=learner.pk)


_CERTIFICATE = PreparedQuery(lambda usage_key, learner_id: ProgrammeCertificate.objects.filter(
    usage_key=usage_key, learner_id=learner_id).order_by("pk")[:1])


def definition_of(usage_key: str, learner=None):
    """The programme's published row, or None before it is first published. With a `learner`, the row
    carries `learner_certificate`, the id of their certificate or None, read in the same query, so
    that the page of a learner without one reads nothing more."""
    if learner is not None:
        return _DEFINITION_WITH_CERTIFICATE.first(usage_key=usage_key, learner_id=learner.pk)
    return _DEFINITION.first(usage_key=usage_key)


_DEFINITION = PreparedQuery(lambda usage_key: ProgrammeDefinition.objects.filter(usage_key=usage_key).order_by("pk")[:1])
_DEFINITION_WITH_CERTIFICATE = PreparedQuery(lambda usage_key, learner_id: ProgrammeDefinition.objects.filter(
    usage_key=usage_key).annotate(learner_certificate=Subquery(ProgrammeCertificate.objects.filter(
        usage_key=OuterRef("usage_key"), learner_id=learner_id).values("pk")[:1])).order_by("pk")[:1])


def issue(course_key: str, usage_key: str, learner, full_name: str, now) -> tuple[ProgrammeCertificate, bool]:
    """The learner's certificate, created if it does not exist yet: (certificate, newly issued).
    Two requests at once (two tabs) issue one certificate."""
    existing = certificate_of(usage_key, learner)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            # Tabs wait for each other on the learner's row, then the later one finds the certificate:
            # two inserts racing on the unique index could deadlock on MariaDB (a 500 for one tab).
            Learner.objects.lock(learner)
            existing = certificate_of(usage_key, learner)
            if existing is not None:
                return existing, False
            return ProgrammeCertificate.objects.create(
                course_key=course_key, usage_key=usage_key, learner=learner, code=new_code(),
                full_name=(full_name or learner.full_name or learner.username)[:255], issued_at=now), True
    except IntegrityError:
        return certificate_of(usage_key, learner), False


def revoke(certificate: ProgrammeCertificate, reason: str, staff_username: str, now) -> bool:
    """Revoke once; revoking a revoked certificate changes nothing (False)."""
    changed = (ProgrammeCertificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True)
               .update(revoked_at=now, revoked_reason=reason[:500], revoked_by=staff_username[:150]))
    return bool(changed)


def find_by_code(code: str) -> ProgrammeCertificate | None:
    if not isinstance(code, str) or len(code) != CODE_BYTES * 2 or not all(c in "0123456789abcdef" for c in code):
        return None
    return ProgrammeCertificate.objects.filter(code=code).first()


def forget_names(learners):
    """A retired learner's name leaves their certificates; the verify page then shows no name."""
    ProgrammeCertificate.objects.filter(learner__in=learners).update(full_name="")
