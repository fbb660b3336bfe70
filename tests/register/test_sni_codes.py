"""SNI 2007 codes: only real divisions and groups are accepted, and codes show as 47.211."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from survey import sni
from survey.extensions import db
from survey.models import Company
from tests.factories import post_form


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("47.211", "47211"),
        ("47211", "47211"),
        (" 43.341 ", "43341"),
        ("56.10", "5610"),
        ("62", "62"),
        ("99.000", "99000"),
        ("01.110", "01110"),
        ("99.999", None),  # division 99 has only the group 99.0
        ("25.8", None),  # no group 25.8 in NACE Rev. 2
        ("04", None),  # no division 04
        ("00.000", None),
        ("4.7211", None),
        ("47.2.11", None),
        ("472111", None),
        ("47.2a", None),
        ("", None),
    ],
)
def test_normalize_code_accepts_only_real_divisions_and_groups(
    written: str, stored: str | None
) -> None:
    assert sni.normalize_code(written) == stored


def test_the_table_holds_the_88_divisions_and_272_groups_of_sni_2007() -> None:
    assert (len(sni.DIVISIONS), len(sni.GROUPS)) == (88, 272)
    assert all(sni.section_for(division) for division in sni.DIVISIONS)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("47211", "47.211"), ("4721", "47.21"), ("472", "47.2"), ("47", "47"), (None, "")],
)
def test_format_code_writes_the_dot_after_the_division(stored: str | None, shown: str) -> None:
    assert sni.format_code(stored) == shown


def test_unknown_sni_code_comes_back_beside_the_field_then_shows_with_its_dot(
    app: Flask, login_as
) -> None:
    client = login_as("official")
    data = {"org_number": "556036-0793", "name": "Bro Kiosk AB", "sni_code": "99.999"}
    data |= {"size_class": "", "language": "sv"}
    html = post_form(client, "/companies/new", data).get_data(as_text=True)
    assert 'id="sni_code-error"' in html and 'aria-invalid="true"' in html
    assert "SNI 2007 har ingen kod 99.999: huvudgruppen eller gruppen finns inte." in html
    assert 'value="99.999"' in html and 'value="Bro Kiosk AB"' in html
    with app.app_context():
        assert db.session.scalar(select(Company.id)) is None
    response = post_form(client, "/companies/new", data | {"sni_code": "47211"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "47.211 (G" in page and "47211" not in page
    edit = client.get(response.headers["Location"] + "/edit").get_data(as_text=True)
    assert 'value="47.211"' in edit
