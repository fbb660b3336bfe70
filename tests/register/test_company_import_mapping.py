"""The import's column mapping: titles matched loosely, shown, changed by the user, checked."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company
from survey.services.register.import_columns import guess_mapping, title_key
from tests.factories import post_form
from tests.register.test_company_import_web import (
    _action,
    _confirm,
    _post_preview,
    _previewed,
    _upload,
)

UNUSUAL = (
    "Org.nr;Företagsnamn;SNI-kod;Antal anställda;Kontaktperson;E-postadress;Hemsida\r\n"
    "556036-0793;Ekby Måleri AB;47.211;12;Åsa Öberg;asa@maleri.example.com;maleri.example.com\r\n"
    "556036-0801;Björkås Bageri AB;10711;250+;Lars Ärlig;lars@bageri.example.com;\r\n"
)
GUESSED = "org_number,name,sni_code,size_class,contact_name,contact_email,"


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("Org.nr", "org_number"),
        ("ORG NR", "org_number"),
        ("Organisations-nummer", "org_number"),
        ("Företagsnamn", "name"),
        ("foretagsnamn", "name"),
        ("SNI-kod", "sni_code"),
        ("SNI 2007", "sni_code"),
        ("Antal anställda", "size_class"),
        ("antal_anstallda", "size_class"),
        ("Kontaktperson", "contact_name"),
        ("E-postadress", "contact_email"),
        ("e-mail", "contact_email"),
        ("Språk", "language"),
        ("Hemsida", ""),
        ("", ""),
    ],
)
def test_titles_match_without_case_diacritics_or_punctuation(title: str, field: str) -> None:
    assert guess_mapping([title]) == (field,)


def test_title_key_drops_case_accents_and_punctuation() -> None:
    assert title_key(" E-Post.adress ") == "epostadress"
    assert title_key("Antal anställda") == "antalanstallda"


def test_a_second_column_of_the_same_field_is_left_out() -> None:
    assert guess_mapping(["E-post", "Email", "namn"]) == ("contact_email", "", "name")


def test_unusual_headers_show_their_mapping_left_out_columns_and_first_rows(
    app: Flask, login_as
) -> None:
    client = login_as("official")
    html = _upload(client, UNUSUAL.encode("utf-8-sig")).get_data(as_text=True)
    assert _previewed(html) == GUESSED
    assert '<option value="size_class" selected>' in html
    assert "Importeras inte: kolumnen Hemsida." in html
    assert "2 rader kan importeras: 2 nya företag, 0 uppdateringar." in html
    assert "<td>47.211</td>" in html and "<td>asa@maleri.example.com</td>" in html
    assert "<td>10-49</td>" in html  # 12 employees, as it will be saved
    _confirm(client, html)
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.org_number == "556036-0793"))
        assert (company.sni_code, company.size_class) == ("47211", "10-49")
        assert company.contact_email == "asa@maleri.example.com"


def _mapping(**changes: str) -> dict[str, str]:
    fields = GUESSED.split(",")
    chosen = {f"column-{index}": field for index, field in enumerate(fields)}
    return chosen | changes


def test_a_changed_mapping_is_previewed_and_then_imported(app: Flask, login_as) -> None:
    client = login_as("official")
    html = _upload(client, UNUSUAL.encode()).get_data(as_text=True)
    changed = _mapping(**{"column-4": ""})  # do not import the contact persons
    html = _post_preview(client, html, changed).get_data(as_text=True)
    assert "Importeras inte: kolumnerna Kontaktperson, Hemsida." in html
    assert "Åsa Öberg" in html  # still seen as the column's first value
    assert "<td>Åsa Öberg</td>" not in html.split("De första raderna")[1]
    _confirm(client, html, changed)
    with app.app_context():
        names = db.session.scalars(select(Company.contact_name)).all()
    assert names == [None, None]


def test_import_with_a_mapping_not_yet_previewed_shows_the_preview_first(
    app: Flask, login_as
) -> None:
    client = login_as("official")
    html = _upload(client, UNUSUAL.encode()).get_data(as_text=True)
    fields = {"action": "import", "previewed": GUESSED} | _mapping(**{"column-6": "language"})
    response = post_form(client, _action(html), fields, form_url="/companies/import")
    assert response.status_code == 200
    assert "Kontrollera raderna som de kommer att sparas" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Company.id)) is None


def test_two_columns_of_one_field_are_refused_by_name(app: Flask, login_as) -> None:
    client = login_as("official")
    html = _upload(client, UNUSUAL.encode()).get_data(as_text=True)
    both = _mapping(**{"column-6": "contact_email"})
    html = _post_preview(client, html, both).get_data(as_text=True)
    assert 'id="mapping-error"' in html
    assert "Kolumnerna E-postadress, Hemsida importeras alla som Kontaktens e-post" in html
    assert 'value="import"' not in html


def test_the_template_opens_in_excel_and_imports_as_it_is_filled_in(app: Flask, login_as) -> None:
    client = login_as("official")
    response = client.get("/companies/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), dialect="excel", delimiter=";"))
    assert rows == [
        ["organisationsnummer", "namn", "sni", "storlek", "kontaktperson", "epost", "språk"]
    ]
    filled = data + b"556036-0793;Mallen AB;56.101;3;Kim Mall;kim@mallen.example.com;en\r\n"
    html = _upload(client, filled).get_data(as_text=True)
    assert "mapping-error" not in html and "Importeras inte" not in html
    _confirm(client, html)
    with app.app_context():
        company = db.session.scalar(select(Company))
    assert (company.name, company.sni_code, company.language) == ("Mallen AB", "56101", "en")
