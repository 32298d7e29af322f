"""Experience sharing at the size of a busy programme: 10,000 posts and 50,000 replies in one block.

Figures: a page of 20 posts (newest, most useful, one tag) for a learner and for staff, a page of
participation over 2,000 learners, one reply written, and the CSV export of everything.
"""
import random

from tests.harness import Workbench

OLX = ('<blended_experience_sharing display_name="Bench" min_posts="1" min_replies="2" '
       'tags="economic psychosocial community structural"/>')
POSTS, REPLIES, LEARNERS = 10_000, 50_000, 2_000


def populate(block):
    from blended_xblocks.experience_sharing.models import SharedPost, SharedReply
    from blended_xblocks.platform.models import Learner

    rng = random.Random(5)
    Learner.objects.bulk_create([Learner(course_key=block.course_key_string, anonymous_user_id=f"b{n}", username=f"b{n:05d}",
                                         full_name=f"Learner {n}") for n in range(LEARNERS)], batch_size=1000)
    learners = list(Learner.objects.filter(course_key=block.course_key_string, anonymous_user_id__startswith="b"))
    tags = ["economic", "psychosocial", "community", "structural"]
    SharedPost.objects.bulk_create([SharedPost(
        course_key=block.course_key_string, usage_key=block.usage_key_string, author=rng.choice(learners), title=f"Case {n}",
        body="Context, challenge, action, lesson. " * 10, tags=f" {rng.choice(tags)} ",
        useful_count=rng.randint(0, 30), reply_count=0) for n in range(POSTS)], batch_size=2000)
    post_ids = list(SharedPost.objects.filter(usage_key=block.usage_key_string).values_list("id", flat=True))
    counts = {}
    replies = []
    for _ in range(REPLIES):
        post_id = rng.choice(post_ids)
        counts[post_id] = counts.get(post_id, 0) + 1
        replies.append(SharedReply(post_id=post_id, usage_key=block.usage_key_string, author=rng.choice(learners),
                                   body="We saw the same in our programme."))
    SharedReply.objects.bulk_create(replies, batch_size=5000)
    for post_id, count in counts.items():
        SharedPost.objects.filter(pk=post_id).update(reply_count=count)


def run(report, measure):
    workbench = Workbench()
    usage = workbench.load(OLX)
    block = workbench.block(usage)
    populate(block)
    from django.db import connection

    connection.queries_log.clear()  # the set-up's queries would fill the log and hide the counts below
    report("posts", POSTS)
    report("replies", REPLIES)
    workbench.call(usage, "get_state", {}, student="b7")
    workbench.call(usage, "get_state", {}, student="instructor")
    for name, query in [("newest", {}), ("most useful", {"sort": "useful"}), ("tag filter", {"tag": "community"}),
                        ("page 200", {"page": 200})]:
        with measure(f"learner page of 20, {name}"):
            result = workbench.call(usage, "get_state", query, student="b7")
        assert result.status == 200 and len(result.json["posts"]) == 20
    with measure("staff page of 20, most useful"):
        workbench.call(usage, "get_state", {"sort": "useful"}, student="instructor")
    post_id = workbench.call(usage, "get_state", {}, student="b7").json["posts"][0]["id"]
    with measure("reply (counts, participation, completion check)"):
        workbench.call(usage, "reply", {"post_id": post_id, "body": "Thanks"}, student="b7")
    with measure("useful mark"):
        workbench.call(usage, "react", {"post_id": post_id}, student="b8")
    with measure("participation page of 100 learners"):
        workbench.call(usage, "participation", {"page": 5, "page_size": 100}, student="instructor")
    with measure("CSV export of 10,000 posts and 50,000 replies"):
        result = workbench.call(usage, "export_csv", method="GET", student="instructor")
    report("CSV export size", len(result.body) / 1024 / 1024, "MiB")
