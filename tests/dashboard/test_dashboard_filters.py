"""Bad filter values come back as the form with the error beside the field, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=igår", "date_from"),
        ("date_from=2025-05-01&date_to=2025-01-01", "date_from"),
        ("size=huge", "size"),
        ("industry=ZZ", "industry"),
        ("area=no-such-area", "area"),
        ("survey_id=abc", "survey_id"),
        ("mode=telepathy", "mode"),
        ("by=decade", "by"),
        ("compare=colour", "compare"),
        ("battery=no-such-battery", "battery"),
    ],
)
def test_bad_value_is_shown_beside_its_field(demo, login_as, query, field) -> None:
    client = login_as("analyst")
    response = client.get(f"/dashboard?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    assert f'aria-describedby="{field}-error"' in html
    assert client.get(f"/dashboard/data/nki.csv?{query}").status_code == 400


def test_empty_installation_shows_a_message(login_as) -> None:
    response = login_as("official").get("/dashboard")
    assert response.status_code == 200
    assert "Inget frågebatteri har lästs in" in response.get_data(as_text=True)


def test_start_page_is_the_dashboard(demo, login_as) -> None:
    html = login_as("official").get("/").get_data(as_text=True)
    assert 'id="figure-index"' in html and "NKI nu" in html
