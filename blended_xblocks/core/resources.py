"""Where the package's `static/`, `templates/` and `translations/` folders are (the template engine
every block and mail renders with is `core.rendering.TEMPLATES`).

In the repository they sit beside the package (the design card); in a wheel they are inside it
(`blended_xblocks/static`, `blended_xblocks/translations`, see setup.py). Both layouts work.
"""
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"


@cache
def resource_dir(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"blended_xblocks: no {name}/ folder next to or inside {PACKAGE_DIR}")


def static_path(relative: str) -> Path:
    """A file under static/, refusing anything that would leave the folder."""
    root = resource_dir("static")
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise FileNotFoundError(relative)
    return path
