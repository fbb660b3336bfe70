"""A demo-like database: the shipped batteries, the demo register and random valid answers.

Every export of it (wide and long, plain and Excel) validates with Frictionless against its
datapackage.json, so the schema fits real batteries (show-if, "vet ej", every question type).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from frictionless import validate

# Exports the demo's data in every format and validates each.
pytestmark = pytest.mark.slow

SHIPPED = ("foretagsbesok-samtalsguide", "nki-myndighetsutovning", "uppfoljning-foretagsbesok")
TEXTS = (
    "Bra bemötande, tack!",
    "-inget att tillägga",
    "+1 för snabb handläggning",
    "Åtgärda köerna",
)


def _answer(question, rng: random.Random):  # noqa: ANN001, ANN202
    kind = question.type
    if kind == "scale":
        if question.scale.dont_know and rng.random() < 0.15:
            return "dont_know"
        return rng.randint(question.scale.min, question.scale.max)
    if kind == "nps":
        return rng.randint(0, 10)
    if kind == "single_choice":
        return rng.choice(question.option_keys())
    if kind == "multiple_choice":
        return rng.sample(question.option_keys(), rng.randint(1, len(question.option_keys())))
    if kind == "yes_no":
        return rng.choice(("yes", "no"))
    if kind == "number":
        bounds = question.number
        low = bounds.min if bounds and bounds.min is not None else -50
        high = bounds.max if bounds and bounds.max is not None else 500
        value = rng.uniform(low, min(high, low + 500))
        return round(value) if bounds and bounds.integer else round(value, 2)
    if kind == "date":
        return (date(2024, 1, 1) + timedelta(days=rng.randint(0, 500))).isoformat()
    return rng.choice(TEXTS)[: question.max_length or 200]


def _fill(app, rng: random.Random) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from survey.demo.municipality import run_demo
    from survey.extensions import db
    from survey.models import Company
    from survey.services.batteries import batteries
    from survey.services.respondents import answers

    with app.app_context():
        run_demo(seed=3)
        companies = db.session.scalars(select(Company).limit(20)).all()
        for key in SHIPPED:
            version = batteries.get_version(key)
            definition = batteries.definition_of(version)
            for n in range(15):
                values = {q.key: _answer(q, rng) for q in definition.questions()}
                answers.store_response(
                    version,
                    values,
                    collection_mode=rng.choice(("web", "interview")),
                    language=rng.choice(("sv", "en")),
                    submitted_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n * 20),
                    company=rng.choice(companies),
                )
        db.session.commit()


def test_demo_exports_validate(app, runner, tmp_path: Path) -> None:
    from survey.services.batteries import batteries
    from tests.factories import shipped_battery

    with app.app_context():
        folder = Path(__file__).resolve().parents[2] / "questionnaires"
        batteries.load_definitions([shipped_battery(key) for key in SHIPPED], actor_id=None)
    _fill(app, random.Random(7))
    for key in SHIPPED:
        for options in ([], ["--excel"], ["--format", "long"], ["--excel", "--identities"]):
            folder = tmp_path / f"{key}-{'-'.join(options) or 'plain'}"
            folder.mkdir()
            args = ["responses", "export", "--battery", key, "-o", str(folder / "data.csv")]
            result = runner.invoke(args=[*args, *options])
            assert result.exit_code == 0, result.output
            report = validate(str(folder / "datapackage.json"))
            assert report.valid, (key, options, report.flatten(["rowNumber", "fieldName", "note"]))
            lines = (folder / "data.csv").read_text(encoding="utf-8-sig").count("\n")
            assert lines >= 16
