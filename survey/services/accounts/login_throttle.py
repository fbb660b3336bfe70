"""Password-guessing throttle: per account and address together, per account, per address.

Every password check (a login, or the current password when changing it) first records its
attempt as a failure and commits it, and only then reads the failures that decide whether
the check may run: a refused attempt deletes its own row, a right password marks it a
success. Because each attempt is committed before it counts, of any parallel attempts the
one that counts last sees all the others that were let through, so no more passwords are
checked than the rule allows, on PostgreSQL and SQLite alike, with no lock held.

Each scope follows a `Backoff`. The one for an account and address together is the tight one
(a success from that address clears it). The one for an account from every address is looser,
and it does not apply from an address the account logged in from within the memory: guessing
from elsewhere slows the account down for new addresses, but its owner's usual address (the
office) still gets in. The one for an address over every account stops one address from
trying many accounts; a failure on an account that later logged in from the same address (a
mistyped password) does not count there, so colleagues behind one address are not locked out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased

from survey.extensions import db
from survey.models import LoginAttempt
from survey.models.base import utcnow
from survey.services.errors import Throttled


@dataclass(frozen=True)
class Backoff:
    """At most `free + k` failures within the last `window · 2**k`, for every k up to `doublings`.

    After `free` quick failures one more try is let through `window` later, the next at
    `2 · window`, then `4 · window` and so on (each wait twice the last); in the long run at
    most `free + doublings` failures fit in the longest window (`memory`), and failures older
    than that no longer matter.
    """

    free: int
    window: timedelta
    doublings: int

    @property
    def memory(self) -> timedelta:
        """Return the longest window: failures older than this never count."""
        return self.window * 2**self.doublings

    def retry_at(self, failures: Sequence[datetime]) -> datetime | None:
        """Return when one more failure may be tried after `failures` (newest first), or None.

        One more fits in window k once the (free + k)-th newest failure has left it.
        """
        times = [
            failures[self.free + k - 1] + self.window * 2**k
            for k in range(self.doublings + 1)
            if len(failures) >= self.free + k
        ]
        return max(times, default=None)


#: One address on one account: 5 tries, then one at 1, 2, 4, 8 … minutes; 15 in 17 hours at most.
PAIR = Backoff(free=5, window=timedelta(minutes=1), doublings=10)
#: One account from every address: 20 tries, then one at 1, 2, 4 … minutes; 30 in 17 hours.
ACCOUNT = Backoff(free=20, window=timedelta(minutes=1), doublings=10)
#: One address over every account: 20 tries, then one at 1, 2, 4 … minutes; 30 in 17 hours.
ADDRESS = Backoff(free=20, window=timedelta(minutes=1), doublings=10)
#: How long an attempt matters to the throttle; older attempts may be purged.
MEMORY = max(PAIR.memory, ACCOUNT.memory, ADDRESS.memory)


def begin(email: str, ip: str, *, field: str) -> LoginAttempt:
    """Record and commit an attempt on `email` from `ip` as a failure; raise if it is refused.

    The caller then checks the password and, if it is right, calls `succeed`. A refused
    attempt is deleted again (it checked nothing) and raises `Throttled` for `field`.
    """
    now = utcnow()
    attempt = LoginAttempt(email=email, ip=ip[:64], success=False, at=now)
    db.session.add(attempt)
    db.session.commit()
    retry = _retry_at(attempt, now)
    if retry is not None and retry > now:
        db.session.delete(attempt)
        db.session.commit()
        minutes = math.ceil((retry - now).total_seconds() / 60)
        raise Throttled(
            _("Too many failed attempts. Try again in %(minutes)s min.", minutes=minutes),
            field=field,
        )
    return attempt


def succeed(attempt: LoginAttempt, user_id: int) -> None:
    """Mark an attempt begun with `begin` as a right password (the caller commits)."""
    attempt.success = True
    attempt.user_id = user_id


def _retry_at(attempt: LoginAttempt, now: datetime) -> datetime | None:
    pair = _recent(
        PAIR,
        now,
        attempt,
        (LoginAttempt.email == attempt.email) & (LoginAttempt.ip == attempt.ip),
        successes_clear=True,
    )
    later = aliased(LoginAttempt)
    mistyped = exists().where(  # the account logged in from this address after the failure
        later.ip == LoginAttempt.ip,
        later.email == LoginAttempt.email,
        later.success.is_(True),
        later.at >= LoginAttempt.at,
    )
    address = _recent(ADDRESS, now, attempt, (LoginAttempt.ip == attempt.ip) & ~mistyped)
    times = [PAIR.retry_at(pair), ADDRESS.retry_at(address)]
    if not _known_address(attempt, now):
        account = _recent(ACCOUNT, now, attempt, LoginAttempt.email == attempt.email)
        times.append(ACCOUNT.retry_at(account))
    return max((time for time in times if time is not None), default=None)


def _known_address(attempt: LoginAttempt, now: datetime) -> bool:
    """Tell whether the account logged in from this address within the throttle's memory."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    LoginAttempt.email == attempt.email,
                    LoginAttempt.ip == attempt.ip,
                    LoginAttempt.success.is_(True),
                    LoginAttempt.at > now - MEMORY,
                )
            )
        )
    )


def _recent(
    rule: Backoff,
    now: datetime,
    attempt: LoginAttempt,
    scope: ColumnElement[bool],
    *,
    successes_clear: bool = False,
) -> list[datetime]:
    """Return the times of the scope's failures that count (newest first), not `attempt`'s own.

    With `successes_clear`, only failures after the scope's latest success count.
    """
    query = (
        select(LoginAttempt.at, LoginAttempt.success)
        .where(scope, LoginAttempt.id != attempt.id, LoginAttempt.at > now - rule.memory)
        .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
        .limit(rule.free + rule.doublings + 1)
    )
    if not successes_clear:
        query = query.where(LoginAttempt.success.is_(False))
    failures = []
    for at, success in db.session.execute(query):
        if success:
            break
        failures.append(at)
    return failures
