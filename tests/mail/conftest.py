"""Fixtures for surveys, invitations and mail: a real SMTP server on loopback, seed data."""

from __future__ import annotations

import email
import email.policy
import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

_org = itertools.count(1)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects what the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


class RefusingInbox(Inbox):
    """Answers RCPT or the message data with a refusing reply: for the recipients in
    `only`, or for every one."""

    def __init__(
        self, *, rcpt: str | None = None, data: str | None = None, only: set[str] | None = None
    ) -> None:
        super().__init__()
        self.rcpt, self.data, self.only = rcpt, data, only

    def _refuses(self, addresses: list[str]) -> bool:
        return self.only is None or bool(self.only.intersection(addresses))

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        if self.rcpt and self._refuses([address]):
            return self.rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data and self._refuses(envelope.rcpt_tos):
            return self.data
        return await super().handle_DATA(server, session, envelope)


class SmtpServer:
    """An aiosmtpd server on loopback that a test can stop and start again."""

    def __init__(self, inbox: Inbox | None = None, **options: Any) -> None:
        self.port = free_port()
        self.inbox = inbox or Inbox()
        self.options = options  # for aiosmtpd's SMTP class, e.g. an authenticator
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """A running SMTP server on 127.0.0.1; the app is configured to deliver to it."""
    server = SmtpServer()
    server.start()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none", SMTP_TIMEOUT=5
    )
    yield server
    server.stop()


@pytest.fixture
def serve(app: Flask) -> Iterator[Callable[..., SmtpServer]]:
    """Start an SMTP server with a given inbox (and aiosmtpd options); point the app at it."""
    servers: list[SmtpServer] = []

    def start(inbox: Inbox, **options: Any) -> SmtpServer:
        server = SmtpServer(inbox, **options)
        server.start()
        servers.append(server)
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none", SMTP_TIMEOUT=5
        )
        return server

    yield start
    for server in servers:
        server.stop()


def load_battery(app: Flask, key: str = "uppfoljning-foretagsbesok") -> int:
    """Load a shipped battery and return the id of its published version."""
    from survey.services.batteries import batteries
    from tests.factories import shipped_battery

    with app.app_context():
        batteries.load_definition(shipped_battery(key), actor_id=None)
        return batteries.get_version(key).id


@pytest.fixture
def battery_version_id(app: Flask) -> int:
    return load_battery(app)


@pytest.fixture
def make_company(app: Flask) -> Callable[..., int]:
    """Create a company in the register and return its id."""
    from survey.extensions import db
    from survey.models import Company

    def make(name: str | None = None, *, email: str | None = "", **fields: Any) -> int:
        n = next(_org)
        with app.app_context():
            company = Company(
                org_number=f"55{n:04d}-{n:04d}",
                name=name or f"Företag {n} AB",
                contact_email=f"info{n}@foretag.example.se" if email == "" else email,
                **fields,
            )
            db.session.add(company)
            db.session.commit()
            return company.id

    return make


@pytest.fixture
def make_visit(app: Flask) -> Callable[..., int]:
    """Record a visit to a company and return its id."""
    from survey.extensions import db
    from survey.models import ServiceArea, Visit

    def make(company_id: int, visit_date: date, **fields: Any) -> int:
        with app.app_context():
            area = fields.pop("service_area_id", None) or db.session.scalar(
                ServiceArea.__table__.select().with_only_columns(ServiceArea.id).limit(1)
            )
            visit = Visit(
                company_id=company_id, visit_date=visit_date, service_area_id=area, **fields
            )
            db.session.add(visit)
            db.session.commit()
            return visit.id

    return make


def survey_input(battery_version_id: int, **overrides: Any):  # noqa: ANN201 - SurveyInput
    from survey.services.surveys.surveys import SurveyInput

    today = date.today()
    values: dict[str, Any] = {
        "name": "Uppföljning våren",
        "battery_version_id": battery_version_id,
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "reminder_days": "7, 14",
        "sender_name": "Näringslivsenheten i Åköping",
        "reply_to": "naringsliv@akoping.example.se",
        "invitation_subject_sv": "Vad tyckte {company} om vårt besök?",
        "invitation_body_sv": "Hej {company}!\n\nSvara senast {close_date}: {link}\n\nTack!",
        "invitation_subject_en": "What did {company} think?",
        "invitation_body_en": "Hello {company}!\n\nAnswer by {close_date}: {link}",
        "reminder_subject_sv": "Påminnelse: vad tyckte ni?",
        "reminder_body_sv": "Hej igen {company}, svara gärna: {link}",
    }
    values.update(overrides)
    return SurveyInput(**values)


@pytest.fixture
def make_survey(app: Flask, battery_version_id: int) -> Callable[..., int]:
    """Create a survey through the service and return its id."""
    from survey.services.surveys import surveys

    def make(**overrides: Any) -> int:
        if overrides.get("anonymous") and "battery_version_id" not in overrides:
            # An anonymous survey asks no contact request: the same battery without one.
            overrides["battery_version_id"] = anonymous_version(app)
        version_id = overrides.pop("battery_version_id", battery_version_id)
        with app.app_context():
            return surveys.create_survey(survey_input(version_id, **overrides), actor_id=None).id

    return make


def anonymous_version(app: Flask, key: str = "uppfoljning-foretagsbesok") -> int:
    """Load a shipped battery without its contact request; return its published version id."""
    from survey.services.batteries import batteries
    from tests.factories import battery_without_contact

    definition = battery_without_contact(key)
    with app.app_context():
        batteries.load_definition(definition, actor_id=None)
        return batteries.get_version(definition.key).id


@pytest.fixture
def invite(app: Flask) -> Callable[..., str]:
    """Invite one company to a survey directly and return the token (as in the mail)."""
    from survey.extensions import db
    from survey.models import Company, Survey
    from survey.services.surveys.invitations import create_invitation

    def make(survey_id: int, company_id: int) -> str:
        with app.app_context():
            token = create_invitation(
                db.session.get(Survey, survey_id), db.session.get(Company, company_id)
            )
            db.session.commit()
            return token

    return make


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()
