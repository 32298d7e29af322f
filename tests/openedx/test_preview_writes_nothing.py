"""Previews are for looking: nothing an author or staff member does in a preview reaches learners."""
import pytest
from django.core import mail
from xblock.core import XBlock

from blended_xblocks.platform.models import Learner
from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import handler_names as handlers
from tests.openedx.blocks import BLOCKS

PREVIEWS = ["studio_preview", "lms_draft_preview"]


def live_tables():
    """Registrations, sessions, mails and learners, as learners and their inboxes would see them."""
    return {
        "registrations": list(WebinarRegistration.objects.order_by("pk").values()),
        "sessions": list(WebinarSession.objects.order_by("pk").values()),
        "mails": [(message.to, message.subject) for message in mail.outbox],
        "learners": list(Learner.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("preview", PREVIEWS)
def test_webinar_previews_write_nothing(openedx, preview):
    """The webinar's Studio preview and LMS draft preview write nothing: registrations, sessions,
    mails and learners tables are identical before and after rendering and calling handlers there."""
    key = openedx.import_olx(BLOCKS["blended_webinar"])
    openedx.lms(openedx.person("amina", "Amina Diallo")).call(key, "register", {"language": "en"})
    author = openedx.person("instructor", "Joy Paone")
    place = openedx.studio_preview(author) if preview == "studio_preview" else openedx.lms_draft_preview(author)
    before = live_tables()
    place.render(key)
    for name in handlers("blended_webinar"):
        place.call(key, name, {})
        place.call(key, name, method="GET")
    place.call(key, "register", {"language": "en"})
    place.call(key, "cancel", {})
    assert live_tables() == before


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_studio_preview_shows_the_author_view(openedx, block_type):
    """Without `has_author_view`, Studio previews the learner view with draft fields."""
    assert getattr(XBlock.load_class(block_type), "has_author_view", False)
    key = openedx.import_olx(BLOCKS[block_type])
    place = openedx.studio_preview(openedx.person("instructor"))
    assert place.preview_view(place.load(key)) == "author_view"
    assert "<div" in place.render(key)
