"""The demo programme and one scenario per feature, as OLX files in this folder.

Each `*.xml` file starts with `<!-- title: ... -->`; the file name (without `.xml`) is the
scenario id, so `/scenario/blended.<name>/` opens it. Files sort by name on the index page.
"""
import re
from pathlib import Path

FOLDER = Path(__file__).parent
TITLE = re.compile(r"<!--\s*title:\s*(.+?)\s*-->")


def demo_scenarios():
    """[(scenario id, title, OLX)] for every file in this folder."""
    found = []
    for path in sorted(FOLDER.glob("*.xml")):
        xml = path.read_text(encoding="utf-8")
        match = TITLE.search(xml)
        found.append((f"blended.{path.stem}", match.group(1) if match else path.stem, xml))
    return found
