"""Compare statistics results from rollups with those from raw answers, to a tolerance."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

TOLERANCE = 1e-9


def assert_close(got: Any, want: Any, *, tol: float = TOLERANCE, path: str = "") -> None:
    """Assert equal structure and values, floats within ``tol`` (relative, or absolute near 0)."""
    if dataclasses.is_dataclass(want) and not isinstance(want, type):
        assert type(got) is type(want), f"{path}: {type(got).__name__} != {type(want).__name__}"
        for field in dataclasses.fields(want):
            name = field.name
            assert_close(getattr(got, name), getattr(want, name), tol=tol, path=f"{path}.{name}")
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{path}: keys differ"
        for key in want:
            assert_close(got[key], want[key], tol=tol, path=f"{path}[{key!r}]")
    elif isinstance(want, list | tuple):
        assert isinstance(got, list | tuple), f"{path}: {got!r} is not a sequence"
        assert len(got) == len(want), f"{path}: {len(got)} != {len(want)} items"
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_close(a, b, tol=tol, path=f"{path}[{i}]")
    elif isinstance(want, float) and not isinstance(got, bool) and isinstance(got, int | float):
        assert math.isclose(got, want, rel_tol=tol, abs_tol=tol), f"{path}: {got!r} != {want!r}"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"
