"""Company CSV import through the web pages: encodings, bad rows, confirm and re-import."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Company
from tests.factories import post_form

HEADER = "Organisationsnummer;Företagsnamn;SNI;Storlek;Kontaktperson;E-post\r\n"
GOOD_ROWS = (
    "556036-0793;Ekby Måleri AB;43.341;3;Åsa Öberg;asa@maleri.example.com\r\n"
    "195560360801;Björkås Bageri AB;10711;10-49;Lärs Ärlig;lars@bageri.example.com\r\n"
)


def _upload(client, content: bytes):  # noqa: ANN202
    return post_form(
        client,
        "/companies/import",
        {"file": (io.BytesIO(content), "foretag.csv")},
        content_type="multipart/form-data",
    )


def _action(preview_html: str) -> str:
    return re.search(r'action="(/companies/import/[^"]+)"', preview_html).group(1)


def _previewed(preview_html: str) -> str:
    return re.search(r'name="previewed" value="([^"]*)"', preview_html).group(1)


def _confirm(client, preview_html: str, mapping: dict[str, str] | None = None):  # noqa: ANN202
    fields = {"action": "import"}
    if mapping is not None:
        fields |= mapping | {"previewed": _previewed(preview_html)}
    return post_form(client, _action(preview_html), fields, form_url="/companies/import")


def _post_preview(client, preview_html: str, mapping: dict[str, str]):  # noqa: ANN202
    fields = {"action": "preview", "previewed": _previewed(preview_html)} | mapping
    return post_form(client, _action(preview_html), fields, form_url="/companies/import")


def _names(app: Flask) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(Company.org_number, Company.name)).all()
        return dict(rows)


@pytest.mark.parametrize(
    "content",
    [
        (HEADER + GOOD_ROWS).encode("utf-8"),
        (HEADER + GOOD_ROWS).encode("utf-8-sig"),
        (HEADER + GOOD_ROWS).encode("cp1252"),
        (HEADER + GOOD_ROWS).replace(";", ",").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "cp1252-comma"],
)
def test_good_file_imports_after_confirmation_with_letters_intact(
    app: Flask, login_as, content: bytes
) -> None:
    client = login_as("official")
    preview = _upload(client, content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert _names(app) == {}
    assert "2 rader kan importeras" in html
    response = _confirm(client, html)
    assert response.status_code == 302
    assert _names(app) == {"556036-0793": "Ekby Måleri AB", "556036-0801": "Björkås Bageri AB"}
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.name == "Ekby Måleri AB"))
        assert (company.size_class, company.sni_section) == ("1-9", "F")
        assert company.contact_name == "Åsa Öberg"


BAD_FILE = (
    "orgnr,namn,email,storlek\n"
    "556036-0793,Bra AB,bra@example.com,1-9\n"
    "556036-0794,Fel Kontrollsiffra AB,,\n"
    "556036-0801,,x@example.com,\n"
    "556036-0819,Dålig Epost AB,inte-en-adress,\n"
    "556036-0827,Dålig Storlek AB,,många\n"
    '"19556036-0793","Dubblett AB",,\n'
)


def test_bad_rows_are_listed_with_line_and_reason_and_nothing_is_written(
    app: Flask, login_as
) -> None:
    client = login_as("official")
    html = _upload(client, BAD_FILE.encode()).get_data(as_text=True)
    problems = re.findall(r'<td class="num">(\d+)</td><td>([^<]+)</td>', html)
    assert problems == [
        ("3", "orgnr"),
        ("4", "namn"),
        ("5", "email"),
        ("6", "storlek"),
        ("7", "orgnr"),
    ]
    assert "rad 2" in html.lower()  # the duplicate names the first line
    assert _names(app) == {}
    _confirm(client, html)
    assert _names(app) == {"556036-0793": "Bra AB"}


def test_reimport_updates_by_org_number_and_keeps_values_of_empty_cells(
    app: Flask, login_as, make_company
) -> None:
    make_company(org_number="556036-0793", name="Gamla Namnet AB", contact_name="Kvar Kvarsson")
    client = login_as("official")
    content = "orgnr;namn;kontaktperson\n5560360793;Nya Namnet AB;\n556036-0801;Ny AB;Ny Person\n"
    html = _upload(client, content.encode()).get_data(as_text=True)
    assert "1 nytt företag" in html and "1 uppdatering." in html
    _confirm(client, html)
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 2
        company = db.session.scalar(select(Company).where(Company.org_number == "556036-0793"))
        assert (company.name, company.contact_name) == ("Nya Namnet AB", "Kvar Kvarsson")


def test_file_without_an_org_number_column_asks_which_column_holds_it(app: Flask, login_as) -> None:
    client = login_as("official")
    response = _upload(client, b"nr;namn;epost\n5560360793;Bolaget AB;a@example.com\n")
    html = response.get_data(as_text=True)
    assert 'id="mapping-error"' in html
    assert "Välj kolumnen som innehåller: Organisationsnummer." in html
    assert 'value="import"' not in html
    chosen = {"column-0": "org_number", "column-1": "name", "column-2": "contact_email"}
    html = _post_preview(client, html, chosen).get_data(as_text=True)
    assert "mapping-error" not in html and "1 rad kan importeras" in html
    _confirm(client, html, chosen)
    assert _names(app) == {"556036-0793": "Bolaget AB"}


def test_confirming_an_unknown_upload_writes_nothing(app: Flask, login_as) -> None:
    client = login_as("official")
    response = post_form(
        client, "/companies/import/../../secret", {"action": "import"}, form_url="/companies/"
    )
    assert response.status_code in (302, 404)
    assert _names(app) == {}
