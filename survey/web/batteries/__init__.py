"""The battery builder, its preview, and the routes that edit drafts."""

from __future__ import annotations

from survey.web.batteries import editor, questions, views  # noqa: F401  (register the routes)
from survey.web.batteries.blueprint import bp

__all__ = ["bp"]
