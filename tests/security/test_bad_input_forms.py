"""Hostile input to the forms: never a server error, never a partial write."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, AuditEvent, Company, Response, User
from tests.factories import PASSWORD, csrf_token, login
from tests.security.hostile import SETTINGS, hostile_bytes, post_raw

COMPANY_FIELDS = (
    "org_number",
    "name",
    "sni_code",
    "size_class",
    "contact_name",
    "contact_email",
    "opted_out",
)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_login_form_survives_hostile_input(app, make_user) -> None:
    make_user("official")
    client = app.test_client()
    token = csrf_token(client, "/login")
    users = _count(app, User)

    @SETTINGS
    @given(email=hostile_bytes, password=hostile_bytes, extra=st.booleans())
    @example(email=b"a\x00b@c.se", password=b"x", extra=False)  # was a 500 on PostgreSQL
    def check(email: bytes, password: bytes, extra: bool) -> None:
        fields = {"email": email, "password": password}
        if extra:
            fields["email"] = email * 3
            fields["unexpected"] = password
        response = post_raw(client, "/login", fields, token)
        assert response.status_code in (200, 400, 413, 429), response.status_code
        assert "session" not in response.headers.get("Location", "")

    check()
    assert _count(app, User) == users
    assert client.get("/").status_code == 302


def test_company_form_survives_hostile_input(app, make_user) -> None:
    client = app.test_client()
    login(client, make_user("official"))
    token = csrf_token(client, "/companies/new")

    @SETTINGS
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(COMPANY_FIELDS, hostile_bytes)))
    @example(values={"org_number": b"556036-0793", "name": b"A\x00B"})  # was a 500 on PostgreSQL
    def check(values: dict[str, bytes]) -> None:
        before = _count(app, Company)
        response = post_raw(client, "/companies/new", values, token)
        assert response.status_code in (200, 302, 400, 413), response.status_code
        after = _count(app, Company)
        if response.status_code == 302:
            assert after == before + 1
            with app.app_context():
                company = db.session.scalars(select(Company).order_by(Company.id.desc())).first()
                assert company.name.strip() and len(company.org_number) == 11
                assert "\x00" not in company.name
        else:
            assert after == before

    check()


def test_respondent_form_survives_hostile_input(app, make_world) -> None:
    world = make_world()
    client = app.test_client()
    start = client.get(f"/s/{world.token}")
    assert start.status_code == 200
    token = csrf_token(client, f"/s/{world.token}/1")
    keys = ("Q_SCALE", "Q_CHOICE", "Q_TEXT", "csrf_token", "action", "page", "Q_SCALE-dont_know")
    responses, answers = _count(app, Response), _count(app, Answer)

    @SETTINGS
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(keys, hostile_bytes)))
    @example(values={"Q_TEXT": b"a\x00b", "page": b"1"})
    def check(values: dict[str, bytes]) -> None:
        for url in (f"/s/{world.token}/1", f"/s/{world.token}/review"):
            response = post_raw(client, url, values, None if "csrf_token" in values else token)
            assert response.status_code in (200, 302, 400, 404, 413, 429), response.status_code

    check()
    assert _count(app, Response) == responses  # a review POST without a valid form stores nothing
    assert _count(app, Answer) == answers


def test_too_large_request_gets_the_friendly_413_page(app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": "a@b.se", "password": "x" * 10_000}
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "<main" in html and ("too large" in html or "för stor" in html)
    assert _count(app, AuditEvent) == 0


def test_max_content_length_is_configured(app) -> None:
    assert 1024 <= app.config["MAX_CONTENT_LENGTH"] <= 50 * 1024 * 1024


@pytest.mark.parametrize("field", ["email", "password", "csrf_token", "x\x00"])
def test_nul_in_any_login_field_is_refused(app, make_user, field: str) -> None:
    user = make_user("official")
    client = app.test_client()
    token = csrf_token(client, "/login")
    fields = {"email": user.email.encode(), "password": PASSWORD.encode()}
    fields[field] = fields.get(field, b"") + b"\x00"
    response = post_raw(client, "/login", fields, None if field == "csrf_token" else token)
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("field", COMPANY_FIELDS)
def test_nul_in_any_company_field_writes_nothing(app, make_user, field: str) -> None:
    client = app.test_client()
    login(client, make_user("official"))
    token = csrf_token(client, "/companies/new")
    values = {"org_number": b"556677-8899", "name": b"Nul AB", "contact_email": b"a@b.se"}
    values[field] = values.get(field, b"x") + b"\x00y"
    assert post_raw(client, "/companies/new", values, token).status_code == 400
    assert _count(app, Company) == 0


@pytest.mark.parametrize(
    "url", ["/companies/?q=a%00b", "/batteries/a%00b", "/dashboard?battery=%00", "/s/a%00b"]
)
def test_nul_in_path_or_query_is_refused(app, make_user, url: str) -> None:
    client = app.test_client()
    login(client, make_user("admin"))
    assert client.get(url).status_code == 400
