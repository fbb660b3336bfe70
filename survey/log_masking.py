"""Token links masked in the logs: a logged path must not open a company's survey or reset
an account's password.

`MaskTokens` is a logging filter that rewrites a record whose text holds `/s/<token>` or
`/account/reset/<token>` (in a request line, a path or a referrer alike) to show
`/s/[token]` instead. It is attached to Werkzeug's development-server log here, and to
gunicorn's access and error logs by `survey.gunicorn_logger` (named in gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/s/|/account/reset/)(?!sent(?:[/?#\s\"]|$))[^/?#\s\"]+")
MASK = "[token]"


def mask_tokens(text: str) -> str:
    """Return ``text`` with the token of every survey or reset link replaced by a mask."""
    return _TOKEN_PATH.sub(rf"\1{MASK}", text)


class MaskTokens(logging.Filter):
    """Rewrite a log record so that no token link appears in its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def mask_logger(logger: logging.Logger) -> None:
    """Attach `MaskTokens` to a logger (once)."""
    if not any(isinstance(existing, MaskTokens) for existing in logger.filters):
        logger.addFilter(MaskTokens())


def register() -> None:
    """Mask token links in the access log of Werkzeug's development server."""
    mask_logger(logging.getLogger("werkzeug"))
