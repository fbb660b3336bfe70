"""The demo has two actions: a finished one with before/after figures, and an ongoing one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from survey.demo.actions import create_demo_actions
from survey.demo.municipality import run_demo
from survey.extensions import db
from survey.models import Action
from survey.services.batteries import batteries
from survey.services.dashboards import action_effect
from tests.factories import shipped_battery


@pytest.mark.slow
def test_demo_actions_show_the_feature(app: Flask) -> None:
    with app.app_context():
        batteries.load_definition(shipped_battery("nki-myndighetsutovning"), actor_id=None)
        ctx = run_demo(seed=1)
        found = {a.status: a for a in db.session.scalars(select(Action))}
        assert sorted(found) == ["finished", "ongoing"]
        finished = action_effect.effect(found["finished"])
        ongoing = action_effect.effect(found["ongoing"])
        assert finished.state == "compared" and not finished.hidden
        assert finished.result.change.difference is not None
        assert finished.result.before.n >= 100 and finished.result.after.n >= 100
        assert ongoing.state in ("waiting", "not_started")
        create_demo_actions(ctx)  # the step adds its actions once
        assert len(db.session.scalars(select(Action)).all()) == 2
