"""The API answers every error in JSON, a server error too; the HTML pages keep theirs."""

from __future__ import annotations

import pytest

from survey.services.exports import api_catalog


def _broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("a bug")


@pytest.fixture
def unexpected_errors_answered(app, monkeypatch):  # noqa: ANN001, ANN201
    """Answer a bug with the 500 page, as in production, instead of raising it in the test."""
    app.config["PROPAGATE_UNEXPECTED"] = False
    monkeypatch.setattr(api_catalog, "list_batteries", _broken)
    return app


def test_an_api_server_error_is_json(unexpected_errors_answered, client, make_token) -> None:
    secret = make_token("analyst")
    response = client.get("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/batteries/x?version=99999999999",
        "/api/v1/batteries/x?version=-1",
        "/api/v1/responses.csv?battery=x&survey_id=99999999999",
        "/api/v1/stats?survey_id=" + "9" * 5000,
    ],
)
def test_api_ids_beyond_the_range_are_refused_in_json(client, make_token, url: str) -> None:
    response = client.get(url, headers={"Authorization": f"Bearer {make_token()}"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"


def test_a_server_error_page_stays_html(unexpected_errors_answered, login_as, monkeypatch) -> None:
    client = login_as("analyst")
    monkeypatch.setitem(unexpected_errors_answered.view_functions, "dashboard.overview", _broken)
    response = client.get("/dashboard")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "<main" in response.get_data(as_text=True)
