"""HTTP layer: one blueprint per feature, thin views over services."""

from __future__ import annotations

import importlib

from flask import Blueprint

# Each feature package exposes `bp`; listed here so the factory stays declarative.
FEATURES = (
    "survey.web.main.views",
    "survey.web.auth.views",
    "survey.web.dashboard.views",
    "survey.web.respond.views",
    "survey.web.surveys.views",
    "survey.web.surveys.recipient_views",
    "survey.web.surveys.outbox_views",
    "survey.web.users.views",
    "survey.web.organisation.views",
    "survey.web.companies.views",
    "survey.web.visits.views",
    "survey.web.followups.views",
    "survey.web.actions.views",
    "survey.web.batteries",
    "survey.web.interviews.views",
    "survey.web.account.views",
    "survey.web.exports.views",
    "survey.web.api.views",
    "survey.web.privacy.views",
)


def blueprints() -> list[Blueprint]:
    """Return the blueprints of every feature that is installed."""
    return [importlib.import_module(name).bp for name in FEATURES]
