"""The only module that talks to the host platform.

Blocks ask `block.platform` for the current user, scores, completion, teams, settings, mail and
URLs, and never care whether they run in the LMS, in Studio preview or in the demo workbench.
`OpenEdxPlatform` reads the XBlock services edx-platform provides (see OPENEDX.md). Another host
(the repository's demo workbench) names its own subclass in the Django setting
`BLENDED_XBLOCKS_PLATFORM`; the package never imports it. Such a host may differ where the LMS has
nothing to offer, e.g. in naming the people of OLX seed elements (`seed_person`): the LMS seeds
nobody. Services Studio lacks (completion, teams) are optional.
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
DEFAULT_PLATFORM = "blended_xblocks.platform.adapter.OpenEdxPlatform"
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
    def seed_person(self, name: str) -> CurrentUser | None:
        """The person an OLX seed element names (`<seed_registration learner="amina"/>`, a seeded
        post's author, a seeded application), or None: write nothing in their name.

        Seed elements are a demo host's example content. The LMS has no such people, so a course
        imported there creates no registration, post or application in anyone's name."""
        return None

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

    # Cohorts ---------------------------------------------------------------------------------------
    def add_to_cohort(self, user_id: int, cohort_name: str) -> bool:
        """Put the user in the course's cohort `cohort_name` (a manual cohort, created when the course
        has none of that name) with the platform's cohorts API, so that content groups can restrict
        content to them. Already a member: nothing changes. False outside the LMS."""
        try:
            from opaque_keys.edx.keys import CourseKey
            from openedx.core.djangoapps.course_groups import cohorts
            from openedx.core.djangoapps.course_groups.models import CourseCohort, CourseUserGroup
        except ImportError:
            return False
        from django.contrib.auth import get_user_model
        user = get_user_model().objects.filter(id=user_id).first()
        if user is None or not cohort_name:
            return False
        course_key = CourseKey.from_string(self.course_key())
        try:
            cohort = cohorts.get_cohort_by_name(course_key, cohort_name)
        except CourseUserGroup.DoesNotExist:
            cohort = cohorts.add_cohort(course_key, cohort_name, CourseCohort.MANUAL)
        try:
            cohorts.add_user_to_cohort(cohort, user)
        except ValueError:  # already in this cohort
            pass
        return True

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
    per store (OPENEDX.md, "Reading a cohort's outcomes in bulk"), and who the course's learners
    are (its enrolments). Outside the LMS (no edx-completion, no grades or student app) outcomes
    read as nothing yet and enrolments as unknown."""

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
        """{(usage_key, person): share of the points}; no score yet is left out.

        A subsection reads its persisted subsection grade (an override wins), as the progress page
        shows it. A problem reads its score the way the LMS grades it (`grades/scores.py`): an
        edx-submissions score first (ORA2, edx-sga; people with an anonymous id only), else the
        learner's `StudentModule` (`grade` of `max_grade`; a null grade is not scored). A vertical
        or chapter is the weighted sum of the scored problems under it in the course's cached
        structure (a problem not scored yet counts as 0 of its weight); it has a share once any of
        them is scored. Each store costs one query per page of learners."""
        try:
            from opaque_keys.edx.keys import CourseKey, UsageKey
        except ImportError:
            return {}
        course = CourseKey.from_string(course_key)
        keys = [UsageKey.from_string(key) for key in usage_keys]
        people = [person for person in people if person.user_id or person.anonymous_id]
        subsections = [key for key in keys if key.block_type == "sequential"]
        others = [key for key in keys if key.block_type != "sequential"]
        shares = self._subsection_shares(course, subsections, people) if subsections else {}
        if others:
            shares.update(self._problem_shares(course, others, people))
        return shares

    @staticmethod
    def _subsection_shares(course, keys, people) -> dict:
        try:
            from lms.djangoapps.grades.models import PersistentSubsectionGrade
        except ImportError:
            return {}
        by_user = {person.user_id: person for person in people if person.user_id}
        rows = (PersistentSubsectionGrade.objects
                .filter(course_id=course, user_id__in=list(by_user), usage_key__in=keys)
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

    def _problem_shares(self, course, keys, people) -> dict:
        problems = self._scored_problems(course, keys)
        leaves = sorted({leaf for found in problems.values() for leaf, _ in found}, key=str)
        points = self._problem_points(course, leaves, people)
        shares = {}
        for key, found in problems.items():
            for person in people:
                earned = possible = 0.0
                scored = False
                for leaf, weight in found:
                    value = points.get((str(leaf), person))
                    if value is None:
                        possible += weight or 0.0
                        continue
                    scored = True
                    leaf_earned, leaf_possible, weighted = value
                    if not weighted and weight is not None and leaf_possible:
                        leaf_earned, leaf_possible = leaf_earned * weight / leaf_possible, weight
                    earned, possible = earned + leaf_earned, possible + leaf_possible
                if scored and possible > 0:
                    shares[(str(key), person)] = earned / possible
        return shares

    @staticmethod
    def _scored_problems(course, keys) -> dict:
        """{key: [(problem, weight or the problem's points)]}: a problem stands for itself (its
        weight does not change its share); a vertical or chapter for the `has_score` leaves under it."""
        containers = [key for key in keys if key.block_type in ("chapter", "vertical")]
        problems = {key: [(key, None)] for key in keys if key not in containers}
        if not containers:
            return problems
        try:
            from openedx.core.djangoapps.content.block_structure.api import get_course_in_cache
        except ImportError:
            return problems
        structure = get_course_in_cache(course)

        def possible(leaf):
            weight = structure.get_xblock_field(leaf, "weight")
            if weight is not None:
                return float(weight)
            try:
                from lms.djangoapps.grades.transformer import GradesTransformer
                points = structure.get_transformer_block_field(leaf, GradesTransformer, "max_score")
            except Exception:  # noqa: BLE001 - no collected maximum: one point, as the demo counts
                points = None
            return float(points) if points is not None else 1.0

        def walk(key):
            children = structure.get_children(key)
            if children:
                return [found for child in children for found in walk(child)]
            return [(key, possible(key))] if structure.get_xblock_field(key, "has_score") else []

        return {**problems, **{key: walk(key) for key in containers}}

    @staticmethod
    def _problem_points(course, leaves, people) -> dict:
        """{(problem key text, person): (earned, possible, already weighted)}: edx-submissions wins
        over StudentModule, as in the LMS; one query on each."""
        points = {}
        try:
            from lms.djangoapps.courseware.models import StudentModule
        except ImportError:
            StudentModule = None
        by_user = {person.user_id: person for person in people if person.user_id}
        if StudentModule is not None and by_user and leaves:
            rows = (StudentModule.objects
                    .filter(course_id=course, module_state_key__in=leaves, student_id__in=list(by_user))
                    .values_list("module_state_key", "student_id", "grade", "max_grade"))
            for key, user_id, grade, max_grade in rows:
                if grade is not None and max_grade:
                    points[(str(key), by_user[user_id])] = (float(grade), float(max_grade), False)
        by_anonymous = {person.anonymous_id: person for person in people if person.anonymous_id}
        if by_anonymous and leaves:
            from submissions.models import ScoreSummary  # installed with the package

            rows = (ScoreSummary.objects
                    .filter(student_item__course_id=str(course), student_item__item_id__in=[str(leaf) for leaf in leaves],
                            student_item__student_id__in=list(by_anonymous))
                    .values_list("student_item__item_id", "student_item__student_id", "latest__points_earned",
                                 "latest__points_possible"))
            for item, student, earned, possible in rows:
                if possible:  # a reset score (0 of 0) reads as not scored, as in the LMS
                    points[(item, by_anonymous[student])] = (float(earned), float(possible), True)
        return points

    # Enrolments ---------------------------------------------------------------------------------
    def enrolled_learners(self, course_key: str):
        """The course's learners: active enrolments minus the course's staff, or None where the
        platform keeps no enrolments (the demo workbench: the cohort is then whoever our blocks know).

        [Enrolled(user_id, username, full_name, email)], in two queries whatever the cohort's size:
        the users (`CourseEnrollment.objects.users_enrolled_in`, the LMS's own list of active
        enrolments, less global staff and the staff, instructor and limited-staff roles of the course
        and its organisation, `CourseAccessRole` read as subqueries), then their profile names.
        A full name is the profile's name, else first and last name."""
        try:
            from common.djangoapps.student import roles
            from common.djangoapps.student.models import CourseEnrollment, UserProfile
            from opaque_keys.edx.keys import CourseKey
        except ImportError:
            return None
        course = CourseKey.from_string(course_key)
        users = CourseEnrollment.objects.users_enrolled_in(course).exclude(is_staff=True)
        for role in STAFF_ROLES:
            role_class = getattr(roles, role, None)
            if role_class is not None:
                users = users.exclude(id__in=role_class(course).users_with_role().values("id"))
        for role in ORG_STAFF_ROLES:
            role_class = getattr(roles, role, None)
            if role_class is not None:
                users = users.exclude(id__in=role_class(course.org).users_with_role().values("id"))
        rows = list(users.values_list("id", "username", "email", "first_name", "last_name"))
        names = dict(UserProfile.objects.filter(user_id__in=users.values("id")).values_list("user_id", "name"))
        return [Enrolled(user_id=user_id, username=username or "", email=email or "",
                         full_name=names.get(user_id) or f"{first or ''} {last or ''}".strip())
                for user_id, username, email, first, last in rows]

    def anonymous_ids(self, course_key: str, user_ids) -> dict:
        """{user id: the user's anonymous id in the course} (the LMS's `anonymous_id_for_user`, one
        lookup each, made and stored on first use): for giving a certificate to an enrolled learner
        who never opened one of our blocks. {} outside the LMS."""
        try:
            from common.djangoapps.student.models import anonymous_id_for_user
            from django.contrib.auth import get_user_model
            from opaque_keys.edx.keys import CourseKey
        except ImportError:
            return {}
        course = CourseKey.from_string(course_key)
        return {user.id: anonymous_id_for_user(user, course)
                for user in get_user_model().objects.filter(id__in=list(user_ids))}


STAFF_ROLES = ("CourseStaffRole", "CourseInstructorRole", "CourseLimitedStaffRole")  # common/djangoapps/student/roles.py
ORG_STAFF_ROLES = ("OrgStaffRole", "OrgInstructorRole")


@dataclass(frozen=True)
class Enrolled:
    """A learner enrolled in the course, as the cohort lists them."""

    user_id: int
    username: str
    full_name: str
    email: str


def outcome_reader():
    """The reader of platform outcomes this deployment uses (the demo configures its own)."""
    path = getattr(settings, "BLENDED_XBLOCKS_OUTCOME_READER", "blended_xblocks.platform.adapter.OpenEdxOutcomeReader")
    return import_string(path)()
