"""The battery builder's use cases: create, edit drafts, publish, new drafts, duplicate, archive.

Every edit goes through `_draft` (a published version is refused with a DomainError; the
flush guard in models/guards.py is the last line) and is checked by the battery-file
validator (services/batteries/validation.py), so the builder and the files agree.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Battery, BatteryVersion
from survey.models.base import utcnow
from survey.questionnaires import model as spec
from survey.services import audit
from survey.services.batteries import batteries, keys
from survey.services.batteries.diff import Breach, Change, breaches, diff
from survey.services.batteries.inputs import (
    TextsInput,
    optional_text,
    required_text,
)
from survey.services.batteries.mapping import fill_version, version_definition
from survey.services.batteries.validation import (
    InvalidDraft,
    battery_problems,
    problems_of,
)
from survey.services.errors import DomainError

BATTERY_KEY = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


@dataclass(frozen=True)
class BatteryRow:
    """One line of the battery list."""

    key: str
    title: spec.Text
    latest_number: int
    status: str
    archived: bool


def list_batteries() -> list[BatteryRow]:
    """Return every battery with its latest version, by key."""
    rows = []
    for battery in db.session.scalars(select(Battery).order_by(Battery.key)):
        latest = battery.versions[-1] if battery.versions else None
        if latest is None:
            continue
        title = spec.Text(sv=latest.title_sv, en=latest.title_en)
        archived = battery.archived_at is not None
        rows.append(BatteryRow(battery.key, title, latest.number, latest.status, archived))
    return rows


def draft_of(battery: Battery) -> BatteryVersion | None:
    """Return the battery's draft version, if it has one."""
    return next((v for v in battery.versions if not v.is_published), None)


def _check_new_key(key: str) -> None:
    if not BATTERY_KEY.fullmatch(key):
        message = _("Use a-z, 0-9 and -, 2 to 64 characters, e.g. foretagsbesok-2026.")
        raise DomainError(message, field="key")
    if db.session.scalar(select(func.count()).select_from(Battery).where(Battery.key == key)):
        raise DomainError(_("There is already a battery with this key."), field="key")


def create_battery(key: str, texts: TextsInput, *, actor_id: int | None) -> BatteryVersion:
    """Create a battery with an empty draft version 1 (an empty key is made from the title)."""
    title = required_text(texts.title_sv, texts.title_en)
    if not title.sv:
        raise InvalidDraft({"title_sv": [_("Write the battery's title in Swedish.")]})
    key = key.strip() or keys.battery_key(title.sv, set(db.session.scalars(select(Battery.key))))
    _check_new_key(key)
    candidate = spec.Battery(key=key, title=title, introduction=None)
    problems = battery_problems(
        dataclasses.replace(candidate, introduction=optional_text(texts.intro_sv, texts.intro_en))
    )
    if problems:
        raise InvalidDraft(problems)
    battery = Battery(key=key, created_by_id=actor_id)
    version = BatteryVersion(battery=battery, number=1, status="draft")
    _set_texts(version, texts)
    db.session.add(version)
    db.session.flush()
    audit.record("battery.create", user_id=actor_id, object_type="battery", object_id=battery.id)
    db.session.commit()
    return version


def _set_texts(version: BatteryVersion, texts: TextsInput) -> None:
    title = required_text(texts.title_sv, texts.title_en)
    intro = optional_text(texts.intro_sv, texts.intro_en)
    version.title_sv, version.title_en = title.sv, title.en
    version.intro_sv = intro.sv if intro else None
    version.intro_en = intro.en if intro else None


def draft_version(key: str, number: int) -> BatteryVersion:
    """Return a draft version to edit; a published version is refused."""
    version = batteries.get_version(key, number)
    if version.is_published:
        raise DomainError(
            _("This version is published and cannot change. Start a new draft to edit it.")
        )
    return version


def update_texts(key: str, number: int, texts: TextsInput) -> BatteryVersion:
    """Change a draft's title and introduction."""
    version = draft_version(key, number)
    candidate = dataclasses.replace(
        version_definition(version),
        title=required_text(texts.title_sv, texts.title_en),
        introduction=optional_text(texts.intro_sv, texts.intro_en),
    )
    problems = battery_problems(candidate)
    if problems:
        raise InvalidDraft(problems)
    _set_texts(version, texts)
    db.session.commit()
    return version


@dataclass(frozen=True)
class PublishCheck:
    """What publishing a draft will freeze, and how it differs from the last published version."""

    definition: spec.Battery
    previous: int | None
    changes: list[Change]
    breaches: list[Breach]
    problems: list[tuple[str, str]]


def check_publish(key: str, number: int) -> PublishCheck:
    """Return what a publish of the draft would freeze, its changes and comparability breaches."""
    version = draft_version(key, number)
    definition = version_definition(version)
    published = [v for v in version.battery.versions if v.is_published and v.number < number]
    previous = published[-1] if published else None
    changes: list[Change] = []
    found: list[Breach] = []
    if previous is not None:
        earlier = version_definition(previous)
        changes, found = diff(earlier, definition), breaches(earlier, definition)
    return PublishCheck(
        definition,
        previous.number if previous else None,
        changes,
        found,
        problems_of(definition),
    )


def publish_draft(
    key: str, number: int, *, actor_id: int | None, anyway: bool = False
) -> BatteryVersion:
    """Check the whole draft, then publish it (frozen from then on).

    A draft that breaks an index's comparability with the last published version is
    published only with `anyway` (the official saw the reasons and confirmed).
    """
    check = check_publish(key, number)
    if check.problems:
        raise DraftProblems(check.problems)
    if check.breaches and not anyway:
        raise DomainError(
            _("Confirm that you publish although the index cannot be compared over time."),
            field="anyway",
        )
    version = draft_version(key, number)
    return batteries.publish(version.id, actor_id=actor_id)


class DraftProblems(DomainError):
    """A draft that cannot be published; `problems` lists (location, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(_("The draft has problems to fix before it can be published."))
        self.problems = problems


def start_draft(key: str, *, actor_id: int | None) -> BatteryVersion:
    """Return the battery's draft, or start one as a copy of its latest version."""
    battery = batteries.get_battery(key)
    existing = draft_of(battery)
    if existing is not None:
        return existing
    latest = battery.versions[-1]
    definition = version_definition(latest)  # load everything before the new rows exist
    version = BatteryVersion(battery=battery, number=latest.number + 1, status="draft")
    fill_version(version, definition)
    db.session.add(version)
    db.session.flush()
    audit.record(
        "battery.new_draft", user_id=actor_id, object_type="battery_version", object_id=version.id
    )
    db.session.commit()
    return version


def duplicate_battery(key: str, new_key: str, *, actor_id: int | None) -> BatteryVersion:
    """Copy a battery's latest version into a new battery as its draft version 1."""
    source = batteries.get_battery(key)
    taken = set(db.session.scalars(select(Battery.key)))
    new_key = new_key.strip() or keys.battery_key(key + " kopia", taken)
    _check_new_key(new_key)
    definition = dataclasses.replace(version_definition(source.versions[-1]), key=new_key)
    battery = Battery(key=new_key, created_by_id=actor_id)
    version = BatteryVersion(battery=battery, number=1, status="draft")
    fill_version(version, definition)
    db.session.add(version)
    db.session.flush()
    audit.record(
        "battery.duplicate",
        user_id=actor_id,
        object_type="battery",
        object_id=battery.id,
        source=key,
    )
    db.session.commit()
    return version


def set_archived(key: str, archived: bool, *, actor_id: int | None) -> Battery:
    """Archive a battery (hidden from new surveys and interviews) or bring it back."""
    battery = batteries.get_battery(key)
    battery.archived_at = utcnow() if archived else None
    action = "battery.archive" if archived else "battery.unarchive"
    audit.record(action, user_id=actor_id, object_type="battery", object_id=battery.id)
    db.session.commit()
    return battery
