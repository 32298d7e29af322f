"""The workbench side of the adapter: `?student=<id>` is the learner, ids in
`BLENDED_DEMO_STAFF` are course staff; completion is kept in a demo table; scores go through
edx-submissions exactly as in the LMS."""
from django.conf import settings

from blended_xblocks.platform import CurrentUser, OpenEdxPlatform

from .people import demo_user_id, full_name


class WorkbenchPlatform(OpenEdxPlatform):
    def current_user(self) -> CurrentUser:
        student = str(getattr(self.runtime, "user_id", None) or self.block.scope_ids.user_id or "")
        if not student or student == "none":
            return CurrentUser(anonymous_id=None)
        return CurrentUser(
            anonymous_id=student,
            user_id=demo_user_id(student),  # the account our own views see as request.user (middleware.py)
            username=student,
            email=f"{student}@learners.example.org",
            full_name=full_name(student),
            is_staff=student in settings.BLENDED_DEMO_STAFF,
        )

    def publish_own_grade(self, earned, possible):
        user = self.current_user()
        if user.is_authenticated:
            self.set_scores({user.anonymous_id: (earned, possible)})

    def complete_own(self, completion=1.0):
        user = self.current_user()
        if user.is_authenticated:
            self._record_completion([user.anonymous_id], completion)

    def complete_for(self, learners, completion=1.0):
        self._record_completion([learner.anonymous_user_id for learner in learners], completion)

    def _record_completion(self, anonymous_ids, completion):
        from .models import DemoCompletion

        for anonymous_id in anonymous_ids:
            DemoCompletion.objects.update_or_create(
                usage_key=self.usage_key(), anonymous_user_id=anonymous_id,
                defaults={"completion": completion})

    def handler_url(self, name, thirdparty=False, query=""):
        url = super().handler_url(name, thirdparty=thirdparty, query=query)
        return settings.BLENDED_DEMO_BASE_URL + url if thirdparty else url
