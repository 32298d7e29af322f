"""Demo content: `<seed_post>` children in OLX become real posts when the scenario is loaded.

The workbench only loads OLX, so example posts travel inside it:

    <seed_post key="s1" author="amina" title="..." tags="economic" anonymous="false" useful="yusuf fatou">
      Body text.
      <seed_reply author="yusuf">Reply text.</seed_reply>
    </seed_post>

They are written once, while the workbench parses the scenario (one thread, before any page
asks for posts), and only for the people the host's adapter names (`seed_person`): the LMS names
nobody, so a course imported into a real LMS never creates posts in anyone's name. Seeding is
idempotent: each post carries its `key` under a unique constraint, so restarting the demo adds
nothing.
"""
import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count

from blended_xblocks.experience_sharing.models import SharedPost, SharedReaction, SharedReply
from blended_xblocks.experience_sharing.participation import refresh
from blended_xblocks.platform.models import Learner

MAX_SEEDS = 50
log = logging.getLogger(__name__)


def parse_seeds(node) -> list:
    """The `<seed_post>` children of `node` as plain dicts (kept in a content field)."""
    seeds = []
    for number, child in enumerate(node.findall("seed_post")[:MAX_SEEDS]):
        seeds.append({
            "key": child.get("key") or f"seed-{number}",
            "author": child.get("author", "amina"),
            "title": child.get("title", "")[:200],
            "body": "\n".join(line.strip() for line in (child.text or "").strip().splitlines()),
            "tags": child.get("tags", ""),
            "anonymous": child.get("anonymous", "false") == "true",
            "pinned": child.get("pinned", "false") == "true",
            "useful": child.get("useful", "").split(),
            "replies": [{"author": reply.get("author", "yusuf"), "body": (reply.text or "").strip()}
                        for reply in child.findall("seed_reply")],
        })
    return seeds


def _names(item) -> set:
    return {item["author"], *(reply["author"] for reply in item["replies"]), *item["useful"]}


def seed(board, seeds, platform) -> int:
    """Create the seeded posts not yet in the database, when the host names every person in them
    (`platform.seed_person`); returns how many were created."""
    people = {name: platform.seed_person(name) for item in seeds or [] for name in _names(item)}
    seeds = [item for item in seeds or [] if all(people[name] is not None for name in _names(item))]
    if not seeds:
        return 0
    done = set(SharedPost.objects.filter(usage_key=board.usage_key, seed_key__isnull=False)
               .values_list("seed_key", flat=True))
    created = 0
    for item in seeds:
        if item["key"] in done:
            continue
        try:
            with transaction.atomic():
                _create(board, item, people)
                created += 1
        except IntegrityError:  # another process seeded it at the same moment
            continue
        except DatabaseError as error:  # e.g. SQLite busy, tables not migrated: loading the OLX matters more
            log.warning("experience sharing: demo post %s not seeded (%s)", item["key"], error)
    return created


def _create(board, item, people):
    def _learner(name):
        return Learner.objects.record(board.course_key, people[name])

    tags = [tag for tag in item["tags"].split() if tag in board.tags]
    author = _learner(item["author"])
    post = SharedPost.objects.create(
        course_key=board.course_key, usage_key=board.usage_key, seed_key=item["key"], author=author,
        title=item["title"], body=item["body"], tags=" " + " ".join(tags) + " " if tags else "",
        anonymous=item["anonymous"], pinned=item["pinned"])
    writers = {author.pk: author}
    for reply in item["replies"]:
        replier = _learner(reply["author"])
        writers[replier.pk] = replier
        SharedReply.objects.create(post=post, usage_key=board.usage_key, body=reply["body"], author=replier)
    for username in item["useful"]:
        if username != item["author"]:
            SharedReaction.objects.get_or_create(post=post, learner=_learner(username))
    counts = SharedPost.objects.filter(pk=post.pk).aggregate(
        replies=Count("replies", distinct=True), useful=Count("reactions", distinct=True))
    SharedPost.objects.filter(pk=post.pk).update(reply_count=counts["replies"], useful_count=counts["useful"])
    for learner in writers.values():
        refresh(board, learner)
