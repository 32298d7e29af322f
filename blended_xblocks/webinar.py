"""`blended_webinar`: one live-session slot (skeleton; see issue 2 for the full block)."""
from xblock.core import XBlock
from xblock.fields import Scope, String

from .handlers import json_handler
from .mixins import BlendedBlockMixin

_ = lambda text: text  # noqa: E731  (marked for extraction; Studio translates field labels)


class WebinarBlock(BlendedBlockMixin, XBlock):
    i18n_domain = "webinar"

    display_name = String(display_name=_("Display name"), default=_("Webinar"), scope=Scope.settings)

    def student_view(self, context=None):
        return self.build_fragment("blended_xblocks/webinar/student.html", {"block": self},
                                   js="webinar/webinar.js", css="webinar/webinar.css",
                                   init_fn="BlendedWebinar", init_args={})

    @json_handler()
    def get_state(self, data):
        self.require_learner()
        return {"registration": "none"}
