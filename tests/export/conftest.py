"""Export fixtures: a battery with every question type and a few stored responses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask

BATTERY_YAML = """
key: export-test
title: {sv: Exporttest åäö, en: Export test}
sections:
  - key: s1
    title: {sv: Del ett, en: Part one}
    questions:
      - key: NKI_HELHET
        type: scale
        index: nki
        text: {sv: "Hur nöjd är du?", en: "How satisfied are you?"}
        scale:
          min: 1
          max: 6
          min_label: {sv: Mycket missnöjd, en: Very dissatisfied}
          max_label: {sv: Mycket nöjd, en: Very satisfied}
          dont_know: true
      - key: REK
        type: nps
        text: {sv: "Skulle du rekommendera oss?", en: "Would you recommend us?"}
      - key: OMRADE
        type: single_choice
        text: {sv: "Vilket område?", en: "Which area?"}
        options:
          - {key: bygglov, label: {sv: Bygglov, en: Building permit}}
          - {key: miljo, label: {sv: Miljö, en: Environment}}
      - key: BEHOV
        type: multiple_choice
        text: {sv: "Vad behöver ni?", en: "What do you need?"}
        options:
          - {key: lokaler, label: {sv: Lokaler, en: Premises}}
          - {key: kompetens, label: {sv: Kompetens, en: Skills}}
          - {key: tillstand, label: {sv: Tillstånd, en: Permits}}
  - key: s2
    title: {sv: Del två, en: Part two}
    questions:
      - key: KONTAKT
        type: yes_no
        text: {sv: "Har ni haft kontakt?", en: "Have you been in contact?"}
      - key: BELOPP
        type: number
        text: {sv: "Belopp i tkr", en: "Amount in kSEK"}
      - key: DATUM
        type: date
        text: {sv: "När?", en: "When?"}
      - key: KOMMENTAR
        type: long_text
        text: {sv: "Övriga synpunkter", en: "Other comments"}
"""

ANSWERS = [
    {
        "NKI_HELHET": 5,
        "REK": 9,
        "OMRADE": "bygglov",
        "BEHOV": ["lokaler", "tillstand"],
        "KONTAKT": "yes",
        "BELOPP": -12.5,
        "DATUM": "2024-03-01",
        "KOMMENTAR": '=HYPERLINK("http://x","y")',
    },
    {
        "NKI_HELHET": "dont_know",
        "REK": 3,
        "OMRADE": "miljo",
        "BEHOV": [],
        "KONTAKT": "no",
        "BELOPP": 1000,
        "KOMMENTAR": "Bra bemötande på Miljö- och hälsoskyddskontoret, tack! åäö ÅÄÖ",
    },
    {"REK": 10},
]


@dataclass(frozen=True)
class ExportData:
    battery: str
    response_ids: list[int]
    org_numbers: list[str]


def load_battery(text: str = BATTERY_YAML) -> str:
    """Load and publish a battery definition; return its key (inside an app context)."""
    from survey.questionnaires import parse_battery
    from survey.services.batteries import batteries

    definition = parse_battery(text, source="test.yaml")
    batteries.load_definition(definition, actor_id=None)
    return definition.key


def store(key: str, answers: dict, *, company=None, when: datetime | None = None) -> int:  # noqa: ANN001
    """Store one response to the latest version of a battery; return its id (app context)."""
    from survey.extensions import db
    from survey.services.batteries.batteries import get_version
    from survey.services.respondents import answers as answer_service

    response = answer_service.store_response(
        get_version(key),
        answers,
        collection_mode="interview",
        language="sv",
        submitted_at=when or datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
        company=company,
    )
    db.session.commit()
    return response.id


@pytest.fixture
def export_data(app: Flask) -> ExportData:
    """The test battery with three responses from two companies (answers in ANSWERS)."""
    from survey.services.register import companies

    with app.app_context():
        key = load_battery()
        first = companies.create_company(
            {"org_number": "556036-0793", "name": "Åkerströms Bageri AB", "sni_code": "10711"},
            actor_id=None,
        )
        second = companies.create_company(
            {"org_number": "212000-0142", "name": "Ekby kommun", "size_class": "250+"},
            actor_id=None,
        )
        ids = [
            store(key, ANSWERS[0], company=first),
            store(key, ANSWERS[1], company=second, when=datetime(2024, 6, 1, 8, 0, tzinfo=UTC)),
            store(key, ANSWERS[2], company=first),
        ]
        return ExportData(key, ids, [first.org_number, second.org_number])


@pytest.fixture
def export_csv(app: Flask) -> Callable[..., str]:
    """Run an export through the service and return the whole CSV text."""
    from survey.services.exports import export

    def run(battery: str, **options) -> str:  # noqa: ANN003
        role = options.pop("role", None)
        with app.app_context():
            result = export.export_responses(
                export.ExportRequest(battery=battery, **options),
                user_id=None,
                role=role,
                via="test",
            )
            return "".join(result.chunks)

    return run
