"""Every route of the app with its declared access level, and a crawler over all of them.

When you add a route, classify its endpoint in EXPECTED. The levels:

- public: anyone, no login (login page, static files, health check, password reset)
- token:  public respondent pages under /s/<token>; a bad token gets the neutral 404 page
- api:    JSON API; no or a bad bearer token gets 401 (whatever the session)
- api_public: the API's own description
- login:  any logged-in user, whatever the role (logout)
- read:   analysts, officials and admins
- edit:   officials and admins
- admin:  admins only (users, personal-data reports)

A dict value gives a level per HTTP method.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from survey.web.security import CACHEABLE

EXPECTED: dict[str, str | dict[str, str]] = {
    "static": "public",
    "main.health": "public",
    "main.index": "read",
    "auth.login": "public",
    "auth.logout": "login",
    "account.reset_request": "public",
    "account.reset_sent": "public",
    "account.reset": "public",
    "account.change_password": "read",
    "privacy.company_report": "admin",
    "api.openapi": "api_public",
    "api.batteries": "api",
    "api.battery": "api",
    "api.responses": "api",
    "api.stats": "api",
    "api.stats_measures": "api",
    "api.stats_skr": "api",
    "api.fallback": "api",
    "followups.index": "edit",
    "followups.new": "edit",
    "followups.show": "edit",
    "followups.assign": "edit",
    "followups.contacted": "edit",
    "followups.close": "edit",
    "batteries.index": "read",
    "batteries.show": "read",
    "batteries.version": "read",
    "batteries.preview": "read",
    "batteries.create": "edit",
    "batteries.archive": "edit",
    "batteries.new_draft": "edit",
    "batteries.duplicate": "edit",
    "batteries.publish": "edit",
    "batteries.texts": "edit",
    "batteries.section": "edit",
    "batteries.move_section": "edit",
    "batteries.remove_section": "edit",
    "batteries.question": "edit",
    "batteries.move_question": "edit",
    "batteries.remove_question": "edit",
    "batteries.question_preview": "edit",
    "batteries.library": "edit",
    "batteries.place_question": "edit",
    "batteries.place_section": "edit",
    "batteries.compare": "read",
    "companies.index": "read",
    "companies.show": "read",
    "companies.new": "edit",
    "companies.edit": "edit",
    "companies.opt_out": "edit",
    "companies.delete": "edit",
    "companies.import_file": "edit",
    "companies.import_confirm": "edit",
    "companies.import_template": "edit",
    "visits.index": "read",
    "visits.start": "edit",
    "visits.new": "edit",
    "visits.edit": "edit",
    "actions.index": "read",
    "actions.show": "read",
    "actions.new": "edit",
    "actions.edit": "edit",
    "interviews.choose": "edit",
    "interviews.fill": "edit",
    "surveys.index": "read",
    "surveys.show": "read",
    "surveys.new": "edit",
    "surveys.edit": "edit",
    "recipients.choose": "edit",
    "recipients.pick": "edit",
    "recipients.upload": "edit",
    "recipients.confirm": "edit",
    "surveys.mail_one": "edit",
    "surveys.confirm_resend": "edit",
    "surveys.close": "edit",
    "outbox.index": "edit",
    "outbox.show": "edit",
    "outbox.requeue": "edit",
    "dashboard.overview": "read",
    "dashboard.comments": "read",
    "dashboard.data": "read",
    "dashboard.data_excel": "read",
    "dashboard.factors": "read",
    "dashboard.priority": "read",
    "dashboard.questions": "read",
    "dashboard.report": "read",
    "dashboard.responses": "read",
    "dashboard.plotly_bundle": "public",
    "exports.index": "read",
    "exports.aggregates": "read",
    "exports.tokens": "read",
    "exports.revoke": "read",
    "respond.start": "token",
    "respond.page": "token",
    "respond.one_page": "token",
    "respond.saved": "token",
    "respond.review": "token",
    "respond.thanks": "token",
    "respond.opt_out": "token",
    "users.index": "admin",
    "users.new": "admin",
    "users.show": "admin",
    "users.set_active": "admin",
    "users.rename": "admin",
    "users.send_password_link": "admin",
    "organisation.edit": "admin",
    "organisation.logo": "public",
}

ROLES = ("anonymous", "analyst", "official", "admin")
GRANTS = {
    "analyst": {"read", "login"},
    "official": {"read", "edit", "login"},
    "admin": {"read", "edit", "admin", "login"},
}
# Values for URL arguments that name nothing that exists.
DUMMY: dict[str, Any] = {
    "int": 999999,
    "token": "A" * 43,
    "key": "no-such-key",
    "org_number": "556000-0000",
    "chart": "no-such-chart",
    "filename": "no/such/file.css",
    "direction": "up",
    "what": "remind",
    "page": 1,
}


@dataclass(frozen=True)
class Hit:
    """One request made by the crawler and what came back."""

    role: str
    method: str
    url: str
    endpoint: str
    level: str
    status: int
    location: str
    headers: Any
    body: str
    real: bool


def level_of(endpoint: str, method: str) -> str | None:
    """Return the declared access level of an endpoint for a method, or None if unclassified."""
    level = EXPECTED.get(endpoint)
    if isinstance(level, dict):
        return level.get(method)
    return level


def methods_of(rule: Rule) -> list[str]:
    """Return the methods a rule answers, without the automatic HEAD and OPTIONS."""
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def unclassified(app: Flask) -> list[str]:
    """Return 'endpoint METHOD (rule)' for every route missing from EXPECTED."""
    return [
        f"{rule.endpoint} {method} ({rule.rule})"
        for rule in app.url_map.iter_rules()
        for method in methods_of(rule)
        if level_of(rule.endpoint, method) is None
    ]


def _argument_value(rule: Rule, name: str, real: dict[str, Any] | None, number: int | None) -> Any:
    if real is not None:
        return real.get(f"{rule.endpoint}:{name}", real.get(name))
    converter = rule._converters[name]  # noqa: SLF001 - the rule's own converter names the type
    if isinstance(converter, IntegerConverter):
        if number is not None:
            return number
        return DUMMY["page"] if name == "page" else DUMMY["int"]
    return DUMMY.get(name, "no-such-thing")


def build_url(
    app: Flask, rule: Rule, real: dict[str, Any] | None = None, number: int | None = None
) -> str | None:
    """Return a URL for a rule with dummy (or real) arguments; None when a real one is unknown.

    ``number`` goes into every whole-number argument as it is written (say, one beyond the
    database's range), whatever range the rule's converter would accept.
    """
    values = {}
    for name in rule.arguments:
        if rule.defaults and name in rule.defaults:
            continue
        value = _argument_value(rule, name, real, number)
        if value is None:
            return None
        values[name] = value
    if number is not None:
        return _ARGUMENT.sub(lambda match: str(values[match.group(1)]), rule.rule)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        url = adapter.build(rule.endpoint, values, method=methods_of(rule)[0])
    # The rule may not be the first one of its endpoint: check the URL maps back to it.
    return url if url else None


_ARGUMENT = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def rules(app: Flask) -> Iterator[Rule]:
    """Yield the app's rules in a stable order, logout last (it ends the session)."""
    return iter(
        sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.rule))
    )


def crawl(
    app: Flask,
    clients: dict[str, FlaskClient],
    csrf: dict[str, str],
    *,
    real: dict[str, Any] | None = None,
    methods: tuple[str, ...] = ("GET", "POST"),
    query: str = "",
    number: int | None = None,
    endpoints: Container[str] | None = None,
) -> list[Hit]:
    """Request every route (or those of `endpoints`) as every role; with `real`, build URLs
    from existing objects, with `number`, put that number in every whole-number argument."""
    hits = []
    for rule in rules(app):
        if endpoints is not None and rule.endpoint not in endpoints:
            continue
        url = build_url(app, rule, real, number)
        if url is None:
            continue
        for method in methods_of(rule):
            if method not in methods or (real is not None and method != "GET"):
                continue
            level = level_of(rule.endpoint, method) or "unclassified"
            for role, client in clients.items():
                if rule.endpoint == "auth.logout" and role != "anonymous":
                    continue  # ending the session would spoil the rest of the crawl
                data = {"csrf_token": csrf[role]} if method == "POST" else None
                hits.append(
                    _request(
                        client,
                        method,
                        url + query,
                        data,
                        rule.endpoint,
                        level,
                        role,
                        real is not None,
                    )
                )
    return hits


def stored_by_caches(hits: list[Hit]) -> list[str]:
    """Return the responses that a cache may keep: every one but a static asset's must say
    `Cache-Control: no-store` (personal data)."""
    return [
        f"{hit.role} {hit.method} {hit.url} -> {hit.status}: {hit.headers.get('Cache-Control')}"
        for hit in hits
        if hit.endpoint not in CACHEABLE and hit.headers.get("Cache-Control") != "no-store"
    ]


TEXT_TYPES = ("text/html", "application/json", "text/csv", "text/plain")


def _request(
    client: FlaskClient,
    method: str,
    url: str,
    data: dict[str, str] | None,
    endpoint: str,
    level: str,
    role: str,
    real: bool,
) -> Hit:
    try:
        response = client.open(url, method=method, data=data)
    except Exception as error:  # noqa: BLE001 - an escaped exception is a 500 to report
        return Hit(role, method, url, endpoint, level, 500, "", {}, f"{error!r}"[:300], real)
    body = response.get_data(as_text=True) if response.mimetype in TEXT_TYPES else ""
    response.close()
    return Hit(
        role,
        method,
        url,
        endpoint,
        level,
        response.status_code,
        response.headers.get("Location", ""),
        response.headers,
        body,
        real,
    )
