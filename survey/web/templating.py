"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.i18n import current_language
from survey.services.organisation import organisation


def localized(obj: Any, field: str) -> str:
    """Return `obj.<field>_<lang>`, falling back to Swedish when the English text is missing."""
    lang = current_language()
    value = getattr(obj, f"{field}_{lang}", None)
    return value or getattr(obj, f"{field}_sv", "") or ""


def url_with(**changes: Any) -> str:
    """Return the current URL with some query parameters replaced (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return f"{request.path}?{query}" if query else request.path


# The main menu: (endpoint, label, permission); entries whose feature is absent are skipped.
NAV = (
    ("dashboard.overview", _l("Dashboard"), "read"),
    ("companies.index", _l("Companies"), "read"),
    ("visits.index", _l("Visits"), "read"),
    ("followups.index", _l("Follow-ups"), "edit"),
    ("actions.index", _l("Action plans"), "read"),
    ("batteries.index", _l("Question batteries"), "read"),
    ("surveys.index", _l("Surveys"), "read"),
    ("exports.index", _l("Export"), "read"),
    ("users.index", _l("Users"), "admin"),
    ("organisation.edit", _l("Organisation"), "admin"),
)


def nav_items() -> list[tuple[str, str]]:
    """Return the menu entries the current user may use."""
    return [
        (endpoint, str(label))
        for endpoint, label, permission in NAV
        if endpoint in current_app.view_functions and current_user.can(permission)
    ]


def register(app: Flask) -> None:
    """Expose helpers to Jinja."""

    def fmt_date(value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return format_datetime(value, "yyyy-MM-dd HH:mm")
        return format_date(value, "yyyy-MM-dd")

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        localized=localized,
        url_with=url_with,
        current_language=current_language,
        nav_items=nav_items,
    )
    app.jinja_env.filters["fmt_date"] = fmt_date
    app.context_processor(sender)


def sender() -> dict[str, Any]:
    """Give every template (pages, mails, reports) `organisation`: who the sender is.

    Read lazily, once per request: a template that never uses it costs no query.
    """
    return {"organisation": LazyIdentity()}


class LazyIdentity:
    """`organisation` in templates: reads `organisation.current()` of
    survey.services.organisation on first use."""

    __slots__ = ("_identity",)

    def __init__(self) -> None:
        self._identity: organisation.Identity | None = None

    def __getattr__(self, name: str) -> Any:
        if self._identity is None:
            self._identity = organisation.current()
        return getattr(self._identity, name)
