"""OLX for webinar tests: a session starting `minutes` from now, written in the organiser's zone."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def local(minutes, tz="Africa/Dakar"):
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")


def webinar(minutes=24 * 60, tz="Africa/Dakar", body="", **attrs):
    attrs.setdefault("display_name", "Webinar 3: Reintegration at community level")
    attrs.setdefault("join_url", "https://meet.example.org/kmh-3")
    attributes = " ".join(f'{key}="{value}"' for key, value in attrs.items())
    return f'<blended_webinar start="{local(minutes, tz)}" timezone="{tz}" {attributes}>{body}</blended_webinar>'
