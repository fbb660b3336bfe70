"""Fixtures for security tests: one of every object, with chosen texts in every writable field."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.factories import png_image
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

_n = itertools.count(1)


def org_number(n: int) -> str:
    """Return a valid organisation number (Luhn check digit) built from n."""
    from survey.orgnr import luhn_check_digit

    digits = f"55{n:07d}"
    return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"


def battery_yaml(key: str, text: str) -> str:
    """Return a battery file whose every user-written text contains `text`."""

    def t(label: str) -> str:
        return json.dumps({"sv": f"{label} {text}", "en": f"{label} {text}"})

    return f"""
key: {key}
title: {t("Titel")}
introduction: {t("Intro")}
sections:
  - key: s1
    title: {t("Avsnitt")}
    description: {t("Beskrivning")}
    questions:
      - key: Q_SCALE
        type: scale
        text: {t("Skala")}
        help: {t("Hjälp")}
        scale: {{min: 1, max: 5, min_label: {t("Min")}, max_label: {t("Max")}}}
      - key: Q_CHOICE
        type: single_choice
        text: {t("Val")}
        options:
          - {{key: a, label: {t("Alternativ")}}}
          - {{key: b, label: {t("Annat")}}}
      - key: Q_TEXT
        type: long_text
        text: {t("Fritext")}
"""


@dataclass(frozen=True)
class World:
    """Ids of one object of each kind (and the invitation's token)."""

    company_id: int
    org_number: str
    visit_id: int
    battery_id: int
    battery_key: str
    version_id: int
    version_number: int
    section_id: int
    question_id: int
    survey_id: int
    invitation_id: int
    response_id: int
    official_id: int
    token: str
    text: str


def _build(app: Flask, text: str, *, closes_on: date | None = None) -> World:
    from survey.extensions import db
    from survey.models import Company, Organisation, ServiceArea, Survey, Visit
    from survey.models.base import utcnow
    from survey.questionnaires import parse_battery
    from survey.services.accounts import accounts
    from survey.services.batteries import batteries
    from survey.services.respondents.answers import store_response
    from survey.services.surveys.invitations import create_invitation

    n = next(_n)
    today = date.today()
    with app.app_context():
        official = accounts.create_user(
            f"handl{n}@kommun.example.se",
            f"Handläggare {text}",
            "official",
            "korrekt-häftstift-2026",
            actor_id=None,
        )
        definition = parse_battery(battery_yaml(f"sec-{n}", text), source="test.yaml")
        batteries.load_definition(definition, actor_id=None)
        version = batteries.get_version(definition.key)
        area = db.session.scalars(db.select(ServiceArea).order_by(ServiceArea.id)).first()
        company = Company(
            org_number=org_number(n),
            name=f"Företag {text}",
            contact_name=f"Kontakt {text}",
            contact_email=f"kontakt{n}@foretag.example.se",
            sni_code="47111",
            sni_section="G",
            size_class="1-9",
        )
        visit = Visit(
            company=company,
            visit_date=today - timedelta(days=3),
            service_area=area,
            notes=f"Anteckning {text}",
            officials=[official],
        )
        survey = Survey(
            name=f"Utskick {text}",
            battery_version_id=version.id,
            opens_on=today - timedelta(days=10),
            closes_on=closes_on or today + timedelta(days=20),
            sender_name="Näringslivsenheten",
            invitation_subject_sv="Enkät {company}",
            invitation_body_sv="Hej {company}: {link}",
            service_area_id=area.id,
        )
        if db.session.get(Organisation, 1) is None:
            db.session.add(
                Organisation(
                    id=1,
                    name=f"Kommun {text}",
                    unit=f"Enhet {text}",
                    contact_email="naringsliv@kommun.example.se",
                    contact_phone="08-123 45 67",
                    website="https://kommun.example.se",
                    logo=png_image(),
                    logo_type="image/png",
                    logo_digest=hashlib.sha256(png_image()).hexdigest(),
                    updated_at=utcnow(),
                )
            )
        db.session.add_all([company, visit, survey])
        db.session.flush()
        token = create_invitation(survey, company, visit=visit)
        invitation = survey.invitations[0]
        response = store_response(
            version,
            {"Q_SCALE": 4, "Q_CHOICE": "a", "Q_TEXT": f"Svar {text}"},
            collection_mode="web",
            language="sv",
            invitation=invitation,
            visit=visit,
        )
        db.session.commit()
        return World(
            company.id,
            company.org_number,
            visit.id,
            version.battery_id,
            definition.key,
            version.id,
            version.number,
            version.sections[0].id,
            version.sections[0].questions[0].id,
            survey.id,
            invitation.id,
            response.id,
            official.id,
            token,
            text,
        )


@pytest.fixture
def make_world(app: Flask) -> Callable[..., World]:
    """Build one object of every kind, with `text` in every field a user can write."""

    def make(text: str = "Alfa", **options: Any) -> World:
        return _build(app, text, **options)

    return make
