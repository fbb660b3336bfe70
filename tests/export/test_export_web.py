"""The export page: form, streamed download, codebook zip, aggregates, roles; the token pages."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from sqlalchemy import select

from tests.export.conftest import ExportData
from tests.factories import csrf_token, post_form


def test_page_for_analyst_has_no_identities_choice(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    html = client.get("/exports/").get_data(as_text=True)
    assert "export-test" in html and 'name="layout"' in html and 'name="excel"' in html
    assert 'name="identities"' not in html
    assert client.get("/").status_code == 200  # the menu links to the page


def test_download_streams_csv(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    response = post_form(
        client, "/exports/", {"battery": "export-test", "layout": "wide", "action": "data"}
    )
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="export-test-wide.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 and rows[0]["company"].startswith("C-")


def test_excel_download_has_bom(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    data = {"battery": "export-test", "layout": "wide", "excel": "y", "action": "data"}
    body = post_form(client, "/exports/", data).get_data()
    assert body.startswith(b"\xef\xbb\xbfresponse_id;")


def test_official_gets_identities_when_asking(login_as, export_data: ExportData) -> None:
    client = login_as("official")
    data = {"battery": "export-test", "layout": "wide", "identities": "y", "action": "data"}
    text = post_form(client, "/exports/", data).get_data(as_text=True)
    assert "556036-0793" in text and "Åkerströms Bageri AB" in text


def test_analyst_cannot_smuggle_identities(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    data = {"battery": "export-test", "layout": "wide", "identities": "y", "action": "data"}
    text = post_form(client, "/exports/", data).get_data(as_text=True)
    assert "556036-0793" not in text


def test_codebook_zip(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    data = {"battery": "export-test", "layout": "wide", "action": "codebook"}
    response = post_form(client, "/exports/", data)
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert sorted(archive.namelist()) == ["datapackage.json", "export-test-wide-codebook.csv"]
    package = json.loads(archive.read("datapackage.json"))
    assert package["resources"][0]["path"] == "export-test-wide.csv"


def test_bad_choice_comes_back_with_error(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    response = post_form(client, "/exports/", {"battery": "nope", "layout": "wide"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_aggregates_csv(login_as, export_data: ExportData) -> None:
    client = login_as("analyst")
    response = client.get("/exports/aggregates.csv?battery=export-test&index=nki&by=year")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "period", "split", "n", "mean", "sd", "ci_low", "ci_high", "grade", "suppressed",
    ]  # fmt: skip
    assert all(row["suppressed"] == "true" and row["mean"] == "" for row in rows)
    changes = client.get("/exports/aggregates.csv?battery=export-test&table=changes")
    assert changes.get_data(as_text=True).startswith("from,to,split,diff")
    assert client.get("/exports/aggregates.csv?battery=export-test&by=x").status_code == 400


def test_tokens_created_once_and_revoked(app, login_as) -> None:
    from survey.extensions import db
    from survey.models import ApiToken

    client = login_as("analyst")
    html = post_form(client, "/exports/tokens", {"name": "R-skript"}).get_data(as_text=True)
    secret = re.search(r'value="(fe_[^"]+)"', html).group(1)
    assert (
        client.get("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    listing = client.get("/exports/tokens").get_data(as_text=True)
    assert "R-skript" in listing and secret not in listing
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    token = csrf_token(client, "/exports/tokens")
    response = client.post(f"/exports/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert (
        client.get("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_cannot_revoke_anothers_token(app, login_as, make_user) -> None:
    from survey.services.accounts import api_tokens

    other = make_user("analyst")
    with app.app_context():
        token_id = api_tokens.create_token(other.id, "theirs").token.id
    client = login_as("analyst")
    token = csrf_token(client, "/exports/tokens")
    assert (
        client.post(f"/exports/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code
        == 404
    )


def test_token_name_required(login_as) -> None:
    client = login_as("analyst")
    response = post_form(client, "/exports/tokens", {"name": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
