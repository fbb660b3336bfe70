"""A company import is confirmed once: a second confirm, at once or later, says so politely.

Kept uploads are readable by the app's user only and are deleted an hour after upload.
"""

from __future__ import annotations

import io
import os
import re
import stat
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Company
from tests.factories import csrf_token, post_form
from tests.register.conftest import org_number

ALREADY = "Filen är redan importerad."


def _file(rows: int) -> bytes:
    lines = ["Organisationsnummer;Företagsnamn;Kontaktperson;E-post"]
    lines += [
        f"{org_number(7000 + n)};Bolag {n} AB;Person {n};p{n}@bolag.example.com"
        for n in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _upload(client: FlaskClient, content: bytes) -> str:
    """Upload a file and return its confirm URL from the preview."""
    response = post_form(
        client,
        "/companies/import",
        {"file": (io.BytesIO(content), "foretag.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return re.search(r'action="(/companies/import/[^"]+)"', response.get_data(as_text=True))[1]


def _imports(app: Flask) -> Path:
    return Path(app.config["SURVEY_INSTANCE_DIR"]) / "imports"


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Company.id)))


def test_company_import_confirmed_twice_says_already_imported(app: Flask, login_as) -> None:
    client = login_as("official")
    action = _upload(client, _file(3))
    first = post_form(client, action, {"action": "import"}, form_url="/companies/import")
    assert first.status_code == 302
    assert "3 företag tillagda" in client.get(first.location).get_data(as_text=True)
    second = post_form(
        client, action, {"action": "import"}, form_url="/companies/import", follow_redirects=True
    )
    assert second.status_code == 200
    assert ALREADY in second.get_data(as_text=True)
    assert _count(app) == 3
    assert not list(_imports(app).glob("*.csv")) and not list(_imports(app).glob("*.importing"))


@pytest.mark.postgres
def test_company_import_confirmed_by_two_requests_at_once_imports_once(
    app: Flask, login_as
) -> None:
    clients = [login_as("official"), login_as("official")]
    action = _upload(clients[0], _file(1500))
    tokens = [csrf_token(client, "/companies/import") for client in clients]
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = [(0, "")] * len(clients)

    def confirm(i: int) -> None:
        barrier.wait()
        data = {"action": "import", "csrf_token": tokens[i]}
        response = clients[i].post(action, data=data, follow_redirects=True)
        results[i] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _page in results] == [200, 200], [r[1][:300] for r in results]
    pages = [page for _status, page in results]
    assert sum("1500 företag tillagda" in page for page in pages) == 1
    assert sum(ALREADY in page for page in pages) == 1
    assert _count(app) == 1500
    assert not list(_imports(app).glob("*.csv"))


def test_company_import_upload_is_private_and_swept_after_an_hour(app: Flask, login_as) -> None:
    client = login_as("official")
    _imports(app).mkdir(mode=0o755, parents=True)  # as an older version left it
    old_action = _upload(client, _file(2))
    assert stat.S_IMODE(_imports(app).stat().st_mode) == 0o700
    (old,) = _imports(app).glob("*.csv")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    hour_ago = time.time() - 3601
    os.utime(old, (hour_ago, hour_ago))
    _upload(client, _file(2))
    assert not old.exists()
    (fresh,) = _imports(app).glob("*.csv")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    response = post_form(
        client, old_action, {"action": "import"}, form_url="/companies/import",
        follow_redirects=True,
    )  # fmt: skip
    assert "Importen har gått ut" in response.get_data(as_text=True)
    assert _count(app) == 0
