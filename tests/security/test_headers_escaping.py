"""Security headers on every response; user-written text and query parameters stay inert."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import select

from survey.extensions import db
from survey.models import OutboxMessage
from tests.factories import csrf_token, login
from tests.security.routes import Hit, crawl

PAYLOADS = ('"><img src=x onerror=alert(1)>', "<script>alert(1)</script>")
RAW_MARKERS = ("<img src=x onerror", "<script>alert(1)")
# Every text field a user can write, as the World fixture prefixes it.
LABELS = (
    "Företag",  # company name
    "Kontakt",  # contact name
    "Anteckning",  # visit notes
    "Handläggare",  # official's name
    "Utskick",  # survey name
    "Titel",  # battery title
    "Avsnitt",  # section title
    "Skala",  # question text
    "Hjälp",  # help text
    "Alternativ",  # option label
    "Svar",  # free-text answer
)
QUERY = "?" + "&".join(
    f"{name}={quote(PAYLOADS[1])}"
    for name in ("q", "page", "sort", "next", "lang", "battery", "period", "by", "area", "from")
)


def _clients(app, make_user) -> tuple[dict, dict]:
    clients, tokens = {"anonymous": app.test_client()}, {}
    tokens["anonymous"] = csrf_token(clients["anonymous"], "/login")
    clients["admin"] = app.test_client()
    login(clients["admin"], make_user("admin"))
    tokens["admin"] = csrf_token(clients["admin"], "/account/password")
    return clients, tokens


def _header_problems(hit: Hit) -> list[str]:
    headers, where = hit.headers, f"{hit.role} {hit.method} {hit.url} -> {hit.status}"
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    if not script_src or "unsafe-inline" in script_src or "unsafe-eval" in script_src:
        problems.append(f"{where}: CSP script-src {script_src!r}")
    if "frame-ancestors 'none'" not in csp and headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: may be framed")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: no nosniff")
    if not headers.get("Referrer-Policy"):
        problems.append(f"{where}: no Referrer-Policy")
    return problems


def _raw(hits: list[Hit]) -> list[str]:
    return [
        f"{hit.role} {hit.method} {hit.url} -> {hit.status}: raw {marker!r}"
        for hit in hits
        for marker in RAW_MARKERS
        if marker in hit.body and hit.headers.get("Content-Type", "").startswith("text/html")
    ]


@pytest.mark.any_database
def test_every_response_has_security_headers_and_no_query_echo(app, make_user) -> None:
    clients, tokens = _clients(app, make_user)
    hits = crawl(app, clients, tokens, query=QUERY)
    assert len(hits) > 100
    problems = [p for hit in hits for p in _header_problems(hit) if hit.headers]
    problems += [f"{h.role} {h.method} {h.url} -> 500 {h.body}" for h in hits if h.status >= 500]
    problems += _raw(hits)
    assert not problems, "\n".join(problems)


@pytest.mark.any_database
def test_hostile_form_values_come_back_escaped(app, make_user) -> None:
    clients, tokens = _clients(app, make_user)
    admin = clients["admin"]
    fields = (
        "name",
        "email",
        "q",
        "notes",
        "title_sv",
        "title_en",
        "text_sv",
        "contact_name",
        "org_number",
        "key",
        "password",
        "current_password",
        "subject",
        "body",
    )
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in (rule.methods or ()) or rule.arguments or rule.endpoint == "auth.logout":
            continue
        data = {name: PAYLOADS[0] for name in fields} | {"csrf_token": tokens["admin"]}
        response = admin.post(rule.rule, data=data)
        body = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"POST {rule.rule} -> {response.status_code}")
        if response.mimetype == "text/html":
            problems += [f"POST {rule.rule}: raw {m!r}" for m in RAW_MARKERS if m in body]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.any_database
def test_user_written_text_is_escaped_in_every_page(app, make_user, make_world, payload) -> None:
    app.config["SURVEY_MIN_GROUP_SIZE"] = 1  # the one response's comment is shown too
    world = make_world(payload)
    clients, tokens = _clients(app, make_user)
    with app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).first()
    real = {
        "company_id": world.company_id,
        "visit_id": world.visit_id,
        "survey_id": world.survey_id,
        "user_id": world.official_id,
        "key": world.battery_key,
        "number": world.version_number,
        "section_id": world.section_id,
        "question_id": world.question_id,
        "token": world.token,
        "invitation_id": world.invitation_id,
        "message_id": message_id,
        "page": 1,
        "org_number": world.org_number,
    }
    hits = crawl(app, clients, tokens, real=real, methods=("GET",))
    hits += crawl(app, clients, tokens, methods=("GET",), query=f"?battery={world.battery_key}")
    problems = _raw(hits) + [f"{h.url} -> {h.status} {h.body}" for h in hits if h.status >= 500]
    assert not problems, "\n".join(problems)
    pages = "\n".join(
        h.body for h in hits if h.headers.get("Content-Type", "").startswith("text/html")
    )
    escaped = str(escape(payload))
    missing = [label for label in LABELS if f"{label} {escaped}" not in pages]
    assert not missing, f"never shown (escaped) on any page: {missing}"


def test_mail_html_keeps_company_names_inert(app, make_world) -> None:
    make_world(PAYLOADS[0])
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage)).one()
    assert "Företag" in mail.text_body or "Företag" in mail.subject
    for marker in RAW_MARKERS:
        assert marker not in mail.html_body
