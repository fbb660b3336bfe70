"""What an analyst's token can read: batteries, questions, statistics, the CSV export."""

from __future__ import annotations

import csv
import io

from openapi_spec_validator import validate

from tests.api.conftest import ExportData


def _get(client, url: str, secret: str):  # noqa: ANN202
    return client.get(url, headers={"Authorization": f"Bearer {secret}"})


def test_openapi_description_validates(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert set(spec["paths"]) >= {"/batteries", "/batteries/{key}", "/stats", "/responses.csv"}


def test_batteries_and_questions(client, export_data: ExportData, make_token) -> None:
    secret = make_token("analyst")
    listing = _get(client, "/api/v1/batteries", secret).get_json()
    assert listing == [
        {
            "key": "export-test",
            "title": {"sv": "Exporttest åäö", "en": "Export test"},
            "archived": False,
            "versions": [{"number": 1, "published_at": listing[0]["versions"][0]["published_at"]}],
        }
    ]
    detail = _get(client, "/api/v1/batteries/export-test", secret).get_json()
    questions = [q for section in detail["sections"] for q in section["questions"]]
    first = questions[0]
    assert (first["key"], first["type"], first["index"]) == ("NKI_HELHET", "scale", "nki")
    assert first["text"] == {"sv": "Hur nöjd är du?", "en": "How satisfied are you?"}
    assert first["scale"]["dont_know"] is True
    assert [o["key"] for o in questions[2]["options"]] == ["bygglov", "miljo"]
    assert _get(client, "/api/v1/batteries/export-test?version=1", secret).status_code == 200


def test_not_found_and_bad_requests_are_json(client, export_data: ExportData, make_token) -> None:
    secret = make_token("analyst")
    for url, status in [
        ("/api/v1/batteries/nope", 404),
        ("/api/v1/batteries/export-test?version=9", 404),
        ("/api/v1/batteries/export-test?version=x", 400),
        ("/api/v1/stats?battery=export-test&by=decade", 400),
        ("/api/v1/stats?battery=export-test&where=size", 400),
        ("/api/v1/stats?battery=export-test&colour=red", 400),
        ("/api/v1/responses.csv", 400),
        ("/api/v1/responses.csv?battery=export-test&format=pivot", 400),
        ("/api/v1/responses.csv?battery=export-test&survey_id=abc", 400),
        ("/api/v1/responses.csv?battery=export-test&survey_id=%C2%B2", 400),
        ("/api/v1/responses.csv?battery=export-test&survey_id=99999", 404),
        ("/api/v1/responses.csv?battery=export-test&excel=maybe", 400),
        ("/api/v1/nothing", 404),
    ]:
        response = _get(client, url, secret)
        assert response.status_code == status, url
        assert response.is_json and response.get_json()["error"], url


def test_stats_is_the_cli_json_object(app, client, runner, export_data: ExportData, make_token):  # noqa: ANN001, ANN201
    import json

    secret = make_token("analyst")
    response = _get(client, "/api/v1/stats?battery=export-test&index=nki&by=year", secret)
    assert response.status_code == 200
    cli = runner.invoke(args=["stats", "--battery", "export-test", "--json"])
    assert response.get_json() == json.loads(cli.output)
    assert set(response.get_json()) == {"battery", "index", "by", "groups", "changes"}
    filtered = _get(client, "/api/v1/stats?battery=export-test&where=size=250%2B", secret)
    assert filtered.status_code == 200


def test_responses_csv_is_pseudonymised(client, export_data: ExportData, make_token) -> None:
    secret = make_token("admin")
    response = _get(client, "/api/v1/responses.csv?battery=export-test", secret)
    assert response.status_code == 200
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 and rows[0]["company"].startswith("C-")
    assert "org_number" not in rows[0]
    text = response.get_data(as_text=True)
    assert all(number not in text for number in export_data.org_numbers)


def test_responses_csv_excel_flag(client, export_data: ExportData, make_token) -> None:
    secret = make_token("analyst")
    for value, delimiter in [("true", ";"), ("1", ";"), ("false", ","), ("", ",")]:
        response = _get(client, f"/api/v1/responses.csv?battery=export-test&excel={value}", secret)
        assert response.status_code == 200, value
        header = response.get_data(as_text=True).removeprefix("\ufeff").splitlines()[0]
        assert header.startswith(f"response_id{delimiter}submitted_at"), value
