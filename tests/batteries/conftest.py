"""Fixtures for the battery builder, the form engine, preview and interview mode."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.models import User
from survey.questionnaires import model as spec
from survey.questionnaires import parse_battery
from tests.batteries.helpers import build
from tests.factories import login

# One question of every type, with show-if conditions within and across sections.
ALL_TYPES_YAML = """
key: alla-typer
title: {sv: Alla frågetyper, en: All question types}
introduction: {sv: Inledning, en: Introduction}
sections:
  - key: forsta
    title: {sv: Första delen, en: First part}
    description: {sv: Om er, en: About you}
    questions:
      - key: BETYG
        type: scale
        text: {sv: "Hur nöjd är du?", en: "How satisfied are you?"}
        help: {sv: Välj en siffra, en: Pick a number}
        required: true
        scale: {min: 1, max: 6, min_label: {sv: Mycket missnöjd, en: Very dissatisfied},
                max_label: {sv: Mycket nöjd, en: Very satisfied}, dont_know: true}
        index: nki
      - key: VAL
        type: single_choice
        service_area: true
        text: {sv: "Vilket område?", en: "Which area?"}
        options:
          - {key: bygglov, label: {sv: Bygglov, en: Building permit}}
          - {key: miljo, label: {sv: Miljö, en: Environment}}
      - key: FLERA
        type: multiple_choice
        text: {sv: "Vilka nätverk?", en: "Which networks?"}
        options:
          - {key: massa, label: {sv: Kompetensmässa, en: Skills fair}}
          - {key: trafik, label: {sv: Trafiknätverk, en: Traffic network}}
          - {key: forum, label: {sv: Näringslivsforum, en: Business forum}}
          - {key: inget, label: {sv: Inget just nu, en: None right now}, exclusive: true}
      - matrix: besoket
        text: {sv: "Vad tyckte ni om besöket?", en: "What did you think of the visit?"}
        help: {sv: En rad per påstående, en: One row per statement}
        scale: {min: 1, max: 5, min_label: {sv: Inte alls, en: Not at all}}
        show_if: {question: BETYG, in: [1, 2]}
        items:
          - {key: BESOK_TID, text: {sv: Värt tiden, en: Worth the time}, required: true}
          - {key: BESOK_LYSSNA, text: {sv: Lyssnade, en: Listened}, index: bemotande, weight: 2}
      - key: JANEJ
        type: yes_no
        text: {sv: "Har ni haft kontakt?", en: "Have you been in contact?"}
      - key: VARFOR
        type: short_text
        text: {sv: Berätta om kontakten, en: Tell us about the contact}
        required: true
        max_length: 20
        show_if: {question: JANEJ, equals: "yes"}
  - key: andra
    title: {sv: Andra delen, en: Second part}
    questions:
      - key: REKO
        type: nps
        text: {sv: "Skulle du rekommendera oss?", en: "Would you recommend us?"}
      - key: KOMMENTAR
        type: long_text
        text: {sv: Övriga kommentarer, en: Other comments}
      - key: ANTAL
        type: number
        text: {sv: Antal anställda, en: Number of employees}
        number: {min: 0, max: 500, integer: true}
      - key: DATUM
        type: date
        text: {sv: "När startade ni?", en: "When did you start?"}
      - key: MILJO_FOLJD
        type: long_text
        text: {sv: "Vad gällde miljöärendet?", en: "What was the environment case about?"}
        required: true
        show_if: {question: VAL, equals: miljo}
"""


@pytest.fixture(scope="session")
def all_types():  # noqa: ANN201 - a parsed Battery
    return parse_battery(ALL_TYPES_YAML, source="alla-typer.yaml")


@pytest.fixture
def built(
    app: Flask,
    saved_state: Callable[[str, Callable[[], Any]], Any],
    make_user: Callable[..., User],
    all_types: spec.Battery,
) -> FlaskClient:
    """Return an official's client on a database holding `all_types` as draft version 1 of
    `alla-typer`, built through the builder's routes (once per process and database; later
    tests get the saved rows). Take it before anything else is written."""

    def build_through_the_builder() -> User:
        official = make_user("official")
        client = app.test_client()
        login(client, official)
        build(client, all_types)
        return official

    # saved_state builds inside an app context, which each request would reuse (its `g`
    # and session); the builder's requests run as they do in a test: with none pushed.
    official = saved_state(
        "builder-alla-typer", lambda: contextvars.Context().run(build_through_the_builder)
    )
    client = app.test_client()
    login(client, official)
    return client


@pytest.fixture
def plain_app(tmp_path) -> Iterator[Flask]:  # noqa: ANN001
    """An app for request contexts only (no database use)."""
    from survey import create_app

    yield create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}",
            "SURVEY_INSTANCE_DIR": str(tmp_path / "instance"),
            "SERVER_NAME": None,
        }
    )
