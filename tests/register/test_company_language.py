"""A company's preferred language for survey mail: the form, the CSV import and the report."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company
from tests.factories import post_form

GOOD = {
    "org_number": "5560360793",
    "name": "Ekby Måleri AB",
    "size_class": "1-9",
    "contact_name": "Åsa Öberg",
    "contact_email": "asa@ekbymaleri.example.com",
}


def _languages(app: Flask) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Company.org_number, Company.language)).all())


def test_new_company_is_swedish_unless_english_is_chosen(app: Flask, login_as) -> None:
    client = login_as("official")
    form = client.get("/companies/new").get_data(as_text=True)
    assert re.search(r'<option selected value="sv">Svenska</option>', form)
    assert 'id="language-help"' in form
    response = post_form(client, "/companies/new", GOOD | {"language": "en"})
    assert response.status_code == 302
    assert _languages(app) == {"556036-0793": "en"}
    page = client.get(response.location).get_data(as_text=True)
    assert "Språk i enkätutskick" in page and "Engelska" in page


def test_edit_changes_the_language_and_a_bad_one_comes_back_beside_the_field(
    app: Flask, login_as, make_company
) -> None:
    company = make_company(**GOOD)
    assert company.language == "sv"
    client = login_as("official")
    url = f"/companies/{company.id}/edit"
    response = post_form(client, url, GOOD | {"language": "de", "name": "Nytt Namn AB"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="language-error"' in html and 'aria-invalid="true"' in html
    assert 'value="Nytt Namn AB"' in html  # the other values are kept
    assert _languages(app) == {"556036-0793": "sv"}
    assert post_form(client, url, GOOD | {"language": "en"}).status_code == 302
    assert _languages(app) == {"556036-0793": "en"}


def test_service_keeps_the_language_when_an_update_does_not_give_one(
    app: Flask, make_company
) -> None:
    from survey.services.register import companies

    company = make_company(**GOOD, language="en")
    with app.app_context():
        companies.update_company(company.id, GOOD | {"name": "Annat AB"}, actor_id=None)
    assert _languages(app) == {"556036-0793": "en"}


def _upload(client, content: bytes):  # noqa: ANN202
    return post_form(
        client,
        "/companies/import",
        {"file": (io.BytesIO(content), "foretag.csv")},
        content_type="multipart/form-data",
    )


def _confirm(client, preview_html: str):  # noqa: ANN202
    action = re.search(r'action="(/companies/import/[^"]+)"', preview_html).group(1)
    return post_form(client, action, {"action": "import"}, form_url="/companies/import")


LANGUAGE_FILE = (
    "Organisationsnummer;Företagsnamn;Språk\r\n"
    "556036-0793;Ekby Måleri AB;en\r\n"
    "556036-0801;Björkås Bageri AB;\r\n"
    "556036-0819;Norrvik Hotell AB;Engelska\r\n"
    "556036-0827;Sjöhaga El AB;tyska\r\n"
    "556036-0835;Lillån Livs AB;SV\r\n"
)


def test_import_reads_the_language_column_and_names_the_row_of_a_bad_value(
    app: Flask, login_as
) -> None:
    client = login_as("official")
    html = _upload(client, LANGUAGE_FILE.encode("cp1252")).get_data(as_text=True)
    problems = re.findall(
        r'<td class="num">(\d+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>', html
    )
    assert problems == [
        (
            "5",
            "Språk",
            "Språk i enkätutskick",
            "Okänt språk: skriv sv (svenska) eller en (engelska).",
        )
    ]
    assert "4 rader kan importeras" in html
    _confirm(client, html)
    assert _languages(app) == {
        "556036-0793": "en",
        "556036-0801": "sv",
        "556036-0819": "en",
        "556036-0835": "sv",
    }


def test_reimport_with_an_empty_language_cell_keeps_the_registered_language(
    app: Flask, login_as, make_company
) -> None:
    make_company(**GOOD, language="en")
    client = login_as("official")
    content = "orgnr;namn;language\n5560360793;Ekby Måleri AB;\n556036-0801;Ny AB;en\n"
    _confirm(client, _upload(client, content.encode()).get_data(as_text=True))
    assert _languages(app) == {"556036-0793": "en", "556036-0801": "en"}


def test_cli_reports_a_bad_language_as_file_line_column(app: Flask, runner, tmp_path: Path) -> None:
    path = tmp_path / "foretag.csv"
    path.write_bytes(LANGUAGE_FILE.encode("utf-8"))
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 1
    bad = [line for line in result.output.splitlines() if line.startswith(f"{path}:")]
    assert bad == [
        f"{path}:5: Språk i enkätutskick (Språk): Okänt språk: skriv sv (svenska) eller en "
        "(engelska)."
    ]
    assert _languages(app) == {}
    result = runner.invoke(args=["companies", "import", str(path), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert _languages(app)["556036-0819"] == "en"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_company_report_lists_the_language(
    runner, make_company, tmp_path: Path, language: str
) -> None:
    company = make_company(**GOOD, language=language)
    output = tmp_path / "report.json"
    result = runner.invoke(
        args=["privacy", "company-report", company.org_number, "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text("utf-8"))["company"]["language"] == language


def test_the_database_refuses_an_unknown_language(app: Flask) -> None:
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(Company(org_number="556036-0793", name="Fel AB", language="de"))
        with pytest.raises(IntegrityError, match="ck_companies_language"):
            db.session.commit()
        db.session.rollback()
