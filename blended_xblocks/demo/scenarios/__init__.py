"""The demo programme and one scenario per feature, as OLX files in this folder.

Each `*.xml` file starts with `<!-- title: ... -->`; the file name (without `.xml`) is the
scenario id, so `/scenario/blended.<name>/` opens it. Files sort by name on the index page.

Dates are written relative to the day the demo is loaded, so every state of a live session
(finished, live now, upcoming) can be tried on any day. The loader expands placeholders:

    {{ <label>:<±N>d <HH:MM> }}      today (UTC date) plus N days, at that wall-clock time
                                     e.g. start="{{ start:-7d 11:00 }}" → start="2026-11-18T11:00"
    {{ <label>:<±N>m [<Zone/Name>] }}  now plus N minutes, as wall-clock time in that IANA zone
                                     (UTC if omitted), e.g. start="{{ start:-20m Europe/Zurich }}"

`<label>` only says what the value is for (start, closes, ...). The result is the local
"YYYY-MM-DDTHH:MM" form the blocks read together with their `timezone` attribute. An unknown
zone or a malformed placeholder is left as it is, so the block shows its own error.
"""
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FOLDER = Path(__file__).parent
TITLE = re.compile(r"<!--\s*title:\s*(.+?)\s*-->")
PLACEHOLDER = re.compile(
    r"\{\{\s*\w+:(?P<amount>[+-]?\d+)(?P<unit>[dm])(?:\s+(?P<clock>\d{1,2}:\d{2}))?(?:\s+(?P<zone>[\w+/-]+))?\s*\}\}")


def expand(xml: str, now: datetime | None = None) -> str:
    """Replace date placeholders (see the module docstring) relative to `now` (UTC)."""
    now = now or datetime.now(UTC)

    def replace(match):
        amount = int(match.group("amount"))
        if match.group("unit") == "d":
            hours, minutes = (int(part) for part in (match.group("clock") or "00:00").split(":"))
            if hours > 23 or minutes > 59:
                return match.group(0)
            day = (now + timedelta(days=amount)).date()
            return f"{day.isoformat()}T{hours:02d}:{minutes:02d}"
        try:
            zone = ZoneInfo(match.group("zone") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return match.group(0)
        return (now + timedelta(minutes=amount)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")

    return PLACEHOLDER.sub(replace, xml)


def demo_scenarios():
    """[(scenario id, title, OLX)] for every file in this folder, placeholders expanded."""
    found = []
    for path in sorted(FOLDER.glob("*.xml")):
        xml = expand(path.read_text(encoding="utf-8"))
        match = TITLE.search(xml)
        found.append((f"blended.{path.stem}", match.group(1) if match else path.stem, xml))
    return found
