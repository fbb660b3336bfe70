"""A web answer to the battery's service area question (OMRADE) files the response under it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response, ServiceArea
from survey.services.surveys import surveys
from tests.factories import csrf_token
from tests.mail.conftest import load_battery, survey_input

NKI = ("NKI_HELHET", "NKI_FORVANTAN", "NKI_IDEAL")
# (OMRADE, NKI answers on 1-6); item index (x - 1)·20, respondent NKI the mean of the three.
ANSWERS = [
    ("bygglov", (6, 6, 5)),  # (100 + 100 + 80) / 3 = 93.33
    ("bygglov", (5, 5, 5)),  # 80
    ("bygglov", (4, 4, 3)),  # (60 + 60 + 40) / 3 = 53.33
    ("livsmedel", (3, 3, 2)),  # (40 + 40 + 20) / 3 = 33.33
    ("livsmedel", (5, 4, 4)),  # (80 + 60 + 60) / 3 = 66.67
    ("livsmedel", (6, 5, 5)),  # (100 + 80 + 80) / 3 = 86.67
]
# bygglov: (93.33 + 80 + 53.33) / 3 = 226.67 / 3 = 75.56; livsmedel: 186.67 / 3 = 62.22.


def _submit(app: Flask, token: str, area: str, nki: tuple[int, ...]) -> None:
    client = app.test_client()
    data = {"OMRADE": area, **{k: str(v) for k, v in zip(NKI, nki, strict=True)}}
    data.update(csrf_token=csrf_token(client, f"/s/{token}/all"), action="submit")
    response = client.post(f"/s/{token}/all", data=data)
    assert response.status_code == 302 and response.location.endswith("/thanks")


def test_web_answers_are_filed_under_the_answered_service_area(
    app: Flask,
    backend: str,
    make_company: Callable[..., int],
    invite: Callable[..., str],
    runner: Any,
) -> None:
    version = load_battery(app, "nki-myndighetsutovning")
    with app.app_context():
        areas = dict(db.session.execute(select(ServiceArea.key, ServiceArea.id)).all())
        plain = surveys.create_survey(survey_input(version), actor_id=None).id
    for area, nki in ANSWERS:
        _submit(app, invite(plain, make_company()), area, nki)

    with app.app_context():
        filed = db.session.scalars(select(Response.service_area_id).order_by(Response.id))
        assert list(filed) == [areas[area] for area, _ in ANSWERS]
    app.config["SURVEY_MIN_GROUP_SIZE"] = 3  # groups of 3 respondents are shown
    args = ["stats", "--battery", "nki-myndighetsutovning", "--split", "area", "--json"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    # --json keeps full precision: compared at the hand-worked 2 decimals.
    groups = {
        g["split"]: (g["n"], round(g["mean"], 2)) for g in json.loads(result.output)["groups"]
    }
    assert groups == {"bygglov": (3, 75.56), "livsmedel": (3, 62.22)}
