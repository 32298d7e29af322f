"""A handler's answer to "download this": a redirect to our streamed download view (core/downloads.py)."""
from __future__ import annotations

from webob import Response

from blended_xblocks.core.downloads import download_url

__all__ = ["download_url", "redirect"]


def redirect(block, kind: str, filename: str, **extra) -> Response:
    """A redirect to the download, bound to the current user (rights checked by the handler before)."""
    url = download_url(kind=kind, usage_key=block.usage_key_string, course_key=block.course_key_string,
                       user_id=block.current_user.user_id, filename=filename, **extra)
    return Response(status=302, location=url)
