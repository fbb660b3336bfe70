"""Request body limits: small for forms on every route, larger for the views that take a file.

Flask's `MAX_CONTENT_LENGTH` caps every body (a larger one is refused with 413 before it is
read); `MAX_FORM_PARTS` caps the fields of a multipart body, and here of a url-encoded body
too (Werkzeug applies it to multipart only), so a body of very many tiny fields is refused
before it is parsed instead of costing seconds of CPU. A view marked `accepts_upload` gets
`SURVEY_MAX_UPLOAD_BYTES` instead, set on its request before anything reads the body.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import IO, Any, TypeVar

from flask import Flask, current_app, request
from flask.wrappers import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

F = TypeVar("F", bound=Callable[..., Any])
_UPLOAD = "accepts_upload"
URLENCODED = "application/x-www-form-urlencoded"


class FormParser(FormDataParser):
    """Werkzeug's form parser, with its multipart field limit applied to url-encoded bodies."""

    def parse(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str] | None = None,
    ) -> tuple[IO[bytes], Any, Any]:
        """Refuse (413) a url-encoded body of more than `max_form_parts` fields, then parse."""
        if mimetype == URLENCODED and self.max_form_parts is not None:
            body = stream.read()  # the stream is limited to max_content_length
            if body.count(b"&") >= self.max_form_parts:
                raise RequestEntityTooLarge()
            stream = BytesIO(body)
        return super().parse(stream, mimetype, content_length, options)


class LimitedRequest(Request):
    """The app's request: form bodies parsed with `FormParser`."""

    form_data_parser_class = FormParser


def accepts_upload(view: F) -> F:
    """Let a view's request body be as large as `SURVEY_MAX_UPLOAD_BYTES` (a file upload)."""
    setattr(view, _UPLOAD, True)
    return view


def allow_uploads(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Raise the body limit for a view marked `accepts_upload`.

    A URL value preprocessor, so it runs before every before-request function (CSRF
    protection reads the form, and so parses the body, in one of them).
    """
    view = current_app.view_functions.get(endpoint or "")
    if view is not None and getattr(view, _UPLOAD, False):
        request.max_content_length = current_app.config["SURVEY_MAX_UPLOAD_BYTES"]


def register(app: Flask) -> None:
    """Parse every request with the limits above."""
    app.request_class = LimitedRequest
    app.url_value_preprocessor(allow_uploads)
