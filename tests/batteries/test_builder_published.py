"""A published version cannot be changed by any builder route; new drafts, copies, archive."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import BatteryVersion
from survey.services.batteries import batteries
from tests.batteries.helpers import question_data
from tests.factories import post_form

BASE = "/batteries/alla-typer/versions/1"


@pytest.fixture
def published(app, all_types):
    with app.app_context():
        batteries.load_definition(all_types, actor_id=None)
        version = batteries.get_version("alla-typer", 1)
        return {
            "section": version.sections[0].id,
            "question": version.sections[0].questions[0].id,
        }


def _routes(ids, all_types):
    s, q = ids["section"], ids["question"]
    question = question_data(all_types.question("BETYG"))
    section = {"key": "ny", "title_sv": "Ny"}
    return [
        (f"{BASE}/texts", {"title_sv": "Ändrad"}),
        (f"{BASE}/sections/new", section),
        (f"{BASE}/sections/{s}/edit", section),
        (f"{BASE}/sections/{s}/down", {}),
        (f"{BASE}/sections/{s}/remove", {}),
        (f"{BASE}/sections/{s}/questions/new", {**question, "key": "NY"}),
        (f"{BASE}/sections/{s}/questions/{q}/edit", {**question, "text_sv": "Ändrad"}),
        (f"{BASE}/questions/{q}/down", {}),
        (f"{BASE}/questions/{q}/remove", {}),
        (f"{BASE}/publish", {}),
    ]


def test_every_mutating_route_refuses_a_published_version(app, login_as, all_types, published):
    client = login_as("official")
    for url, data in _routes(published, all_types):
        response = post_form(client, url, data, form_url=BASE, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "publicerad" in html or "published" in html, url
    with app.app_context():
        version = db.session.get(BatteryVersion, batteries.get_version("alla-typer", 1).id)
        assert batteries.definition_of(version) == all_types


def test_edit_starts_a_new_draft_with_the_same_keys(app, login_as, all_types, published):
    client = login_as("official")
    response = post_form(client, "/batteries/alla-typer/draft", {}, form_url=BASE)
    assert response.headers["Location"].endswith("/batteries/alla-typer/versions/2")
    post_form(client, "/batteries/alla-typer/draft", {}, form_url=BASE)  # the same draft again
    with app.app_context():
        draft = batteries.get_version("alla-typer", 2)
        assert not draft.is_published
        assert batteries.definition_of(draft) == all_types
        assert len(draft.battery.versions) == 2


def test_duplicate_and_archive(app, login_as, all_types, published):
    client = login_as("official")
    response = post_form(client, "/batteries/alla-typer/duplicate", {"key": "kopia"})
    assert response.headers["Location"].endswith("/batteries/kopia/versions/1")
    html = post_form(client, "/batteries/alla-typer/duplicate", {"key": "kopia"}).get_data(
        as_text=True
    )
    assert 'id="key-error"' in html
    post_form(
        client, "/batteries/alla-typer/archive", {"archived": "1"}, form_url="/batteries/alla-typer"
    )
    with app.app_context():
        copy = batteries.get_version("kopia", 1)
        assert batteries.definition_of(copy).sections == all_types.sections
        assert batteries.get_battery("alla-typer").archived_at is not None
    post_form(
        client, "/batteries/alla-typer/archive", {"archived": "0"}, form_url="/batteries/alla-typer"
    )
    with app.app_context():
        assert batteries.get_battery("alla-typer").archived_at is None
