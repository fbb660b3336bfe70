"""Who the sender is: the admin's settings page, the logo's checks and how it is served,
the fallback to SURVEY_CONTACT_*, and `organisation` in every template (pages and mail)."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from flask import Flask, render_template_string
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Organisation
from survey.services.organisation.logo import MAX_BYTES
from tests.factories import csrf_token, login, png_image

URL = "/settings/organisation"
SETTINGS = {
    "name": "Upplands-Bro kommun",
    "unit": "Näringslivsenheten",
    "contact_email": "naringsliv@upplands-bro.example.se",
    "contact_phone": "08-581 690 00",
    "website": "https://upplands-bro.example.se",
}


def jpeg_image(width: int = 3, height: int = 2) -> bytes:
    """Return a JPEG's structure: SOI, a baseline frame header, a scan and EOI."""
    frame = bytes([8]) + struct.pack(">HH", height, width) + bytes([1, 1, 0x11, 0])
    scan = bytes([1, 1, 0, 0, 63, 0])
    return (
        b"\xff\xd8"
        + b"\xff\xc0" + struct.pack(">H", 2 + len(frame)) + frame
        + b"\xff\xda" + struct.pack(">H", 2 + len(scan)) + scan
        + b"\x12\x34\x00"
        + b"\xff\xd9"
    )  # fmt: skip


def big_png() -> bytes:
    """A whole, valid PNG just over the size limit (incompressible pixels)."""
    side = 300
    rows = b"".join(
        b"\x00" + bytes((x * 7 + y * 13) % 251 for x in range(side * 3)) for y in range(side)
    )
    png = png_image(1, 1)
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    body = zlib.compress(rows, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    made = png[:8] + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    assert len(made) > MAX_BYTES
    return made


@pytest.fixture
def admin(app: Flask, make_user):  # noqa: ANN001, ANN201 - FlaskClient
    client = app.test_client()
    login(client, make_user("admin"))
    return client


def _post(client, data: dict, logo: bytes | None = None, filename: str = "logo.png", **kw):  # noqa: ANN001, ANN202
    form = {**data, "csrf_token": csrf_token(client, URL)}
    if logo is not None:
        form["logo"] = (io.BytesIO(logo), filename)
    return client.post(URL, data=form, content_type="multipart/form-data", **kw)


def _stored(app: Flask) -> Organisation | None:
    with app.app_context():
        return db.session.get(Organisation, 1)


def test_admin_sets_the_sender_and_companies_see_it(app: Flask, admin, invite_token) -> None:  # noqa: ANN001
    response = _post(admin, SETTINGS, png_image(40, 20))
    assert response.status_code == 302
    row = _stored(app)
    assert (row.name, row.unit, row.logo_type) == (
        "Upplands-Bro kommun",
        "Näringslivsenheten",
        "image/png",
    )
    form = admin.get(URL).get_data(as_text=True)
    assert 'value="Upplands-Bro kommun"' in form and "Ta bort logotypen" in form

    page = app.test_client().get(f"/s/{invite_token()}").get_data(as_text=True)
    logo_url = re.search(r'<img class="sender-logo" src="([^"]+)"', page).group(1)
    assert "Upplands-Bro kommun" in page and "Näringslivsenheten" in page
    assert "<title>" in page and "– Upplands-Bro kommun</title>" in page
    assert 'href="mailto:naringsliv@upplands-bro.example.se"' in page
    assert 'href="tel:08-58169000"' in page and 'href="https://upplands-bro.example.se"' in page
    logo = app.test_client().get(logo_url)
    assert logo.status_code == 200 and logo.data == png_image(40, 20)
    assert logo.mimetype == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert "default-src 'none'" in logo.headers["Content-Security-Policy"]
    assert "immutable" in logo.headers["Cache-Control"]
    assert app.test_client().get("/organisation/logo").headers["Cache-Control"] == "no-cache"
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organisation.update")
        )
        assert "logo" in event.details["fields"]


def test_a_new_logo_changes_its_address_and_removing_it_leaves_none(app: Flask, admin) -> None:  # noqa: ANN001
    _post(admin, SETTINGS, png_image(2, 2))
    first = re.search(r'src="(/organisation/logo\?v=\w+)"', admin.get(URL).get_data(as_text=True))
    _post(admin, SETTINGS, jpeg_image(), filename="logo.jpg")
    second = re.search(r'src="(/organisation/logo\?v=\w+)"', admin.get(URL).get_data(as_text=True))
    assert first.group(1) != second.group(1)
    assert admin.get(second.group(1)).mimetype == "image/jpeg"
    _post(admin, {**SETTINGS, "remove_logo": "y"})
    assert _stored(app).logo is None
    assert app.test_client().get("/organisation/logo").status_code == 404
    assert "organisation/logo" not in admin.get(URL).get_data(as_text=True)


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG_PLAIN = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"Org.nr;Namn\n556000-0000;AB\n", "logo.png", "Filen är ingen PNG- eller JPEG-bild."),
        (b"<html><script>alert(1)</script></html>", "logo.png", "ingen PNG- eller JPEG-bild"),
        (SVG_SCRIPT, "logo.svg", "SVG-filer tas inte emot"),
        (SVG_SCRIPT, "logo.png", "SVG-filer tas inte emot"),
        (SVG_PLAIN, "logo.svg", "SVG-filer tas inte emot"),
        (png_image()[:-12], "logo.png", "skadad eller ofullständig"),  # no IEND
        (png_image()[:23] + b"\x07" + png_image()[24:], "logo.png", "skadad"),  # bad CRC
        (png_image() + b"<script>", "logo.png", "skadad"),  # something after IEND
        (jpeg_image()[:-2], "logo.jpg", "skadad"),  # no EOI
        (png_image(5000, 1), "logo.png", "högst 4000 pixlar"),
        (jpeg_image(1, 4001), "logo.jpg", "högst 4000 pixlar"),
        (big_png(), "logo.png", "för stor: högst 256 kB"),
    ],
    ids=[
        "csv-renamed-png", "html-renamed-png", "svg-script", "svg-script-renamed-png",
        "svg-plain", "png-truncated", "png-bad-crc", "png-trailing", "jpeg-truncated",
        "png-too-wide", "jpeg-too-high", "too-large",
    ],
)  # fmt: skip
def test_a_logo_that_is_not_a_whole_png_or_jpeg_is_refused_beside_the_field(
    app: Flask,
    admin,
    data: bytes,
    filename: str,
    message: str,  # noqa: ANN001
) -> None:
    html = _post(admin, SETTINGS, data, filename=filename).get_data(as_text=True)
    error = re.search(r'<p class="error" id="logo-error">([^<]*)</p>', html)
    assert error and message in error.group(1), html[:3000]
    assert 'value="Upplands-Bro kommun"' in html and 'value="08-581 690 00"' in html
    assert 'aria-invalid="true"' in html
    assert _stored(app) is None  # nothing saved, the other fields neither
    assert app.test_client().get("/organisation/logo").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "Detta fält är obligatoriskt."),
        ("name", "Kommun\r\nBcc: x@example.se", "på en rad"),
        ("unit", "Enhet\nX", "på en rad"),
        ("contact_email", "inte-en-adress", "e-postadress"),
        ("contact_phone", "ring oss", "telefonnummer"),
        ("website", "javascript:alert(1)", "https://"),
        ("website", "upplands-bro.se", "https://"),
    ],
)
def test_a_wrong_value_comes_back_beside_its_field_in_swedish_and_english(
    app: Flask,
    admin,
    field: str,
    value: str,
    message: str,  # noqa: ANN001
) -> None:
    html = _post(admin, {**SETTINGS, field: value}).get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error, html[:3000]
    if not message.startswith("Detta"):
        assert message in error.group(1)
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    assert _stored(app) is None
    english = _post(admin, {**SETTINGS, field: value}, query_string={"lang": "en"})
    assert re.search(rf'id="{field}-error">[A-Z][a-z]', english.get_data(as_text=True))


def test_only_admins_change_the_sender(app: Flask, login_as) -> None:  # noqa: ANN001
    official = login_as("official")
    assert official.get(URL).status_code == 403
    token = csrf_token(official, "/account/password")
    response = official.post(URL, data={**SETTINGS, "csrf_token": token})
    assert response.status_code == 403 and _stored(app) is None


def test_without_settings_the_contact_settings_speak(app: Flask, invite_token) -> None:  # noqa: ANN001
    app.config.update(
        SURVEY_CONTACT_NAME="Näringslivskontoret", SURVEY_CONTACT_EMAIL="nk@ort.example.se"
    )
    page = app.test_client().get(f"/s/{invite_token()}").get_data(as_text=True)
    assert "Näringslivskontoret" in page and "mailto:nk@ort.example.se" in page
    assert "sender-logo" not in page
    with app.test_request_context("/"):
        text = render_template_string(
            "{{ organisation.name }}|{{ organisation.unit }}|{{ organisation.logo_url }}|"
            "{{ organisation.contact_email }}|{{ organisation.contact_phone }}|"
            "{{ organisation.website }}"
        )
    assert text == "Näringslivskontoret||None|nk@ort.example.se||"


def test_every_template_has_organisation_read_once_per_request(app: Flask, admin) -> None:  # noqa: ANN001
    _post(admin, SETTINGS, png_image())
    with app.test_request_context("/"):
        statements = []
        from sqlalchemy import event

        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            first = render_template_string("{{ organisation.name }} {{ organisation.logo_url }}")
            second = render_template_string("{{ organisation.unit }}, {{ organisation.website }}")
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert first.startswith("Upplands-Bro kommun /organisation/logo?v=")
    assert second == "Näringslivsenheten, https://upplands-bro.example.se"
    assert len([s for s in statements if "organisation" in s]) == 1


def test_the_demo_names_ekby_kommun(app: Flask) -> None:
    import random

    from survey.demo import municipality

    with app.app_context():
        municipality.name_the_sender(municipality.DemoContext(rng=random.Random(1)))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1
        assert db.session.get(Organisation, 1).name == "Ekby kommun"
