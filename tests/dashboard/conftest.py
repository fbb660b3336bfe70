"""Demo-like dashboard data: the NKI battery answered over two years in several areas."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, Invitation, ServiceArea, Survey
from survey.services.batteries import batteries
from survey.services.respondents.answers import store_response
from tests.factories import shipped_battery
from tests.statistics.conftest import import_csv, nki_battery  # noqa: F401  (fixtures)

BATTERY = "nki-myndighetsutovning"
#: (area key, OMRADE option, year, quarter, count, level): a small "miljo" group is suppressed.
PLAN = (
    ("bygglov", "bygglov", 2024, 1, 12, 3.6),
    ("bygglov", "bygglov", 2024, 3, 12, 3.9),
    ("livsmedel", "livsmedel", 2024, 2, 10, 4.4),
    ("bygglov", "bygglov", 2025, 1, 14, 4.6),
    ("livsmedel", "livsmedel", 2025, 2, 12, 4.9),
    ("miljo_halsoskydd", "miljo_halsoskydd", 2025, 3, 3, 2.0),
)
COMMENT_COMPANY = "Byggfirman Exempel AB"


@dataclass(frozen=True)
class Demo:
    """What the demo fixture created."""

    battery: str
    survey_id: int
    anonymous_survey_id: int
    areas: dict[str, str]  # plan key -> actual service area key


def _scale_keys() -> tuple[str, ...]:
    definition = shipped_battery(BATTERY)
    return tuple(q.key for q in definition.questions() if q.type == "scale")


def _areas() -> dict[str, str]:
    """Map the plan's area keys to service areas, creating any the seed lacks."""
    keys = set(db.session.scalars(select(ServiceArea.key)))
    found = {}
    for wanted in sorted({p[0] for p in PLAN}):
        match = wanted if wanted in keys else None
        if match is None:
            area = ServiceArea(key=wanted, name_sv=wanted.title(), name_en=wanted.title())
            db.session.add(area)
            db.session.flush()
            match = wanted
        found[wanted] = match
    return found


def _companies() -> list[Company]:
    companies = [
        Company(
            org_number=f"55000{i:01d}-000{i}", name=f"Företag {i} AB", sni_section=s, size_class=z
        )
        for i, (s, z) in enumerate([("F", "1-9"), ("I", "10-49"), ("G", "1-9"), ("F", "50-249")])
    ]
    companies[0].name = COMMENT_COMPANY
    db.session.add_all(companies)
    db.session.flush()
    return companies


def _survey(version_id: int, *, anonymous: bool, name: str) -> Survey:
    survey = Survey(
        name=name,
        battery_version_id=version_id,
        opens_on=date(2024, 1, 1),
        closes_on=date(2025, 12, 31),
        sender_name="Kommunen",
        invitation_subject_sv="Enkät",
        invitation_body_sv="Svara {link}",
        anonymous=anonymous,
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def _invitations(survey: Survey, company: Company) -> None:
    """40 invited: 38 sent, 30 opened, 25 started, 20 submitted."""
    now = datetime(2025, 6, 1, tzinfo=UTC)
    for i in range(40):
        db.session.add(
            Invitation(
                survey_id=survey.id,
                company_id=company.id,
                token_hash=secrets.token_hex(32),
                token_nonce=secrets.token_hex(16),
                expires_at=now + timedelta(days=30),
                sent_at=now if i < 38 else None,
                opened_at=now if i < 30 else None,
                started_at=now if i < 25 else None,
                submitted_at=now if i < 20 else None,
            )
        )


def build_demo() -> Demo:
    """Create the battery, companies, surveys and answers (inside an app context)."""
    batteries.load_definition(shipped_battery(BATTERY), actor_id=None)
    version = batteries.get_version(BATTERY)
    areas = _areas()
    companies = _companies()
    survey = _survey(version.id, anonymous=False, name="Företagsenkät 2024–2025")
    anonymous = _survey(version.id, anonymous=True, name="Anonym enkät")
    _invitations(survey, companies[0])
    area_ids = dict(db.session.execute(select(ServiceArea.key, ServiceArea.id)).all())
    rng = np.random.default_rng(20251123)
    keys = _scale_keys()
    number = 0
    for area, option, year, quarter, count, level in PLAN:
        survey.service_area_id = anonymous.service_area_id = area_ids[areas[area]]
        for i in range(count):
            answers = {"OMRADE": option}
            for key in keys:
                answers[key] = int(np.clip(np.rint(rng.normal(level, 1.0)), 1, 6))
            if i % 4 == 0:
                answers["KOMMENTAR_BATTRE"] = f"Kommentar {number}: snabbare handläggning"
            when = datetime(year, 3 * quarter - 1, 1 + i, 10, tzinfo=UTC)
            company = companies[number % len(companies)]
            chosen = anonymous if number % 9 == 5 else survey
            store_response(
                version,
                answers,
                collection_mode="web",
                language="sv",
                submitted_at=when,
                company=company,
                survey=chosen,
                anonymous=chosen.anonymous,
            )
            number += 1
        db.session.flush()
    survey.service_area_id = anonymous.service_area_id = None
    db.session.commit()
    return Demo(BATTERY, survey.id, anonymous.id, areas)


@pytest.fixture
def demo(saved_state: Callable[[str, Callable[[], Demo]], Demo]) -> Demo:
    """Demo-like data on the test database (built once per process, then restored)."""
    return saved_state("dashboard-demo", build_demo)
