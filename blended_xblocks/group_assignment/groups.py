"""Who works with whom: seeded (OLX), staff-made, self-enrolled, Open edX team, or a group of one.

A learner belongs to at most one group per assignment. Group names are unique as the production
database compares them (`name_key`), and seeded groups are found by their source and that key, so
a seeded member never lands in a learner's or staff's look-alike group. Size limits are enforced with the group
row locked, so two learners racing for the last place cannot both get it; the seats of OLX-named
members not placed yet are kept for them. A learner who changes group after their group submitted
keeps that submission's grade (see `SubmissionMember`); one placed in a group after it submitted
is counted in that submission, unless another one already counts for them.
"""
from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Value, Window

from blended_xblocks.core.errors import N_, BadRequest, Conflict, NotFound
from blended_xblocks.group_assignment.drafts import count_late_members, lock_submissions
from blended_xblocks.group_assignment.listing import count_of, page_with_total
from blended_xblocks.group_assignment.models import (
    AssignmentGroup,
    GroupMembership,
    GroupSubmission,
    SeedPlacement,
    SubmissionEvent,
    SubmissionFile,
)
from blended_xblocks.group_assignment.olx import name_key
from blended_xblocks.platform.models import Learner


def membership_of(usage_key: str, learner) -> GroupMembership | None:
    return (GroupMembership.objects.select_related("group__submission")
            .filter(usage_key=usage_key, learner=learner).first())


def _new_group(course_key, usage_key, name, source, team_id=""):
    group = AssignmentGroup.objects.create(course_key=course_key, usage_key=usage_key, name=name,
                                           source=source, team_id=team_id)
    GroupSubmission.objects.create(course_key=course_key, usage_key=usage_key, group=group)
    return group


def seeded_ids(usage_key: str) -> dict:
    """{name_key: id} of the OLX groups made for this assignment. Seeded groups are found by their
    source and the name the author wrote, never by a name alone: a learner's or staff's group with
    a look-alike name is never taken for one."""
    found = {}
    for pk, name in AssignmentGroup.objects.filter(usage_key=usage_key, source="olx").order_by("pk").values_list("pk", "name"):
        found.setdefault(name_key(name), pk)
    return found


def seed_groups(course_key: str, usage_key: str, groups: list, existing: dict | None = None) -> bool:
    """Create the OLX groups that do not exist yet, in bulk (idempotent; one query once seeded, none
    when the caller read `existing`, the `seeded_ids`). True when it created some.

    A learner's or staff's group that holds a look-alike name (made before the author added the
    seeded group) gives the name up: it is renamed, its members stay, and its history says so."""
    if not groups:
        return False
    existing = seeded_ids(usage_key) if existing is None else existing
    missing = {}
    for group in groups:
        if group["name"] and name_key(group["name"]) not in existing:
            missing.setdefault(name_key(group["name"]), group["name"])
    if not missing:
        return False
    with transaction.atomic():  # a concurrent first visit may seed too: conflicts are ignored
        holders = [pk for pk, name in AssignmentGroup.objects.filter(usage_key=usage_key)
                   .exclude(source__in=("olx", "individual")).values_list("pk", "name") if name_key(name) in missing]
        for holder in AssignmentGroup.objects.select_for_update().filter(pk__in=holders).order_by("pk"):
            if name_key(holder.name) in missing:
                _give_up_name(holder)
        AssignmentGroup.objects.bulk_create(
            [AssignmentGroup(course_key=course_key, usage_key=usage_key, name=name, source="olx") for name in missing.values()],
            ignore_conflicts=True)
        created = [pk for key, pk in seeded_ids(usage_key).items() if key in missing]
        GroupSubmission.objects.bulk_create(
            [GroupSubmission(course_key=course_key, usage_key=usage_key, group_id=group_id) for group_id in created],
            ignore_conflicts=True)
    return True


def _give_up_name(group):
    old = group.name
    for name in (f"{old[:80]} ({group.pk})", f"{old[:80]} ({uuid.uuid4().hex[:8]})"):
        try:
            with transaction.atomic():
                AssignmentGroup.objects.filter(pk=group.pk).update(name=name)
        except IntegrityError:  # someone chose that name too
            continue
        submission = GroupSubmission.objects.filter(group=group).first()
        if submission is not None:
            SubmissionEvent.objects.create(submission=submission, action="renamed", detail=old[:255])
        return


def place_seeded_learner(usage_key: str, learner, groups: list) -> int:
    """Put a learner the OLX names (by username) into their group, once: if staff later move or
    remove them, the seed must not take them back (a `SeedPlacement` row remembers it was applied).
    The seat was kept for them, so the group's size limit does not apply; the group row is locked
    (as when joining) so the kept seat and the new member are never both, or neither, counted.
    Returns how many released scores this made pending for the gradebook (0 or 1)."""
    for group in groups:
        if learner.username and learner.username in group["members"]:
            target_id = seeded_ids(usage_key).get(name_key(group["name"]))
            with transaction.atomic():
                target = AssignmentGroup.objects.select_for_update().filter(pk=target_id, source="olx").first()
                if target is None:
                    return 0
                lock_submissions([target.pk])
                try:
                    with transaction.atomic():
                        SeedPlacement.objects.create(usage_key=usage_key, learner=learner)
                except IntegrityError:  # already applied once (or by a concurrent request)
                    return 0
                if not _add_member(usage_key, target, learner):
                    return 0
                return count_late_members(usage_key, [(target.pk, learner.pk)])
    return 0


def seed_and_place(course_key: str, usage_key: str, groups: list) -> int:
    """`seed_groups`, then place every OLX-named learner the course already knows (from any blended
    activity), so the staff list shows seeded groups complete before each member opens this
    assignment; one read of our tables when both are done already (the staff list does this on every
    page). Each learner is placed once (see `place_seeded_learner`). Returns how many released scores
    this made pending for the gradebook."""
    if not groups:
        return 0
    wanted = _wanted(groups)
    rows = AssignmentGroup.objects.filter(usage_key=usage_key, source="olx").annotate(
        kind=Value(0, output_field=IntegerField())).values_list("kind", "pk", "name")
    if wanted:
        rows = rows.union(_unplaced(course_key, usage_key, wanted).annotate(
            kind=Value(1, output_field=IntegerField())).values_list("kind", "pk", "username"), all=True)
    existing, learners = {}, []
    for kind, pk, name in sorted(rows):
        if kind == 0:
            existing.setdefault(name_key(name), pk)
        else:
            learners.append(Learner(pk=pk, course_key=course_key, username=name))
    created = seed_groups(course_key, usage_key, groups, existing=existing)
    if not learners:
        return 0
    return _place_known(usage_key, wanted, learners, None if created else existing)


def _wanted(groups: list) -> dict:
    """{username: name_key of their seeded group} of the learners the OLX names."""
    return {username: name_key(group["name"]) for group in groups for username in group["members"]}


def _unplaced(course_key: str, usage_key: str, wanted: dict):
    """The learners the OLX names whom the course knows and the seed never placed."""
    done = SeedPlacement.objects.filter(usage_key=usage_key).values("learner_id")
    return Learner.objects.filter(course_key=course_key, username__in=list(wanted)).exclude(pk__in=done)


def _place_known(usage_key: str, wanted: dict, learners: list, targets: dict | None) -> int:
    """Place `learners` (known, not placed by the seed yet) into their seeded groups (`targets`: the
    `seeded_ids`, read here when None)."""
    if not learners:
        return 0
    targets = seeded_ids(usage_key) if targets is None else targets
    fresh = [row for row in learners if wanted[row.username] in targets]
    if not fresh:
        return 0
    with transaction.atomic():
        # The same locks as joining (see place_seeded_learner), in one order so two lists cannot deadlock.
        list(AssignmentGroup.objects.select_for_update().filter(
            pk__in={targets[wanted[row.username]] for row in fresh}).order_by("pk").values_list("pk", flat=True))
        applied = set(SeedPlacement.objects.filter(usage_key=usage_key, learner__in=fresh)
                      .values_list("learner_id", flat=True))
        fresh = [row for row in fresh if row.pk not in applied]  # a concurrent visit or list placed them
        lock_submissions({targets[wanted[row.username]] for row in fresh})
        placed = set(GroupMembership.objects.filter(usage_key=usage_key, learner__in=fresh)
                     .values_list("learner_id", flat=True))
        SeedPlacement.objects.bulk_create([SeedPlacement(usage_key=usage_key, learner=row) for row in fresh],
                                          ignore_conflicts=True)
        new = [(targets[wanted[row.username]], row.pk) for row in fresh if row.pk not in placed]
        GroupMembership.objects.bulk_create(
            [GroupMembership(usage_key=usage_key, group_id=group_id, learner_id=learner_id) for group_id, learner_id in new],
            ignore_conflicts=True)
        return count_late_members(usage_key, new)


def individual_group(course_key: str, usage_key: str, learner) -> AssignmentGroup:
    """The learner's own group of one (individual assignments share the group workflow)."""
    name = f"~{learner.pk}"
    group = AssignmentGroup.objects.filter(usage_key=usage_key, name=name).first()
    if group is None:
        try:
            with transaction.atomic():
                group = _new_group(course_key, usage_key, name, "individual")
                GroupMembership.objects.create(usage_key=usage_key, group=group, learner=learner)
        except IntegrityError:
            group = AssignmentGroup.objects.get(usage_key=usage_key, name=name)
    return group


def _add_member(usage_key, group, learner) -> bool:
    try:
        with transaction.atomic():
            GroupMembership.objects.create(usage_key=usage_key, group=group, learner=learner)
    except IntegrityError:  # already placed (concurrent visit)
        return False
    return True


def kept_seats(usage_key: str, group, seeded: list) -> int:
    """Seats kept for the learners the OLX names in this group who are not placed yet (neither by
    the seed nor in any group of this assignment): others joining count them as taken."""
    if group.source != "olx":
        return 0
    key = name_key(group.name)
    return _kept_by_group(usage_key, [entry for entry in seeded or [] if name_key(entry.get("name", "")) == key]).get(key, 0)


def create_group(course_key: str, usage_key: str, learner, name: str, source="learner", seeded: list = ()) -> AssignmentGroup:
    """A learner (self-enrolment) or staff creates a group; a learner joins it at once.

    The name must differ from every other group's, and from every seeded group's (made or not yet),
    as the production database compares names (see `name_key`): on every database alike."""
    if learner is not None and GroupMembership.objects.filter(usage_key=usage_key, learner=learner).exists():
        raise Conflict("already_in_group", N_("Leave your current group first."))
    key = name_key(name)
    if name.startswith("~") or not key:
        raise BadRequest("invalid_field", N_("“{field}” is not in the expected format."), field="name")
    taken = AssignmentGroup.objects.filter(usage_key=usage_key).exclude(source="individual").values_list("name", flat=True)
    if key in {name_key(entry["name"]) for entry in seeded or []} | {name_key(other) for other in taken}:
        raise Conflict("group_name_taken", N_("A group with this name already exists."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                group = _new_group(course_key, usage_key, name, source)
        except IntegrityError as error:
            raise Conflict("group_name_taken", N_("A group with this name already exists.")) from error
        if learner is not None:
            _enter(usage_key, group, learner)  # a concurrent create or join of theirs won: the new group goes too
    return group


def _enter(usage_key, group, learner):
    """Make the learner a member; the one-group-per-assignment constraint decides between two
    requests of the same learner (two tabs, a double click) that both found them in no group."""
    try:
        with transaction.atomic():
            GroupMembership.objects.create(usage_key=usage_key, group=group, learner=learner)
    except IntegrityError as error:
        raise Conflict("already_in_group", N_("Leave your current group first.")) from error


def has_work(group) -> bool:
    """The group has written text or added files: a newcomer joining would read it (and could
    leave again with it), so only staff may place a learner there."""
    return bool(group.submission.text.strip()) or SubmissionFile.objects.filter(submission__group=group).exists()


def record_move(group, learner, action: str, detail: str = ""):
    """`joined` / `left` line in the group's history, so members see who came and went."""
    SubmissionEvent.objects.create(submission=group.submission, actor=learner, action=action, detail=detail)


def join_group(usage_key: str, learner, group_id: int, max_size: int, seeded: list = ()) -> AssignmentGroup:
    """Join a group if it has room and no work yet; the group row is locked while its members (and
    the seats kept for seeded members, see `kept_seats`) are counted."""
    with transaction.atomic():
        group = (AssignmentGroup.objects.select_for_update()
                 .filter(usage_key=usage_key, pk=group_id).exclude(source="individual").first())
        if group is None:
            raise NotFound("unknown_group", N_("This group does not exist."))
        if GroupMembership.objects.filter(usage_key=usage_key, learner=learner).exists():
            raise Conflict("already_in_group", N_("Leave your current group first."))
        if group.team_id:
            raise Conflict("team_managed", N_("This group is managed by the course's teams."))
        if GroupMembership.objects.filter(group=group).count() + kept_seats(usage_key, group, seeded) >= max_size:
            raise Conflict("group_full", N_("This group is full."))
        if has_work(group):
            raise Conflict("group_has_work", N_("This group has already started its work. "
                                                "Ask your instructor to place you in it."))
        _enter(usage_key, group, learner)
        record_move(group, learner, "joined")
    return group


def leave_group(usage_key: str, learner):
    """Leave the current group; an empty learner-made group that never started disappears.

    Locks in joining's order (the group, then its submission and members), so a learner joining
    while the last member leaves either joins first (the group stays) or finds it gone
    (`unknown_group`); the members left are counted with a locking read, which sees a join that
    committed while we waited (MariaDB's plain reads would not)."""
    for _attempt in range(3):
        group_id = (GroupMembership.objects.filter(usage_key=usage_key, learner=learner)
                    .values_list("group_id", flat=True).first())
        if group_id is None:
            break
        with transaction.atomic():
            group = AssignmentGroup.objects.select_for_update().filter(pk=group_id).first()
            membership = group and (GroupMembership.objects.select_for_update()
                                    .filter(usage_key=usage_key, learner=learner, group=group).first())
            if membership is None:
                continue  # moved meanwhile (staff, another tab): look again
            if group.team_id or group.source == "individual":
                raise Conflict("team_managed", N_("This group is managed by the course's teams."))
            submission = GroupSubmission.objects.select_for_update().get(group=group)
            membership.delete()
            others = GroupMembership.objects.select_for_update().filter(group=group).values_list("pk", flat=True)[:1]
            if group.source == "learner" and submission.status == GroupSubmission.NOT_STARTED and not list(others):
                group.delete()
            else:
                record_move(group, learner, "left")
            return
    raise Conflict("not_in_group", N_("You are not in a group."))


def assign_member(course_key: str, usage_key: str, user_id: str | None, group_id: int | None, username: str | None = None):
    """Staff move a learner (by anonymous id or username) into a group, or out of any group (None).

    Staff decide: the size limit does not apply. Returns (learner, how many released scores this
    made pending for the gradebook: 1 when the group's released grade now counts for them)."""
    lookup = {"anonymous_user_id": user_id} if user_id else {"username": username or ""}
    learner = Learner.objects.filter(course_key=course_key, **lookup).first()
    if learner is None:
        raise NotFound("unknown_user", N_("This learner has not opened the course's blended activities yet."))
    with transaction.atomic():
        group = None
        if group_id is not None:
            group = (AssignmentGroup.objects.select_for_update()
                     .filter(usage_key=usage_key, pk=group_id).exclude(source="individual").first())
            if group is None:
                raise NotFound("unknown_group", N_("This group does not exist."))
            if group.team_id:
                raise Conflict("team_managed", N_("This group is managed by the course's teams."))
        previous = (GroupMembership.objects.select_related("group__submission")
                    .filter(usage_key=usage_key, learner=learner).first())
        if previous is not None and group is not None and previous.group_id == group.id:
            return learner, 0
        lock_submissions([g for g in (group and group.pk, previous and previous.group_id) if g])
        if previous is not None:
            previous.delete()
            record_move(previous.group, learner, "left", "staff")
        if group is not None:
            GroupMembership.objects.create(usage_key=usage_key, group=group, learner=learner)
            record_move(group, learner, "joined", "staff")
        # A staff decision overrides the OLX seed from now on.
        SeedPlacement.objects.bulk_create([SeedPlacement(usage_key=usage_key, learner=learner)], ignore_conflicts=True)
        pending = count_late_members(usage_key, [(group.pk, learner.pk)]) if group is not None else 0
    return learner, pending


def sync_team(course_key: str, usage_key: str, team, resolve=None) -> AssignmentGroup:
    """Mirror an Open edX team (a `TeamInfo`) as this assignment's group, members included.

    Teammates who never opened a blended activity get a `Learner` row; `resolve(anonymous_ids)`
    (the adapter's `teammates`) fills in the user id (and name, e-mail) of rows that lack it, so
    completion and scores reach them too (completion for others needs the user id)."""
    group = AssignmentGroup.objects.filter(usage_key=usage_key, team_id=team.team_id).first()
    if group is None:
        name = f"{team.name[:80]} ({team.team_id[-12:]})" if AssignmentGroup.objects.filter(
            usage_key=usage_key, name=team.name[:100]).exists() else team.name[:100]
        try:
            with transaction.atomic():
                group = _new_group(course_key, usage_key, name, "team", team.team_id)
        except IntegrityError:
            group = AssignmentGroup.objects.get(usage_key=usage_key, team_id=team.team_id)
    ids = list(team.member_anonymous_ids)
    known = {row.anonymous_user_id: row for row in Learner.objects.filter(course_key=course_key, anonymous_user_id__in=ids)}
    for anonymous_id in ids:
        if anonymous_id not in known:
            known[anonymous_id], _ = Learner.objects.get_or_create(course_key=course_key, anonymous_user_id=anonymous_id)
    learners = [known[anonymous_id] for anonymous_id in ids]
    unresolved = [row for row in learners if row.user_id is None]
    if resolve is not None and unresolved:
        _fill_identities(unresolved, resolve([row.anonymous_user_id for row in unresolved]))
    with transaction.atomic():
        GroupMembership.objects.filter(usage_key=usage_key, learner__in=learners).exclude(group=group).delete()
        GroupMembership.objects.filter(group=group).exclude(learner__in=learners).delete()
        present = set(GroupMembership.objects.filter(group=group).values_list("learner_id", flat=True))
        GroupMembership.objects.bulk_create(
            [GroupMembership(usage_key=usage_key, group=group, learner=row) for row in learners if row.pk not in present],
            ignore_conflicts=True)
    return group


def _fill_identities(rows, found: dict):
    """Store what the platform said about teammates: user id always, name and e-mail where empty."""
    for row in rows:
        if row.anonymous_user_id not in found:
            continue
        user_id, username, email = found[row.anonymous_user_id]
        changes = {"user_id": user_id, "username": row.username or username[:150], "email": row.email or email[:254]}
        Learner.objects.filter(pk=row.pk, user_id__isnull=True).update(**changes)
        for key, value in changes.items():
            setattr(row, key, value)


def open_groups(usage_key: str, max_size: int, seeded: list = ()) -> list:
    """Groups a self-enrolling learner may see: name, member count, and whether they can still join
    (`full`, seats kept for seeded members included; `has_work`: the group has started, only staff
    can add members now). One query, and one more for kept seats when the OLX seeds groups."""
    from django.db.models import Count, Exists, OuterRef

    files = SubmissionFile.objects.filter(submission__group=OuterRef("pk"))
    rows = (AssignmentGroup.objects.filter(usage_key=usage_key).exclude(source="individual")
            .annotate(size=Count("memberships"), with_files=Exists(files))
            .order_by("name").values("id", "name", "size", "team_id", "source", "with_files", "submission__text")[:500])
    kept = _kept_by_group(usage_key, seeded)
    return [{"id": row["id"], "name": row["name"], "size": row["size"],
             "full": row["size"] + (kept.get(name_key(row["name"]), 0) if row["source"] == "olx" else 0) >= max_size,
             "has_work": bool(row["with_files"] or (row["submission__text"] or "").strip())}
            for row in rows if not row["team_id"]]


def _kept_by_group(usage_key: str, seeded: list) -> dict:
    """{name_key of a seeded group: seats kept} for every OLX group at once (see `kept_seats`)."""
    names = {username for entry in seeded or [] for username in entry.get("members", [])}
    if not names:
        return {}
    settled = {row[0] for row in SeedPlacement.objects.filter(usage_key=usage_key, learner__username__in=names)
               .values_list("learner__username").union(
                   GroupMembership.objects.filter(usage_key=usage_key, learner__username__in=names)
                   .values_list("learner__username"))}
    kept = {}
    for entry in seeded:
        key = name_key(entry.get("name", ""))
        kept[key] = kept.get(key, 0) + len(set(entry.get("members", [])) - settled)
    return kept


def staff_groups(usage_key: str, query: str, page: int, page_size: int) -> dict:
    """The groups staff can move a learner into (not groups of one, not Open edX teams), by name,
    filtered by a case-insensitive part of the name: one page with member names, in two queries
    whatever the number of groups (the page carries the total and each group's size)."""
    groups = AssignmentGroup.objects.filter(usage_key=usage_key, team_id="").exclude(source="individual")
    if query:
        groups = groups.filter(name__icontains=query)
    size = count_of(GroupMembership.objects.filter(group=OuterRef("pk")))
    ordered = (groups.annotate(size=size, list_total=Window(Count("pk"))).order_by("name", "pk")
               .values("id", "name", "size", "list_total"))
    rows, shown, _pending = page_with_total(ordered, groups, page, page_size)
    names = {}
    for group_id, full_name, username, anonymous_id in (
            GroupMembership.objects.filter(group_id__in=[row["id"] for row in rows]).order_by("pk")
            .values_list("group_id", "learner__full_name", "learner__username", "learner__anonymous_user_id")):
        names.setdefault(group_id, []).append(full_name or username or anonymous_id)
    return shown.json("groups", [{"id": row["id"], "name": row["name"], "size": row["size"],
                                  "members": names.get(row["id"], [])} for row in rows])
