"""Request body limits: a form of very many fields or bytes is refused with 413 before it is
parsed, on every route; ordinary forms pass, and the company import takes larger files."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import csrf_token, post_form

URLENCODED = "application/x-www-form-urlencoded"
HEADER = "Organisationsnummer;Företagsnamn;SNI;Storlek;Kontaktperson;E-post\r\n"
ROW = "556036-0793;Ekby Måleri AB;43.341;3;Åsa Öberg;asa@maleri.example.com\r\n"


def _many_fields(count: int, token: str = "") -> bytes:
    return f"csrf_token={token}&".encode() + b"a=1&" * count


@pytest.mark.parametrize(
    "url", ["/login", "/account/reset", "/s/" + "A" * 43 + "/1", "/s/" + "A" * 43 + "/opt-out"]
)
def test_a_body_of_very_many_fields_is_refused_with_413(app: Flask, url: str) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(url, data=_many_fields(200_000, token), content_type=URLENCODED)
    assert response.status_code == 413
    assert "<main" in response.get_data(as_text=True)  # the friendly page


def test_the_reviewed_attack_body_is_refused_with_413(app: Flask) -> None:
    """900,000 fields, 8.9 MB: refused by its length alone, before a byte is parsed."""
    client = app.test_client()
    body = b"&".join(b"f%06d=x" % n for n in range(900_000))
    assert len(body) > 8_000_000
    response = client.post("/login", data=body, content_type=URLENCODED)
    assert response.status_code == 413


def test_a_multipart_form_of_very_many_parts_is_refused_with_413(app: Flask, login_as) -> None:
    client: FlaskClient = login_as("official")
    fields = {f"f{n}": "x" for n in range(1_500)}
    response = post_form(client, "/companies/new", fields, content_type="multipart/form-data")
    assert response.status_code == 413


def test_ordinary_forms_still_work(app: Flask, make_user) -> None:
    user = make_user("official")
    client = app.test_client()
    fields = {"email": user.email, "password": "korrekt-häftstift-2026", "note": "x" * 50_000}
    assert post_form(client, "/login", fields).status_code == 302


def test_the_company_import_takes_files_larger_than_a_form(app: Flask, login_as) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096  # the cap of every other route's body
    client = login_as("official")
    content = (HEADER + ROW + "\r\n" * 4000).encode()
    assert len(content) > 4096
    response = post_form(
        client,
        "/companies/import",
        {"file": (io.BytesIO(content), "foretag.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'value="import"' in response.get_data(as_text=True)  # the preview, one row to import
    refused = post_form(client, "/companies/new", {"name": "x" * 5000})
    assert refused.status_code == 413


def test_a_file_beyond_the_upload_limit_is_refused_with_413(app: Flask, login_as) -> None:
    app.config["SURVEY_MAX_UPLOAD_BYTES"] = 8192
    client = login_as("official")
    content = (HEADER + ROW * 200).encode()
    response = post_form(
        client,
        "/companies/import",
        {"file": (io.BytesIO(content), "foretag.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
