"""The demo's people: names (the IOM training's 20 practitioners, invented), who is course staff, and
the Django account behind each `?student=` identity."""
import hashlib

from django.conf import settings

PEOPLE = {
    "amina": "Amina Diallo",
    "yusuf": "Yusuf Abdi",
    "fatou": "Fatou Ndiaye",
    "omar": "Omar Haddad",
    "leila": "Leila Mansour",
    "kwame": "Kwame Mensah",
    "sara": "Sara Tesfaye",
    "ibrahim": "Ibrahim Sow",
    "instructor": "Joy Paone (instructor)",
    "staff": "Sophie Crozet (staff)",
}


def seeding_on() -> bool:
    """Whether the demo writes its example content (OLX seed elements, the programme's stages):
    `BLENDED_DEMO_SEED`, on unless set false."""
    return bool(getattr(settings, "BLENDED_DEMO_SEED", True))


def person(student_id: str):
    """The demo person behind a `?student=` name, as the demo's user service gives them to the blocks
    (anonymous id = username = the name, the account's number, a name to show, an e-mail)."""
    from blended_xblocks.platform.adapter import CurrentUser

    return CurrentUser(anonymous_id=student_id, user_id=demo_user_id(student_id), username=student_id,
                       email=f"{student_id}@learners.example.org", full_name=full_name(student_id))


def full_name(student_id: str) -> str:
    return PEOPLE.get(student_id, student_id.replace("_", " ").title())


def is_course_staff(student_id: str) -> bool:
    """The demo's course staff (and Studio authors): `BLENDED_DEMO_STAFF`."""
    return student_id in settings.BLENDED_DEMO_STAFF


def demo_user_id(student_id: str) -> int:
    """The id of the Django account behind a demo identity, derived from the name so that the blocks
    know it without a query (the LMS gives them the account id); 1,000,000,000 and up, out of the way
    of accounts made otherwise."""
    digest = hashlib.sha256(student_id.encode("utf-8")).digest()
    return 1_000_000_000 + int.from_bytes(digest[:8], "big") % 1_000_000_000


def demo_user(student_id: str):
    """The Django account behind a demo identity (`request.user` in our own views), made on first use."""
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    user_id = demo_user_id(student_id)
    accounts = get_user_model().objects
    fields = {"first_name": full_name(student_id)[:150], "email": f"{student_id}@learners.example.org"[:254]}
    try:
        with transaction.atomic():
            return accounts.get_or_create(pk=user_id, defaults={"username": student_id[:150], **fields})[0]
    except IntegrityError:  # the name belongs to an account made otherwise (createsuperuser)
        return accounts.get_or_create(pk=user_id, defaults={"username": f"{student_id[:130]}-{user_id}", **fields})[0]
