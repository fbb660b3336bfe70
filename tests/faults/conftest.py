"""Fault and load fixtures: a throwaway PostgreSQL cluster, gunicorn on it, tokens, records.

The gunicorn tests need PostgreSQL's server binaries (initdb, pg_ctl; as root also a
`postgres` user) to run a cluster of their own that they may stop and start. Where that is
impossible they are skipped with the reason and how to enable them, except in CI (CI=true),
where they fail.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests.databases import IN_CI
from tests.faults.cluster import Cluster, ClusterUnavailable
from tests.faults.server import AppServer, migrate
from tests.mail.conftest import survey_input

BATTERY_KEY = "fel-och-last"
BATTERY = f"""
key: {BATTERY_KEY}
title: {{sv: Snabbenkät, en: Quick survey}}
sections:
  - key: svar
    title: {{sv: Svar, en: Answer}}
    questions:
      - key: BETYG
        type: scale
        required: true
        text: {{sv: "Hur nöjd är ni?", en: "How satisfied are you?"}}
        scale: {{min: 1, max: 6, min_label: {{sv: Inte alls, en: Not at all}},
                 max_label: {{sv: Mycket, en: Very}}}}
      - key: KOMMENTAR
        type: short_text
        text: {{sv: "Något mer?", en: "Anything else?"}}
"""


def answers_of(number: int) -> dict[str, str]:
    """Return the answers company `number` gives (different for each company)."""
    return {"BETYG": str(number % 6 + 1), "KOMMENTAR": f"Svar från företag {number}"}


def refuse(reason: str) -> None:
    """Skip, saying how to enable the test; in CI (CI=true) fail, as these tests must run."""
    if IN_CI:
        pytest.fail(f"the fault and load tests must run in CI: {reason}")
    pytest.skip(f"{reason}; with that in place these tests run (and in CI=true they must)")


def create_database(server_url: str) -> str:
    """Create an empty database of its own on a server; return its URL."""
    name = f"faults_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@dataclass
class Served:
    """The app under gunicorn on a database of a throwaway cluster the tests may restart."""

    cluster: Cluster
    url: str
    server: AppServer


@pytest.fixture(scope="package")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Start a cluster, create and migrate a database, and serve it with gunicorn.

    Shared by the fault and load tests (one xdist group, so one after the other): each test
    makes its own survey and tokens. Should the tests land on different xdist workers, each
    worker starts its own (nothing is shared across workers). Gunicorn boots while
    `survey db upgrade` runs.
    """
    try:
        cluster = Cluster()
    except ClusterUnavailable as why:
        refuse(f"cannot run a throwaway PostgreSQL cluster: {why}")
    try:
        cluster.init()
        cluster.start()
        url = create_database(cluster.url)
        workdir = tmp_path_factory.mktemp("faults")
        server = AppServer(url, workdir)
        server.launch()
        try:
            migrate(url, workdir / "instance")
            server.wait_ready()
            yield Served(cluster, url, server)
        finally:
            server.kill()
    except ClusterUnavailable as why:
        refuse(f"cannot start a throwaway PostgreSQL cluster: {why}")
    finally:
        cluster.destroy()


@dataclass
class Invited:
    """One survey of the quick battery and its tokens, in company order."""

    survey_id: int
    tokens: list[str]
    numbers: dict[str, int] = field(default_factory=dict)  # token -> company number


def invite_companies(database_url: str, count: int) -> Invited:
    """Load the quick battery, create a survey and invite `count` companies (services)."""
    from survey import create_app, orgnr
    from survey.extensions import db
    from survey.models import Company
    from survey.questionnaires import parse_battery
    from survey.services.batteries import batteries
    from survey.services.surveys import surveys
    from survey.services.surveys.invitations import create_invitation

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        batteries.load_definition(parse_battery(BATTERY, source="faults"), actor_id=None)
        version = batteries.get_version(BATTERY_KEY)
        survey = surveys.create_survey(survey_input(version.id), actor_id=None)
        taken = set(db.session.scalars(select(Company.org_number)))
        rng, numbers = random.Random(len(taken)), []
        while len(numbers) < count:
            number = orgnr.generate(rng)
            if number not in taken:
                taken.add(number)
                numbers.append(number)
        companies = [
            Company(org_number=n, name=f"Företag {i} AB", contact_email=f"k{i}@f.example.se")
            for i, n in enumerate(numbers)
        ]
        db.session.add_all(companies)
        db.session.flush()
        tokens = [create_invitation(survey, company) for company in companies]
        db.session.commit()
        survey_id = survey.id
        db.engine.dispose()
    return Invited(survey_id, tokens, {token: i for i, token in enumerate(tokens)})


@dataclass(frozen=True)
class Stored:
    """What the database holds for one invitation."""

    submitted: bool  # the invitation is marked submitted
    responses: int  # responses pointing at it
    answers: dict[str, str]  # question key -> stored value


def stored_by_token(database_url: str, tokens: list[str]) -> dict[str, Stored]:
    """Read each token's invitation, responses and answers straight from the database."""
    from survey.services.surveys.invitations import hash_token

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.token_hash, i.submitted_at IS NOT NULL AS submitted, r.id AS response,"
                " q.key, a.value_number, a.value_text FROM invitations i"
                " LEFT JOIN responses r ON r.invitation_id = i.id"
                " LEFT JOIN answers a ON a.response_id = r.id"
                " LEFT JOIN questions q ON q.id = a.question_id"
            )
        ).all()
    engine.dispose()
    found: dict[str, tuple[bool, set[int], dict[str, str]]] = {}
    for row in rows:
        submitted, responses, answers = found.setdefault(row.token_hash, (row.submitted, set(), {}))
        if row.response is not None:
            responses.add(row.response)
        if row.key is not None:
            number = row.value_number
            answers[row.key] = row.value_text if number is None else f"{number:g}"
    by_hash = {key: Stored(s, len(r), a) for key, (s, r, a) in found.items()}
    return {token: by_hash[hash_token(token)] for token in tokens}


def response_count(database_url: str, survey_id: int) -> int:
    """Return how many responses a survey has in all."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM responses WHERE survey_id = :s"), {"s": survey_id}
        ).scalar_one()
    engine.dispose()
    return int(count)
