"""Question batteries: loading definitions, versions, publishing (which freezes a version)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Battery, BatteryVersion
from survey.models.base import utcnow
from survey.questionnaires import model as spec
from survey.services import audit
from survey.services.batteries.mapping import fill_version, version_definition
from survey.services.errors import DomainError, NotFound
from survey.services.statistics import rollups


@dataclass(frozen=True)
class LoadResult:
    """What loading one definition did: created, new_version or unchanged."""

    key: str
    outcome: str
    version_number: int


def get_battery(key: str) -> Battery:
    """Return the battery with this key, or raise NotFound."""
    battery = db.session.scalar(select(Battery).where(Battery.key == key))
    if battery is None:
        raise NotFound(_("There is no question battery %(key)s.", key=key))
    return battery


def get_version(key: str, number: int | None = None) -> BatteryVersion:
    """Return a version of a battery: the given number, else the latest published one."""
    battery = get_battery(key)
    query = select(BatteryVersion).where(BatteryVersion.battery_id == battery.id)
    if number is None:
        query = query.where(BatteryVersion.status == "published")
    else:
        query = query.where(BatteryVersion.number == number)
    version = db.session.scalar(query.order_by(BatteryVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound(_("Battery %(key)s has no such version.", key=key))
    return version


def latest_published_id(key: str) -> int | None:
    """Return the id of a battery's latest published version, or None when it has none."""
    return db.session.scalar(
        select(BatteryVersion.id)
        .join(Battery, BatteryVersion.battery_id == Battery.id)
        .where(Battery.key == key, BatteryVersion.status == "published")
        .order_by(BatteryVersion.number.desc())
        .limit(1)
    )


def _next_number(battery: Battery) -> int:
    current = db.session.scalar(
        select(func.max(BatteryVersion.number)).where(BatteryVersion.battery_id == battery.id)
    )
    return (current or 0) + 1


def load_definition(
    definition: spec.Battery, *, actor_id: int | None, commit: bool = True
) -> LoadResult:
    """Create or update a battery from a definition; a changed definition publishes a new version.

    An unchanged definition (same content hash as the latest published version) changes
    nothing. Drafts made in the builder are left alone.
    """
    digest = spec.content_hash(definition)
    battery = db.session.scalar(select(Battery).where(Battery.key == definition.key))
    outcome = "new_version"
    if battery is None:
        battery = Battery(key=definition.key, created_by_id=actor_id)
        db.session.add(battery)
        db.session.flush()
        outcome = "created"
    else:
        latest = db.session.scalar(
            select(BatteryVersion)
            .where(BatteryVersion.battery_id == battery.id, BatteryVersion.status == "published")
            .order_by(BatteryVersion.number.desc())
            .limit(1)
        )
        if latest is not None and latest.content_hash == digest:
            return LoadResult(definition.key, "unchanged", latest.number)
    version = BatteryVersion(battery=battery, number=_next_number(battery), status="draft")
    fill_version(version, definition)
    db.session.add(version)
    db.session.flush()
    _publish(version, actor_id=actor_id)
    if commit:
        db.session.commit()
    return LoadResult(definition.key, outcome, version.number)


def load_definitions(definitions: list[spec.Battery], *, actor_id: int | None) -> list[LoadResult]:
    """Load several definitions in one transaction: all of them or none."""
    results = [load_definition(d, actor_id=actor_id, commit=False) for d in definitions]
    db.session.commit()
    return results


def _publish(version: BatteryVersion, *, actor_id: int | None) -> None:
    definition = version_definition(version)
    if not any(True for _q in definition.questions()):
        raise DomainError(_("A battery needs at least one question before it is published."))
    version.content_hash = spec.content_hash(definition)
    version.status = "published"
    version.published_at = utcnow()
    version.published_by_id = actor_id
    rollups.definition_published(version.battery_id)
    audit.record(
        "battery.publish",
        user_id=actor_id,
        object_type="battery_version",
        object_id=version.id,
        battery=version.battery.key,
        number=version.number,
    )


def publish(version_id: int, *, actor_id: int | None) -> BatteryVersion:
    """Publish a draft version; from then on it never changes."""
    version = db.session.get(BatteryVersion, version_id)
    if version is None:
        raise NotFound(_("The battery version does not exist."))
    if version.is_published:
        raise DomainError(_("This version is already published and cannot change."))
    _publish(version, actor_id=actor_id)
    db.session.commit()
    return version


def definition_of(version: BatteryVersion) -> spec.Battery:
    """Return the plain definition of a stored version."""
    return version_definition(version)
