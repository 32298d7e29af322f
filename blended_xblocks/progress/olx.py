"""The `<requirement>` children of `<blended_progress>`, in and out of OLX.

An imported course keeps every usable requirement and records each problem, which Studio and
the staff view then show; nothing in a course export is lost silently.
"""
from __future__ import annotations

from lxml import etree

from blended_xblocks.progress.requirements import Requirement, build_programme

ATTRIBUTES = ("id", "label", "kind", "blocks", "min", "min_score", "excused")


def requirements_from_node(node) -> tuple[list[dict], list[dict]]:
    """(requirements as stored in the block's field, problems) from the block's OLX node."""
    items = [{name: child.get(name, "") for name in ATTRIBUTES}
             for child in node if isinstance(child.tag, str) and child.tag == "requirement"]
    parsed = build_programme(items, strict=False)
    return [requirement.to_json() for requirement in parsed.requirements], [problem_json(p) for p in parsed.problems]


def problem_json(problem) -> dict:
    return {"code": problem.code, "message": problem.message, "params": problem.params,
            "requirement_id": problem.requirement_id}


def add_requirements_to_node(node, requirements: list[Requirement]):
    for requirement in requirements:
        attributes = {"id": requirement.id, "label": requirement.label, "kind": requirement.kind,
                      "blocks": " ".join(str(ref) for ref in requirement.blocks)}
        if requirement.min is not None:
            attributes["min"] = str(requirement.min)
        if requirement.min_score is not None:
            attributes["min_score"] = f"{requirement.min_score:g}"
        if requirement.excused_counts:
            attributes["excused"] = "true"
        etree.SubElement(node, "requirement", attributes)
