"""Every register, visit and user route against every role (a table test)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import csrf_token, login

PERMISSIONS = {
    None: set(),
    "analyst": {"read"},
    "official": {"read", "edit"},
    "admin": {"read", "edit", "admin"},
}
ROUTES = [
    ("GET", "/companies/", "read"),
    ("GET", "/companies/{c}", "read"),
    ("GET", "/companies/new", "edit"),
    ("POST", "/companies/new", "edit"),
    ("GET", "/companies/{c}/edit", "edit"),
    ("POST", "/companies/{c}/edit", "edit"),
    ("POST", "/companies/{c}/opt-out", "edit"),
    ("POST", "/companies/{c}/delete", "edit"),
    ("GET", "/companies/import", "edit"),
    ("POST", "/companies/import", "edit"),
    ("POST", "/companies/import/{token}", "edit"),
    ("GET", "/visits/", "read"),
    ("GET", "/companies/{c}/visits/new", "edit"),
    ("POST", "/companies/{c}/visits/new", "edit"),
    ("GET", "/visits/{v}/edit", "edit"),
    ("POST", "/visits/{v}/edit", "edit"),
    ("GET", "/users/", "admin"),
    ("GET", "/users/new", "admin"),
    ("POST", "/users/new", "admin"),
    ("GET", "/users/{u}", "admin"),
    ("POST", "/users/{u}", "admin"),
    ("POST", "/users/{u}/active", "admin"),
]


@pytest.mark.parametrize("role", list(PERMISSIONS))
def test_every_route_answers_each_role_as_its_permissions_say(
    app: Flask, role: str | None, make_user, make_company, make_visit
) -> None:
    colleague = make_user("official")
    company = make_company()
    visit = make_visit(company.id, [colleague.id])
    ids = {"c": company.id, "v": visit.id, "u": colleague.id, "token": "x" * 32}
    client = app.test_client()
    if role:
        login(client, make_user(role))
    token = csrf_token(client, "/companies/" if role else "/login")
    wrong = []
    for method, pattern, permission in ROUTES:
        url = pattern.format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        if role is None:
            ok = response.status_code == 302 and "/login" in response.location
        elif permission not in PERMISSIONS[role]:
            ok = response.status_code == 403
        else:
            ok = (
                response.status_code == 200
                if method == "GET"
                else response.status_code in (200, 302)
            )
        if not ok:
            wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, f"{role}: " + ", ".join(wrong)
