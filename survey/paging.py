"""One page of a list query: LIMIT/OFFSET for the rows plus one COUNT for the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from survey.extensions import db

T = TypeVar("T")
PER_PAGE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of page `number` (from 1) of a list of `total` rows."""

    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def paginate(query: Select[Any], page: int = 1, per_page: int = PER_PAGE) -> Page[Any]:
    """Run `query` (an ordered select of one entity) for one page, clamping the page number."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = total or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)
