"""Every battery has a working dashboard: its indices (chosen in the filters), or its
questions' distributions when it has none; a priority matrix only with NKI and factors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from survey.extensions import db
from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from survey.services.respondents.answers import store_response
from tests.dashboard.helpers import csv_rows, figures
from tests.factories import shipped_battery

GUIDE = "foretagsbesok-samtalsguide"
PLAIN = "enkel-fragor"
PLAIN_FILE = """
key: enkel-fragor
title: {sv: Enkla frågor, en: Simple questions}
sections:
  - key: allt
    title: {sv: Allt, en: Everything}
    questions:
      - key: NOJD
        type: yes_no
        text: {sv: "Är ni nöjda med mötet?", en: "Are you satisfied with the meeting?"}
      - key: KANAL
        type: single_choice
        text: {sv: "Hur fick ni kontakt?", en: "How did you get in touch?"}
        options:
          - {key: telefon, label: {sv: Per telefon, en: By phone}}
          - {key: besok, label: {sv: Vid ett besök, en: At a visit}}
      - key: BETYG
        type: scale
        text: {sv: "Vilket betyg ger ni mötet?", en: "What grade do you give the meeting?"}
        scale: {min: 1, max: 6}
"""


def _guide(count: int = 12) -> None:
    """Load the visit guide (three factor indices, no NKI) and store answers to it."""
    batteries.load_definition(shipped_battery(GUIDE), actor_id=None)
    version = batteries.get_version(GUIDE)
    for number in range(count):
        answers = {
            "KONTAKT_HAFT": "yes",
            "KONTAKT_INFORMATION": 3 + number % 3,
            "KONTAKT_TILLGANGLIGHET": 4,
            "KONTAKT_BEMOTANDE": 5 + number % 2,
            "ATERKOPPLING_SATT": "epost",
        }
        when = datetime(2025, 3, 1 + number, 10, tzinfo=UTC)
        store_response(
            version, answers, collection_mode="interview", language="sv", submitted_at=when
        )
    db.session.commit()


def _plain(count: int) -> None:
    """Load a battery without any index and store ``count`` answers (4 of 5 "yes")."""
    batteries.load_definition(parse_battery(PLAIN_FILE, source="test"), actor_id=None)
    version = batteries.get_version(PLAIN)
    for number in range(count):
        answers = {"NOJD": "no" if number % 5 == 4 else "yes", "KANAL": "telefon", "BETYG": 5}
        when = datetime(2025, 5, 1 + number, 10, tzinfo=UTC)
        store_response(version, answers, collection_mode="web", language="sv", submitted_at=when)
    db.session.commit()


@pytest.mark.parametrize("path", ["", "/priority", "/report", "/factors", "/questions"])
def test_every_page_of_a_battery_without_nki_answers(app: Flask, login_as, path: str) -> None:
    with app.app_context():
        _guide()
    response = login_as("official").get(f"/dashboard{path}?battery={GUIDE}")
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_overview_offers_the_batterys_indices_and_shows_the_chosen_one(
    app: Flask, login_as
) -> None:
    with app.app_context():
        _guide()
    client = login_as("official")
    html = client.get(f"/dashboard?battery={GUIDE}").get_data(as_text=True)
    assert '<select id="index" name="index"' in html
    for name in ("Information", "Tillgänglighet", "Bemötande"):
        assert f">{name}</option>" in html
    assert "Information nu" in html  # the first index when the battery has no NKI
    chosen = client.get(f"/dashboard?battery={GUIDE}&index=bemotande").get_data(as_text=True)
    assert "Bemötande nu" in chosen and "Bemötande per myndighetsområde" in chosen
    assert figures(chosen)["index"]["layout"]["yaxis"]["title"]["text"] == "Bemötande"
    rows = csv_rows(client, f"/dashboard/data/index.csv?battery={GUIDE}&index=bemotande")
    assert [r["Index"] for r in rows] == ["90.0"]  # 5 and 6 on 1-6 in turn: 80 and 100


def test_an_index_left_from_another_battery_falls_back_to_this_batterys_first(
    app: Flask, login_as
) -> None:
    with app.app_context():
        _guide()
    html = login_as("official").get(f"/dashboard?battery={GUIDE}&index=nki").get_data(as_text=True)
    assert "Information nu" in html


def test_a_battery_with_one_index_has_no_index_control(app: Flask, demo, login_as) -> None:
    html = login_as("official").get("/dashboard").get_data(as_text=True)
    assert 'name="index"' in html  # NKI and six factors: a choice
    with app.app_context():
        _plain(3)
    plain = login_as("official").get(f"/dashboard?battery={PLAIN}").get_data(as_text=True)
    assert '<select id="index"' not in plain


def test_the_priority_page_explains_why_a_battery_has_no_matrix(app: Flask, login_as) -> None:
    with app.app_context():
        _guide()
        _plain(8)
    client = login_as("official")
    guide = client.get(f"/dashboard/priority?battery={GUIDE}").get_data(as_text=True)
    assert "Frågebatteriet har inga NKI-frågor och därför ingen prioriteringsmatris" in guide
    plain = client.get(f"/dashboard/priority?battery={PLAIN}")
    assert plain.status_code == 200
    assert "Frågebatteriet har inga index och därför ingen prioriteringsmatris" in plain.get_data(
        as_text=True
    )
    assert client.get(f"/dashboard/data/priority.csv?battery={GUIDE}").status_code == 404


def test_a_battery_without_indices_shows_its_questions_distributions(app: Flask, login_as) -> None:
    with app.app_context():
        _plain(10)
    client = login_as("official")
    for page in ("/dashboard", "/dashboard/report"):
        response = client.get(f"{page}?battery={PLAIN}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Frågebatteriet har inga index (NKI eller serviceområden)" in html
        for question in ("Är ni nöjda med mötet?", "Hur fick ni kontakt?"):
            assert f"Svar på: {question}" in html
    drawn = figures(client.get(f"/dashboard?battery={PLAIN}").get_data(as_text=True))
    assert {"distribution-NOJD", "distribution-KANAL", "distribution-BETYG"} <= set(drawn)
    rows = csv_rows(client, f"/dashboard/data/distribution.csv?battery={PLAIN}&question=NOJD")
    assert {r["Svar"]: r["Antal"] for r in rows} == {"Ja": "8", "Nej": "2"}


def test_distributions_of_a_small_group_are_suppressed(app: Flask, login_as) -> None:
    with app.app_context():
        _plain(5)  # under the minimum group size of 7
    html = login_as("official").get(f"/dashboard?battery={PLAIN}").get_data(as_text=True)
    assert "Svar på: Är ni nöjda med mötet?" in html
    assert "för få svar" in html
    assert not any(key.startswith("distribution-") for key in figures(html))
    assert ">Ja<" not in html and ">Nej<" not in html  # no answer counts of the small group
