"""Demo step: two action plans on the NKI battery, one finished and one under way.

The finished one ended long enough ago for its period after (12 whole months) to be over,
so its page shows the index before and after; the ongoing one shows how an action looks
while it runs. Needs the shipped battery `nki-myndighetsutovning` and the demo officials.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, Battery, ServiceArea

BATTERY = "nki-myndighetsutovning"


def _month_start(today: date, months_back: int) -> date:
    number = today.year * 12 + today.month - 1 - months_back
    return date(number // 12, number % 12 + 1, 1)


def create_demo_actions(ctx: Any) -> None:
    """Add the two demo actions (once) if the NKI battery is loaded."""
    battery = db.session.scalar(select(Battery).where(Battery.key == BATTERY))
    officials = [user for user in ctx.officials if user.role == "official"]
    if battery is None or not officials:
        return
    if db.session.scalar(select(Action.id).where(Action.battery_id == battery.id).limit(1)):
        return
    permits = db.session.scalar(select(ServiceArea.id).where(ServiceArea.key == "bygglov"))
    db.session.add_all(
        [
            Action(
                title="Bemötandelyftet",
                description=(
                    "Alla handläggare går en halvdagsutbildning i bemötande och klarspråk, "
                    "och varje beslut får en kontaktperson med direktnummer."
                ),
                battery_id=battery.id,
                factor="bemotande",
                owner_id=officials[0].id,
                starts_on=_month_start(ctx.today, 22),
                ends_on=_month_start(ctx.today, 18) - timedelta(days=1),
                status="finished",
                created_by_id=officials[0].id,
            ),
            Action(
                title="Snabbare bygglov med digital ansökan",
                description="E-tjänst för bygglov med kontroll av att ansökan är komplett.",
                battery_id=battery.id,
                factor="effektivitet",
                service_area_id=permits,
                owner_id=officials[-1].id,
                starts_on=_month_start(ctx.today, 2),
                ends_on=_month_start(ctx.today, -5) - timedelta(days=1),
                status="ongoing",
                created_by_id=officials[-1].id,
            ),
        ]
    )
    db.session.flush()
