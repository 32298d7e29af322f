"""The demo course's structure, as the LMS keeps it in its block-structure cache.

The workbench names blocks `{scenario}.{type}.d{n}.u{n}` and forgets OLX `url_name`s. The LMS
names them by `url_name` in the course and can list a subsection's children without loading it;
the progress block needs both (`type/url_name` in its requirements, completion of a whole module).
`DemoRuntime` records every block here as the OLX is parsed; one demo scenario is one course.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoBlock:
    usage_id: str
    block_type: str
    url_name: str
    children: list = field(default_factory=list)


BLOCKS: dict[str, DemoBlock] = {}
BY_NAME: dict[tuple, str] = {}  # (scenario prefix, block type, url_name) -> usage id


def scenario_of(usage_id) -> str:
    return str(usage_id).split(".", 1)[0]


def record(usage_id, block_type: str, url_name: str, parent_id):
    usage_id = str(usage_id)
    BLOCKS[usage_id] = DemoBlock(usage_id, block_type, url_name, BLOCKS.get(usage_id, DemoBlock("", "", "")).children)
    if url_name:
        BY_NAME[(scenario_of(usage_id), block_type, url_name)] = usage_id
    if parent_id is not None:
        BLOCKS.setdefault(str(parent_id), DemoBlock(str(parent_id), "", "")).children.append(usage_id)


def usage_id_for(near_usage_id, block_type: str, url_name: str) -> str | None:
    """The block named `type/url_name` in the same scenario (course) as `near_usage_id`."""
    return BY_NAME.get((scenario_of(near_usage_id), block_type, url_name))


def leaves_under(usage_id: str) -> list[str]:
    block = BLOCKS.get(str(usage_id))
    if block is None:
        return [str(usage_id)]
    if not block.children:
        return [block.usage_id]
    return [leaf for child in block.children for leaf in leaves_under(child)]
