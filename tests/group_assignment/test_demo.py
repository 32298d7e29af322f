"""The demo programme holds the IOM training's 4 individual and 2 group assignments, and they load."""
from lxml import etree

from blended_xblocks.demo.scenarios import demo_scenarios


def assignments():
    xml = dict((sid, xml) for sid, _title, xml in demo_scenarios())["blended.00-programme"]
    return etree.fromstring(xml.split("-->", 1)[1].encode()).findall("blended_group_assignment")


def test_programme_has_four_individual_and_two_group_assignments():
    modes = [node.get("mode") for node in assignments()]
    assert modes.count("individual") == 4 and modes.count("group") == 2
    group_one = next(node for node in assignments() if node.get("url_name") == "group-assignment-1")
    assert [g.get("name") for g in group_one.findall("group")][0] == "Team Sahel and Lake Chad"


def test_every_demo_assignment_loads_with_a_rubric(workbench):
    for node in assignments():
        usage = workbench.load(etree.tostring(node, encoding="unicode"))
        block = workbench.block(usage)
        assert block.max_score() > 0 and block.prompt
    for scenario_id, _title, xml in demo_scenarios():
        if scenario_id.startswith("blended.2") and "group-assignment" in scenario_id:
            node = etree.fromstring(xml.split("-->", 1)[1].encode()).find("blended_group_assignment")
            assert workbench.block(workbench.load(etree.tostring(node, encoding="unicode"))).max_score() > 0
