"""The exports blueprint and the streamed-download helper its view modules share."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from flask import Blueprint, Response, stream_with_context

bp = Blueprint("exports", __name__, url_prefix="/exports")


def download(
    body: Iterator[str] | bytes | str, filename: str, mimetype: str, *, stream: bool = False
) -> Response:
    """Return a file download; a generator body is streamed within the request's context."""
    if stream:
        response = Response(stream_with_context(body), mimetype=mimetype)  # type: ignore[arg-type]
    else:
        response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
