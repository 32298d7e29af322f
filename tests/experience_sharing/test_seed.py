"""Demo seeding: the IOM scenario's example posts appear once, and only when seeding is on."""
from pathlib import Path

import pytest
from django.test import override_settings
from lxml import etree

from blended_xblocks.demo.scenarios import expand
from blended_xblocks.experience_sharing.models import SharedPost, SharingParticipation
from blended_xblocks.experience_sharing.seed import parse_seeds, seed

SCENARIO = Path(__file__).resolve().parents[2] / "blended_xblocks/demo/scenarios/40-experience-sharing-iom.xml"


def sharing_blocks(workbench, xml):
    vertical = workbench.block(workbench.load(xml))
    return [child for child in vertical.children if "blended_experience_sharing" in str(child)]


def test_seeded_posts_appear_once_when_the_demo_loads(workbench):
    first, second = sharing_blocks(workbench, expand(SCENARIO.read_text(encoding="utf-8")))
    for _ in range(2):
        seen = workbench.call(first, "get_state", {}, student="ibrahim").json
    assert seen["total"] == 3 and SharedPost.objects.filter(usage_key=first).count() == 3
    top = seen["posts"][0]
    assert top["pinned"] and top["author"] == "Amina Diallo" and top["useful_count"] == 3 and top["reply_count"] == 2
    anonymous = next(p for p in seen["posts"] if p["anonymous"])
    assert anonymous["author"] is None
    assert any(kind == "a" for kind, *_ in top["body"])
    assert workbench.call(second, "get_state", {}, student="ibrahim").json["total"] == 2
    assert SharingParticipation.objects.get(usage_key=first, learner__username="yusuf").replies == 1
    node = etree.fromstring(SCENARIO.read_bytes()).find("blended_experience_sharing")
    block = workbench.block(first)
    assert seed(block.board(), parse_seeds(node), block.platform) == 0  # a restarted demo adds nothing
    assert SharedPost.objects.filter(usage_key=first).count() == 3


@override_settings(BLENDED_DEMO_SEED=False)
def test_no_seeding_outside_the_demo(workbench):
    first, _ = sharing_blocks(workbench, expand(SCENARIO.read_text(encoding="utf-8")))
    assert workbench.call(first, "get_state", {}, student="ibrahim").json["total"] == 0
    assert not SharedPost.objects.exists()


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_programme_page_renders_in_each_language(workbench, language):
    first, _ = sharing_blocks(workbench, expand(SCENARIO.read_text(encoding="utf-8")))
    html = workbench.render(first, "amina", language=language)
    assert f'lang="{language}"' in html and ("rtl" in html) == (language == "ar")
