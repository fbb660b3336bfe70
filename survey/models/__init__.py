"""All models, importable from one place so metadata is complete for Alembic and tests."""

from __future__ import annotations

from survey.models import guards  # noqa: F401  (registers the freeze guard)
from survey.models.action import ACTION_STATUSES, Action
from survey.models.api_token import ApiToken
from survey.models.audit import AuditEvent
from survey.models.base import Base
from survey.models.battery import Battery, BatteryVersion, Question, QuestionOption, Section
from survey.models.company import Company, ServiceArea, Visit, visit_officials
from survey.models.followup import FollowUp
from survey.models.mail import MailAttempt, OutboxMessage
from survey.models.organisation import Organisation
from survey.models.ratelimit import RateLimitCounter
from survey.models.response import Answer, Response
from survey.models.rollup import RollupLayout, index_rollups
from survey.models.survey import Invitation, Survey
from survey.models.user import LoginAttempt, PasswordResetToken, User

__all__ = [
    "ACTION_STATUSES",
    "Action",
    "Answer",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Battery",
    "BatteryVersion",
    "Company",
    "FollowUp",
    "Invitation",
    "LoginAttempt",
    "MailAttempt",
    "Organisation",
    "OutboxMessage",
    "PasswordResetToken",
    "Question",
    "QuestionOption",
    "RateLimitCounter",
    "Response",
    "RollupLayout",
    "Section",
    "ServiceArea",
    "Survey",
    "User",
    "Visit",
    "index_rollups",
    "visit_officials",
]
