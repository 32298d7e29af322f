"""The only module that talks to the host platform.

Blocks ask `block.platform` for the current user, scores, completion, teams, settings, mail and
URLs, and never care whether they run in the LMS, in Studio preview or in the demo workbench.
`OpenEdxPlatform` reads the XBlock services edx-platform provides (see OPENEDX.md). The demo runs
it too, with LMS-shaped services in its workbench runtime (`blended_xblocks.demo.services`); its
`WorkbenchPlatform` (Django setting `BLENDED_XBLOCKS_PLATFORM`) differs only in recording others'
completion by anonymous id (docs/decisions/0004). Services Studio lacks (completion, teams) are optional.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

SETTINGS_BUCKET = "BlendedXBlocks"
DEFAULT_PLATFORM = "blended_xblocks.platform.OpenEdxPlatform"
STUDIO_PREVIEW_ANONYMOUS_ID = "student"  # what Studio preview's user service gives every author


@dataclass(frozen=True)
class CurrentUser:
    """Who is making the request, as far as the blocks need to know."""

    anonymous_id: str | None
    user_id: int | None = None
    username: str = ""
    email: str = ""
    full_name: str = ""
    is_staff: bool = False
    time_zone: str = ""

    @property
    def is_authenticated(self):
        return bool(self.anonymous_id)


@dataclass(frozen=True)
class CourseBlock:
    """A block of the course as an author names it in OLX (`type/url_name`), with its title."""

    block_type: str
    url_name: str
    title: str = ""


@dataclass(frozen=True)
class TeamInfo:
    """A team from the Open edX teams service, reduced to what group work needs."""

    team_id: str
    name: str
    member_anonymous_ids: tuple


def demo_seeding_enabled() -> bool:
    """Whether OLX seed elements (demo registrations, posts) may write to the database.

    Only the demo host seeds; importing the same OLX into a real LMS creates nothing.
    """
    explicit = getattr(settings, "BLENDED_DEMO_SEED", None)
    if explicit is not None:
        return bool(explicit)
    return getattr(settings, "BLENDED_XBLOCKS_PLATFORM", DEFAULT_PLATFORM) != DEFAULT_PLATFORM


def platform_for(block):
    """The adapter configured for this deployment, bound to `block`."""
    path = getattr(settings, "BLENDED_XBLOCKS_PLATFORM", DEFAULT_PLATFORM)
    return import_string(path)(block)


def platform_for_keys(course_key: str, usage_key: str, block_type: str):
    """The configured adapter for work done outside a request (a Celery task, a management
    command): there is no block, so only scores and completion for other learners are available."""
    path = getattr(settings, "BLENDED_XBLOCKS_PLATFORM", DEFAULT_PLATFORM)
    return import_string(path).detached(course_key, usage_key, block_type)


class OpenEdxPlatform:
    """Adapter for the LMS and Studio: every call goes through an XBlock service."""

    def __init__(self, block=None, *, keys: tuple | None = None):
        self.block = block
        self.runtime = getattr(block, "runtime", None)
        self.keys = keys  # (course_key, usage_key, block_type) when detached from any block

    @classmethod
    def detached(cls, course_key: str, usage_key: str, block_type: str):
        """An adapter without a block or runtime, bound to the block's keys (see platform_for_keys)."""
        return cls(keys=(course_key, usage_key, block_type))

    def _service(self, name):
        try:
            return self.runtime.service(self.block, name)
        except Exception:  # NoSuchServiceError, or a service that fails to initialise
            return None

    # Identity -------------------------------------------------------------------------------
    def course_key(self) -> str:
        if self.keys:
            return self.keys[0]
        usage_id = self.block.scope_ids.usage_id
        context_key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
        return str(context_key) if context_key else settings.BLENDED_DEMO_COURSE_KEY

    def usage_key(self) -> str:
        if self.keys:
            return self.keys[1]
        return str(self.block.scope_ids.usage_id)

    def block_type(self) -> str:
        return self.keys[2] if self.keys else self.block.scope_ids.block_type

    def url_name(self) -> str:
        """The block's OLX `url_name` (the usage key's block id in Open edX)."""
        usage_id = self.block.scope_ids.usage_id
        return str(getattr(usage_id, "block_id", "") or getattr(self.block, "olx_url_name", "") or "")

    def current_user(self) -> CurrentUser:
        service = self._service("user")
        user = service.get_current_user() if service else None
        attrs = getattr(user, "opt_attrs", {}) or {}
        anonymous_id = attrs.get("edx-platform.anonymous_user_id")
        if not anonymous_id or attrs.get("edx-platform.is_authenticated") is False:
            return CurrentUser(anonymous_id=None)
        preferences = attrs.get("edx-platform.user_preferences") or {}
        emails = getattr(user, "emails", None) or []
        return CurrentUser(
            anonymous_id=anonymous_id,
            user_id=attrs.get("edx-platform.user_id"),
            username=attrs.get("edx-platform.username") or "",
            email=emails[0] if emails else "",
            full_name=getattr(user, "full_name", "") or "",
            is_staff=bool(attrs.get("edx-platform.user_is_staff")),
            time_zone=preferences.get("time_zone") or "",
        )

    def is_studio_preview(self) -> bool:
        """Is this Studio's preview runtime? It marks itself with `is_author_mode`, and (unless the
        course individualises anonymous ids) its user service calls every author "student". Draft
        and published content share the usage key, so nothing seen there may reach live tables."""
        if self.runtime is None:
            return False
        if getattr(self.runtime, "is_author_mode", False) is True:
            return True
        return self.current_user().anonymous_id == STUDIO_PREVIEW_ANONYMOUS_ID

    def can_author(self) -> bool:
        """May the current user edit this block's settings? Studio says so through its
        `studio_user_permissions` service (course staff read as non-staff in Studio preview)."""
        if self.current_user().is_staff:
            return True
        service = self._service("studio_user_permissions")
        # Studio checks rights on the CourseKey object; the demo's usage ids are plain text.
        context_key = getattr(self.block.scope_ids.usage_id, "context_key", None) or self.course_key()
        return bool(service and service.can_write(context_key))

    # Configuration ------------------------------------------------------------------------------
    def block_settings(self) -> dict:
        """XBLOCK_SETTINGS['BlendedXBlocks'] (operator configuration), or {}."""
        service = self._service("settings")
        if service is None:
            return dict(getattr(settings, "XBLOCK_SETTINGS", {}).get(SETTINGS_BUCKET, {}))
        return dict(service.get_settings_bucket(self.block, default={}) or {})

    def language(self) -> str:
        return translation.get_language() or settings.LANGUAGE_CODE

    # Scores and completion ------------------------------------------------------------------------
    def publish_own_grade(self, earned: int | None, possible: int):
        """The current learner's own score, kept where staff scores go (edx-submissions), so the LMS
        reads one store per block: it reads submissions before StudentModule, so a score published
        with the `grade` event would stay hidden under any score staff set. `earned=None` withdraws it.
        Anonymous visitors (and Studio preview, which has no learner) score nothing."""
        user = self.current_user()
        if not user.is_authenticated:
            return
        if earned is None or possible <= 0:
            self.reset_scores([user.anonymous_id])
        else:
            self.set_scores({user.anonymous_id: (earned, possible)})

    def _student_item(self, anonymous_id: str) -> dict:
        return {"student_id": anonymous_id, "course_id": self.course_key(), "item_id": self.usage_key(),
                "item_type": self.block_type()}

    def set_scores(self, scores: dict):
        """Scores for learners: {anonymous_id: (earned, possible)}, whole points (0 <= earned <= possible,
        possible > 0; the LMS takes them as already weighted).

        Goes through edx-submissions, whose `score_set` signal makes the LMS recompute grades,
        as ORA2 and edx-sga do. Its points are `PositiveIntegerField`s: anything else is refused here
        (ValueError) rather than left to fail inside edx-submissions.
        """
        from submissions import api as submissions_api  # installed with the package

        checked = {anonymous_id: self._whole_points(earned, possible) for anonymous_id, (earned, possible) in scores.items()}
        for anonymous_id, (earned, possible) in checked.items():
            item = self._student_item(anonymous_id)
            existing = submissions_api.get_submissions(item, limit=1)
            uuid = existing[0]["uuid"] if existing else submissions_api.create_submission(
                item, {"blended": "staff-scored"})["uuid"]
            submissions_api.set_score(uuid, earned, possible)

    @staticmethod
    def _whole_points(earned, possible) -> tuple:
        """(earned, possible) as ints, or ValueError: never a float edx-submissions would refuse."""
        values = []
        for value in (earned, possible):
            try:
                whole = not isinstance(value, bool) and isinstance(value, int | float) and value == int(value)
            except (ValueError, OverflowError):  # nan, inf
                whole = False
            if not whole:
                raise ValueError(f"scores are whole points, not {earned!r}/{possible!r}")
            values.append(int(value))
        if not 0 <= values[0] <= values[1] or values[1] <= 0:
            raise ValueError(f"a score needs 0 <= earned <= possible and possible > 0, not {earned!r}/{possible!r}")
        return tuple(values)

    def reset_scores(self, anonymous_ids):
        """Withdraw these learners' scores (edx-submissions `reset_score`; the LMS listens to
        `score_reset` and falls back to "not attempted"). Nothing is written for a learner never scored."""
        from submissions import api as submissions_api

        for anonymous_id in anonymous_ids:
            submissions_api.reset_score(anonymous_id, self.course_key(), self.usage_key())

    def complete_own(self, completion: float = 1.0):
        self.runtime.publish(self.block, "completion", {"completion": completion})

    def complete_for(self, learners, completion: float = 1.0):
        """Completion that staff (or a supervisor) records for other learners (`Learner` rows).

        The LMS gives no completion service outside a request (a worker, a command) nor to a
        no-login request (a supervisor's link): edx-completion's model API records it then, so the
        learner sees it at once. Studio preview (signed in, no service) records nothing.
        """
        user_ids = [learner.user_id for learner in learners if learner.user_id]
        if not user_ids:
            return None
        service = None if self.keys else self._service("completion")
        if service is not None:
            return service.submit_group_completion(
                block_key=self.block.scope_ids.usage_id, completion=completion, user_ids=user_ids)
        if self.keys or not self.current_user().is_authenticated:
            return self._complete_detached(user_ids, completion)
        return None

    def _complete_detached(self, user_ids, completion):
        """Outside a request there is no completion service: edx-completion's model API (LMS only)."""
        try:
            from completion.models import BlockCompletion
            from django.contrib.auth import get_user_model
            from opaque_keys.edx.keys import UsageKey
        except ImportError:  # not in the LMS: nowhere to record completion
            log.warning("edx-completion is not installed; completion not recorded for %s", self.usage_key())
            return
        block_key = UsageKey.from_string(self.usage_key())
        for user in get_user_model().objects.filter(id__in=user_ids):
            BlockCompletion.objects.submit_completion(user=user, block_key=block_key, completion=completion)

    # Teams --------------------------------------------------------------------------------------
    def team_for_current_user(self, teamset_id: str) -> TeamInfo | None:
        """The current learner's team in `teamset_id`, or None where the teams service is absent."""
        teams = self._service("teams")
        user_service = self._service("user")
        if teams is None or user_service is None or not teamset_id:
            return None
        user = user_service.get_user_by_anonymous_id()
        team = teams.get_team(user, self.course_key(), teamset_id)
        if team is None:
            return None
        members = teams.get_anonymous_user_ids_for_team(user, team)
        return TeamInfo(team_id=team.team_id, name=team.name, member_anonymous_ids=tuple(members))

    MAX_TEAMMATE_LOOKUPS = 50  # per request; teammates left over are resolved on a later visit

    def teammates(self, anonymous_ids) -> dict:
        """{anonymous id: (user id, username, e-mail)} for teammates the blocks have not seen yet,
        so their completion and scores can be recorded before they open the block.

        The platform has no bulk lookup for XBlocks: the user service's `get_user_by_anonymous_id`
        (one query each) for at most MAX_TEAMMATE_LOOKUPS ids; callers pass only the unknown ones.
        """
        service = self._service("user")
        lookup = getattr(service, "get_user_by_anonymous_id", None)
        found = {}
        for anonymous_id in list(anonymous_ids)[:self.MAX_TEAMMATE_LOOKUPS]:
            try:
                user = lookup(anonymous_id) if lookup and anonymous_id else None
            except Exception:  # an id the platform no longer knows (e.g. a retired learner)
                log.warning("teams: no user for anonymous id %s", anonymous_id, exc_info=True)
                user = None
            if user is not None and getattr(user, "id", None):
                found[anonymous_id] = (user.id, getattr(user, "username", "") or "", getattr(user, "email", "") or "")
        return found

    def teams_available(self) -> bool:
        return self._service("teams") is not None

    # The course's other blocks ---------------------------------------------------------------------
    def _opaque_usage_id(self):
        usage_id = self.block.scope_ids.usage_id
        context = getattr(usage_id, "context_key", None)
        return usage_id if context is not None and hasattr(context, "make_usage_key") else None

    def usage_key_for(self, block_type: str, url_name: str) -> str | None:
        """The usage key of the course's block named `type/url_name` in OLX (whether or not it
        exists). In Open edX it follows from the course key; the demo workbench names its own."""
        usage_id = self._opaque_usage_id()
        if usage_id is not None:
            return str(usage_id.context_key.make_usage_key(block_type, url_name))
        finder = getattr(self.runtime, "usage_id_for", None)
        return finder(self.block, block_type, url_name) if finder else None

    def existing_blocks(self, usage_keys) -> set:
        """Which of these usage keys name a block the course has (the modulestore in Open edX)."""
        usage_keys = [key for key in usage_keys if key]
        try:
            from opaque_keys.edx.keys import UsageKey
            from xmodule.modulestore.django import modulestore
        except ImportError:
            return {key for key in usage_keys if self._runtime_has(key)}
        store = modulestore()
        return {key for key in usage_keys if store.has_item(UsageKey.from_string(key))}

    def _runtime_has(self, usage_key: str) -> bool:
        try:
            if self._opaque_usage_id() is not None:
                from opaque_keys.edx.keys import UsageKey
                self.runtime.get_block(UsageKey.from_string(usage_key))
            else:
                self.runtime.get_block(usage_key)
            return True
        except Exception:  # NoSuchUsage, ItemNotFoundError, InvalidKeyError: not in this course
            return False

    def course_blocks(self) -> list[CourseBlock]:
        """Every block of this course, for an author to pick from. Open edX: the modulestore's
        `get_items` (in Studio the draft, so a block added a minute ago is there), orphans left
        out; elsewhere the runtime's own list (the demo's course). It loads every block of the
        course: for the Studio editor only, and the caller bounds what it sends on."""
        usage_id = self._opaque_usage_id()
        if usage_id is None:
            finder = getattr(self.runtime, "course_blocks", None)
            return list(finder(self.block)) if finder else []
        try:
            from xmodule.modulestore.django import modulestore
        except ImportError:
            return []
        items = modulestore().get_items(usage_id.context_key, include_orphans=False)
        return [CourseBlock(item.location.block_type, item.location.block_id, str(getattr(item, "display_name", "") or ""))
                for item in items]

    def block_url(self, usage_key: str) -> str | None:
        """A link that opens the course at that block (the LMS's jump_to), or None."""
        if not usage_key:
            return None
        if self._opaque_usage_id() is not None:
            return f"/courses/{self.course_key()}/jump_to/{usage_key}"
        finder = getattr(self.runtime, "block_url", None)
        return finder(usage_key) if finder else None

    def block_titles(self, usage_keys) -> dict:
        """{usage key: display name} of other blocks of the course, from the course's cached
        structure read once (no block is loaded); a block without one is left out."""
        usage_keys = [key for key in usage_keys if key]
        if not usage_keys:
            return {}
        titles = {}
        if self._opaque_usage_id() is None:
            finder = getattr(self.runtime, "block_title", None)
            titles = {key: finder(key) for key in usage_keys} if finder else {}
            return {key: title for key, title in titles.items() if title}
        try:
            from opaque_keys.edx.keys import UsageKey
            from openedx.core.djangoapps.content.block_structure.api import get_course_in_cache
        except ImportError:
            return {}
        try:
            structure = get_course_in_cache(self._opaque_usage_id().context_key)
        except Exception:  # noqa: BLE001 - no structure collected yet: no titles, the names show
            return {}
        for key in usage_keys:
            try:
                titles[key] = structure.get_xblock_field(UsageKey.from_string(key), "display_name") or ""
            except Exception:  # noqa: BLE001 - a block the structure does not have (yet)
                continue
        return {key: title for key, title in titles.items() if title}

    def request_course_certificate(self, user_id: int | None):
        """Ask the LMS to generate the learner's course certificate now that the programme is met
        (nothing else would fire when no grade changed). The LMS refuses audit learners and
        non-passing grades itself; outside the LMS there is nothing to ask."""
        if not user_id:
            return
        try:
            from django.contrib.auth import get_user_model
            from lms.djangoapps.certificates.api import generate_certificate_task
            from opaque_keys.edx.keys import CourseKey
        except ImportError:
            return
        user = get_user_model().objects.filter(id=user_id).first()
        if user is None:
            return
        try:
            generate_certificate_task(user, CourseKey.from_string(self.course_key()))
        except Exception:  # CertificateGenerationNotAllowed and friends: the learner sees why in the LMS
            log.info("course certificate not generated for user %s in %s", user_id, self.course_key(), exc_info=True)

    # Mail and URLs ---------------------------------------------------------------------------------
    def send_mail(self, to: str, subject: str, text: str, html: str | None = None):
        """Plain-text mail with an HTML alternative, through Django's mail backend."""
        sender = self.block_settings().get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL
        message = EmailMultiAlternatives(subject=subject, body=text, from_email=sender, to=[to])
        if html:
            message.attach_alternative(html, "text/html")
        message.send()

    def handler_url(self, name: str, thirdparty: bool = False, query: str = "") -> str:
        return self.runtime.handler_url(self.block, name, query=query, thirdparty=thirdparty)


class OpenEdxOutcomeReader:
    """Completion and scores of the platform's own blocks for a page of learners, in one query
    each (OPENEDX.md, "Reading a cohort's outcomes in bulk"). Outside the LMS (no edx-completion,
    no grades app) both read as nothing yet."""

    def completions_in_bulk(self, course_key: str, usage_keys, people) -> dict:
        """{(usage_key, person): completion 0..1}. A leaf reads its own `BlockCompletion` row (no
        row: 0); a chapter, sequential or vertical is complete when every completable leaf under
        it is (the LMS's own rule; an empty one counts as complete), read from the course's cached
        block structure, so a page of learners costs one query on completions."""
        try:
            from completion.models import BlockCompletion
            from opaque_keys.edx.keys import CourseKey, UsageKey
        except ImportError:
            return {}
        course = CourseKey.from_string(course_key)
        leaves = self._completable_leaves(course, [UsageKey.from_string(key) for key in usage_keys])
        wanted = {leaf for leaf_keys in leaves.values() for leaf in leaf_keys}
        people = [person for person in people if person.user_id]
        rows = BlockCompletion.objects.filter(context_key=course, block_key__in=list(wanted),
                                              user_id__in=[person.user_id for person in people])
        done = {(str(row.block_key), row.user_id): row.completion for row in rows}
        result = {}
        for key, leaf_keys in leaves.items():
            for person in people:
                values = [done.get((str(leaf), person.user_id), 0.0) for leaf in leaf_keys]
                result[(str(key), person)] = min(values) if values else 1.0
        return result

    @staticmethod
    def _completable_leaves(course_key, keys) -> dict:
        """{key: [completable leaves under it]}: a leaf stands for itself."""
        containers = [key for key in keys if key.block_type in ("chapter", "sequential", "vertical")]
        leaves = {key: [key] for key in keys if key not in containers}
        if not containers:
            return leaves
        try:
            from openedx.core.djangoapps.content.block_structure.api import get_course_in_cache
        except ImportError:
            return {**leaves, **{key: [key] for key in containers}}
        structure = get_course_in_cache(course_key)

        def walk(key):
            children = structure.get_children(key)
            if not children:
                mode = structure.get_xblock_field(key, "completion_mode")
                return [] if str(mode or "completable").lower() in ("excluded", "aggregator") else [key]
            return [leaf for child in children for leaf in walk(child)]

        return {**leaves, **{key: walk(key) for key in containers}}

    def scores_in_bulk(self, course_key: str, usage_keys, people) -> dict:
        """{(usage_key, person): share of the points} for subsections, from the persisted subsection
        grades (an override wins); no row means nothing earned yet (left out)."""
        try:
            from lms.djangoapps.grades.models import PersistentSubsectionGrade
            from opaque_keys.edx.keys import CourseKey, UsageKey
        except ImportError:
            return {}
        by_user = {person.user_id: person for person in people if person.user_id}
        rows = (PersistentSubsectionGrade.objects
                .filter(course_id=CourseKey.from_string(course_key), user_id__in=list(by_user),
                        usage_key__in=[UsageKey.from_string(key) for key in usage_keys])
                .select_related("override"))
        shares = {}
        for row in rows:
            override = getattr(row, "override", None)
            earned = getattr(override, "earned_graded_override", None)
            possible = getattr(override, "possible_graded_override", None)
            earned = row.earned_graded if earned is None else earned
            possible = row.possible_graded if possible is None else possible
            if possible:
                shares[(str(row.usage_key), by_user[row.user_id])] = earned / possible
        return shares


def outcome_reader():
    """The reader of platform outcomes this deployment uses (the demo configures its own)."""
    path = getattr(settings, "BLENDED_XBLOCKS_OUTCOME_READER", "blended_xblocks.platform.OpenEdxOutcomeReader")
    return import_string(path)()
