"""Argument checks shared by the statistics functions.

Every check raises ``ValueError`` naming the bad value, in the manner of ``scipy.stats``.
"""

from __future__ import annotations

import math
import operator

import numpy as np
from numpy.typing import ArrayLike


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` as a float after checking it lies strictly between 0 and 1."""
    value = float(confidence)
    if not 0.0 < value < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return value


def check_count(value: int, *, name: str, minimum: int | None = 0) -> int:
    """Return ``value`` as an int after checking it is an integer of at least ``minimum``."""
    try:
        number = operator.index(value)
    except TypeError:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return number


def check_finite(value: float, *, name: str) -> float:
    """Return ``value`` as a float after checking it is finite."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def as_vector(values: ArrayLike, *, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D float array; NaN is allowed (missing), infinity is not."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if np.isinf(array).any():
        raise ValueError(f"{name} must not contain infinity, got {array[np.isinf(array)][0]!r}")
    return array


def as_matrix(values: ArrayLike, *, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 2-D float array; NaN is allowed (missing), infinity is not."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got shape {array.shape}")
    if np.isinf(array).any():
        raise ValueError(f"{name} must not contain infinity, got {array[np.isinf(array)][0]!r}")
    return array
