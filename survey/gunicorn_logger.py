"""Gunicorn's logger with token links masked in its access and error logs.

Named by ``logger_class`` in gunicorn.conf.py, which gunicorn reads from the directory it is
started in (`gunicorn wsgi:app` in the project's root, as the deployment guide says).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from survey.log_masking import mask_logger


class TokenMaskingLogger(Logger):
    """Gunicorn's own logger, with `survey.log_masking.MaskTokens` on both of its logs."""

    def setup(self, cfg: Any) -> None:
        """Set the logs up as gunicorn does, then mask token links in them."""
        super().setup(cfg)
        mask_logger(self.access_log)
        mask_logger(self.error_log)
