"""Programme certificates and their release (progress/certificates.py, progress/release.py), called
directly: issued once, found by their code only, revoked once, released never early."""
from datetime import UTC, datetime

import pytest

from blended_xblocks.platform.models import Learner
from blended_xblocks.progress import certificates
from blended_xblocks.progress.release import release_moment, zone_name
from tests.harness import COURSE

PROGRAMME = "block-v1:IOM+REINT+2022+type@blended_progress+block@programme"
NOW = datetime(2022, 7, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def amina(db):
    return Learner.objects.create(course_key=COURSE, anonymous_user_id="anon-amina", username="amina",
                                  full_name="Amina Diallo")


def test_a_certificate_is_issued_once_in_the_learners_name(amina):
    first, new = certificates.issue(COURSE, PROGRAMME, amina, "", NOW)
    again, new_again = certificates.issue(COURSE, PROGRAMME, amina, "Someone Else", NOW)
    assert (new, new_again) == (True, False)
    assert again.pk == first.pk and again.full_name == "Amina Diallo"
    assert len(first.code) == 32 and first.code != certificates.new_code()


def test_the_verify_page_finds_a_certificate_by_its_exact_code_only(amina):
    certificate, _ = certificates.issue(COURSE, PROGRAMME, amina, "Amina Diallo", NOW)
    assert certificates.find_by_code(certificate.code).pk == certificate.pk
    for junk in (certificate.code.upper(), certificate.code[:-1], certificate.code + "0", None, 42, "' OR 1=1 --"):
        assert certificates.find_by_code(junk) is None
    assert certificates.find_by_code("0" * 32) is None


def test_revoking_keeps_the_first_reason(amina):
    certificate, _ = certificates.issue(COURSE, PROGRAMME, amina, "Amina Diallo", NOW)
    assert certificates.revoke(certificate, "Attendance was recorded by mistake", "instructor", NOW)
    assert not certificates.revoke(certificate, "Second thoughts", "other", NOW)
    certificate.refresh_from_db()
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Attendance was recorded by mistake", "instructor")


@pytest.mark.parametrize("release, zone, expected", [
    ("", "Europe/Geneva", (None, True)),  # at once
    ("2022-06-30T18:00", "Europe/Geneva", (datetime(2022, 6, 30, 16, 0, tzinfo=UTC), True)),
    ("2022-06-30T18:00", "Africa/Dakar", (datetime(2022, 6, 30, 18, 0, tzinfo=UTC), True)),
    ("30/06/2022", "Europe/Geneva", (None, False)),
    ("2022-03-27T02:30", "Europe/Geneva", (None, False)),  # the hour clocks skip
    ("2022-06-30T18:00", "Mars/Olympus", (None, False)),
])
def test_certificates_are_released_in_the_organisers_time_and_never_early_when_unreadable(release, zone, expected):
    assert release_moment(release, zone) == expected


def test_zone_names_authors_write_are_understood():
    assert zone_name("Europe/Geneva") == "Europe/Zurich"
    assert zone_name("") == "UTC" and zone_name("Mars/Olympus") is None
