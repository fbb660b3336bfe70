"""The shipped follow-up battery (NKI, a multiple-choice question, no service factors) answered."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from survey.extensions import db
from survey.questionnaires import load_file
from survey.services.batteries import batteries
from survey.services.respondents.answers import store_response

FOLLOWUP = "uppfoljning-foretagsbesok"
FILE = Path(__file__).resolve().parents[2] / "questionnaires" / f"{FOLLOWUP}.yaml"
#: HJALP_VIDARE choices of ten respondents: 7 chose "natverk", 4 "aktivitet", 2 "inget".
CHOICES = [["natverk", "aktivitet"]] * 4 + [["natverk"]] * 3 + [["inget"]] * 2 + [[]]


def build_followup() -> None:
    """Load the follow-up battery and store ten answers to it (inside an app context)."""
    batteries.load_definition(load_file(FILE), actor_id=None)
    version = batteries.get_version(FOLLOWUP)
    for number, chosen in enumerate(CHOICES):
        answers = {
            "BESOK_VART_TIDEN": 5,
            "HJALP_FICK": "ja",
            "NKI_HELHET": 4 + number % 3,
            "NKI_FORVANTAN": 4,
            "NKI_IDEAL": 5,
        }
        if chosen:
            answers["HJALP_VIDARE"] = chosen
        store_response(
            version,
            answers,
            collection_mode="web",
            language="sv",
            submitted_at=datetime(2025, 3, 1 + number, 10, tzinfo=UTC),
        )
    db.session.commit()
