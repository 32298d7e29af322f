"""The demo course's structure, as the LMS keeps it in its block-structure cache.

The workbench names blocks `{scenario}.{type}.d{n}.u{n}` and forgets OLX `url_name`s. The LMS
names them by `url_name` in the course and can list a subsection's children without loading it;
the progress block needs both (`type/url_name` in its requirements, completion of a whole module).
`DemoRuntime` records every block here as the OLX is parsed. All demo scenarios are one course
(`BLENDED_DEMO_COURSE_KEY`), each scenario a page of it, as units are in the LMS: a name is looked
up in the asking block's own scenario first, then in the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoBlock:
    """One block of the demo course as the LMS's course structure would list it."""

    usage_id: str
    block_type: str
    url_name: str
    children: list = field(default_factory=list)
    display_name: str = ""


BLOCKS: dict[str, DemoBlock] = {}
BY_NAME: dict[tuple, str] = {}  # (scenario prefix, block type, url_name) -> usage id


def scenario_of(usage_id) -> str:
    return str(usage_id).split(".", 1)[0]


def record(usage_id, block_type: str, url_name: str, parent_id, display_name: str = ""):
    usage_id = str(usage_id)
    BLOCKS[usage_id] = DemoBlock(usage_id, block_type, url_name, BLOCKS.get(usage_id, DemoBlock("", "", "")).children,
                                 display_name)
    if url_name:
        BY_NAME[(scenario_of(usage_id), block_type, url_name)] = usage_id
    if url_name:
        BY_NAME[("", block_type, url_name)] = usage_id
    if parent_id is not None:
        siblings = BLOCKS.setdefault(str(parent_id), DemoBlock(str(parent_id), "", "")).children
        if usage_id not in siblings:  # the demo reloads its scenarios with the same ids
            siblings.append(usage_id)


def usage_id_for(near_usage_id, block_type: str, url_name: str) -> str | None:
    """The block named `type/url_name`: in the same scenario as `near_usage_id`, else in another."""
    return BY_NAME.get((scenario_of(near_usage_id), block_type, url_name)) or BY_NAME.get(("", block_type, url_name))


def title_of(usage_id) -> str:
    block = BLOCKS.get(str(usage_id))
    return block.display_name if block else ""


def blocks_in_course() -> list[tuple[str, str, str]]:
    """(type, url_name, title) of every named block of the course, once each (a name is found
    in the first scenario that has it, as `usage_id_for` finds it from another page)."""
    seen = {}
    for block in BLOCKS.values():
        if block.block_type and block.url_name:
            seen.setdefault((block.block_type, block.url_name), block.display_name)
    return [(block_type, url_name, title) for (block_type, url_name), title in seen.items()]


def leaves_under(usage_id: str) -> list[str]:
    block = BLOCKS.get(str(usage_id))
    if block is None:
        return [str(usage_id)]
    if not block.children:
        return [block.usage_id]
    return [leaf for child in block.children for leaf in leaves_under(child)]
