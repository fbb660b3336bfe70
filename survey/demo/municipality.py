"""A fictional municipality's register for trying the platform: companies, officials, visits.

`run_demo(seed)` calls small step functions in order; add a step (surveys, responses, ...)
by writing a function that takes the DemoContext and appending it to STEPS. The same seed
gives the same data (dates are relative to today).
"""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select, update

from survey import orgnr, sni
from survey.demo.actions import create_demo_actions
from survey.demo.followups import create_demo_followups
from survey.demo.responses import create_demo_responses
from survey.demo.surveys import create_followup_survey
from survey.extensions import db
from survey.models import Company, ServiceArea, User, Visit
from survey.services.accounts import accounts
from survey.services.organisation import organisation

MUNICIPALITY = "Ekby"
COMPANY_COUNT = 200
VISIT_COUNT = 320
# Every so many companies prefers English mail (a fixed pattern: the random data stays).
ENGLISH_EVERY = 8
OFFICIALS = (
    ("Anna Lindqvist", "official"),
    ("Johan Berg", "official"),
    ("Fatima Haddad", "official"),
    ("Mikael Sundström", "official"),
    ("Sara Ekholm", "analyst"),
)
FIRST_NAMES = (
    "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Per", "Lena", "Ahmed", "Elin",
    "Nils", "Ingrid", "Oskar", "Sofia", "Jonas", "Emma", "Mehmet", "Ida", "Gustav", "Hanna",
)  # fmt: skip
SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Holm",
    "Bergström", "Sandberg", "Forsberg", "Wikström", "Åberg", "Öberg", "Nyström", "Hallberg",
)  # fmt: skip
PLACES = ("Ekby", "Björkås", "Norrvik", "Sjöhaga", "Lillån", "Ekbyhamn", "Västerby", "Granlid")
# (SNI code, trade word, typical size classes)
TRADES = (
    ("01110", "Lantbruk", ("0", "1-9")),
    ("16101", "Sågverk", ("10-49", "50-249")),
    ("10711", "Bageri", ("1-9", "10-49")),
    ("25620", "Mekaniska Verkstad", ("10-49", "50-249", "250+")),
    ("41200", "Bygg", ("1-9", "10-49", "50-249")),
    ("43341", "Måleri", ("0", "1-9")),
    ("43210", "El", ("1-9", "10-49")),
    ("45200", "Bilverkstad", ("1-9",)),
    ("47111", "Livs", ("10-49", "50-249")),
    ("47761", "Blommor", ("0", "1-9")),
    ("49410", "Åkeri", ("1-9", "10-49")),
    ("55101", "Hotell", ("10-49",)),
    ("56100", "Restaurang", ("1-9", "10-49")),
    ("62010", "Data", ("1-9", "10-49")),
    ("68201", "Fastigheter", ("0", "1-9")),
    ("69201", "Redovisning", ("1-9",)),
    ("71121", "Ingenjörsbyrå", ("1-9", "10-49")),
    ("81210", "Städ", ("1-9", "10-49")),
    ("86230", "Tandvård", ("1-9",)),
    ("93130", "Gym", ("1-9",)),
    ("96021", "Frisör", ("0", "1-9")),
)


@dataclass
class DemoContext:
    """What the steps share: the random source and what earlier steps created."""

    rng: random.Random
    today: date = field(default_factory=date.today)
    officials: list[User] = field(default_factory=list)
    company_ids: list[int] = field(default_factory=list)
    visits: int = 0
    responses: int | None = None  # how many responses to generate (None: a modest demo set)
    generated: int = 0
    progress: Callable[[int], None] | None = None  # hears of generated responses


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum() or char == ".")


def _company_name(rng: random.Random, trade: str) -> str:
    surname = rng.choice(SURNAMES)
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{surname.removesuffix('s')}s {trade} AB"
    if pattern == 1:
        return f"{rng.choice(PLACES)} {trade} AB"
    if pattern == 2:
        return f"{trade} i {rng.choice(PLACES)} AB"
    return f"{surname} & {rng.choice(SURNAMES)} {trade} HB"


def create_officials(ctx: DemoContext) -> None:
    """Create the demo colleagues with random passwords nobody is told (skip existing ones)."""
    for name, role in OFFICIALS:
        email = f"{_ascii(name.replace(' ', '.'))}@kommun.example.com"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email, name, role, secrets.token_urlsafe(24), actor_id=None)
        ctx.officials.append(user)


def create_companies(ctx: DemoContext) -> None:
    """Insert companies with valid org numbers, SNI codes, sizes and contacts in one batch."""
    rng, rows, names, numbers = ctx.rng, [], set(), set()
    taken = set(db.session.scalars(select(Company.org_number)))
    while len(rows) < COMPANY_COUNT:
        code, trade, sizes = rng.choice(TRADES)
        name, number = _company_name(rng, trade), orgnr.generate(rng)
        if name in names or number in numbers or number in taken:
            continue
        names.add(name)
        numbers.add(number)
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        domain = _ascii(name.removesuffix(" AB").removesuffix(" HB").replace(" ", ""))
        rows.append(
            {
                "org_number": number,
                "name": name,
                "sni_code": code,
                "sni_section": sni.section_letter(code),
                "size_class": rng.choice(sizes),
                "contact_name": f"{first} {last}",
                "contact_email": f"{_ascii(first)}@{domain}.example.com",
                "opted_out": rng.random() < 0.03,
            }
        )
    db.session.execute(insert(Company), rows)
    query = select(Company.id).where(Company.org_number.in_(numbers)).order_by(Company.id)
    ctx.company_ids = list(db.session.scalars(query))


def create_visits(ctx: DemoContext) -> None:
    """Spread visits over the last three years, by one or two officials, across service areas."""
    rng = ctx.rng
    areas = list(db.session.scalars(select(ServiceArea).where(ServiceArea.active.is_(True))))
    visiting = [user for user in ctx.officials if user.role == "official"] or ctx.officials
    if not areas or not visiting or not ctx.company_ids:
        return
    for _ in range(VISIT_COUNT):
        officials = rng.sample(visiting, k=1 if rng.random() < 0.7 else min(2, len(visiting)))
        db.session.add(
            Visit(
                company_id=rng.choice(ctx.company_ids),
                visit_date=ctx.today - timedelta(days=rng.randint(0, 3 * 365)),
                service_area_id=rng.choice(areas).id,
                officials=officials,
                notes="",
                created_by_id=officials[0].id,
            )
        )
    ctx.visits = VISIT_COUNT


def prefer_english(ctx: DemoContext) -> None:
    """Let some companies prefer English mail: every eighth, and the one visited last.

    The last visited company is invited by the demo's follow-up survey, so the outbox of
    `make run` shows an English invitation next to the Swedish ones.
    """
    latest = db.session.scalar(
        select(Visit.company_id)
        .join(Company, Company.id == Visit.company_id)
        .where(Company.id.in_(ctx.company_ids), Company.opted_out.is_(False))
        .order_by(Visit.visit_date.desc(), Visit.id)
        .limit(1)
    )
    english = set(ctx.company_ids[3::ENGLISH_EVERY]) | ({latest} if latest else set())
    db.session.execute(
        update(Company)
        .where(Company.id.in_(english))
        .values(language="en")
        .execution_options(synchronize_session=False)
    )


def name_the_sender(ctx: DemoContext) -> None:
    """Make the fictional municipality the sender of pages and mail (unless one is set)."""
    organisation.set_for_demo(
        f"{MUNICIPALITY} kommun",
        unit="Näringslivsenheten",
        contact_email="naringsliv@ekby.example.com",
        website="https://ekby.example.com",
    )


STEPS: list[Callable[[DemoContext], None]] = [
    name_the_sender,
    create_officials,
    create_companies,
    create_visits,
    prefer_english,
    create_followup_survey,
    create_demo_responses,
    create_demo_actions,
    create_demo_followups,
]


def has_companies() -> bool:
    """Tell whether the register already holds companies."""
    return (db.session.scalar(select(func.count(Company.id))) or 0) > 0


def run_demo(
    seed: int = 1,
    responses: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoContext:
    """Fill the database with the fictional municipality; deterministic for a seed."""
    ctx = DemoContext(rng=random.Random(seed), responses=responses, progress=progress)
    for step in STEPS:
        step(ctx)
    db.session.commit()
    return ctx
