"""Property tests: invariances and agreement of the raw and from-moments versions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.stats import (
    Moments,
    change,
    change_from_moments,
    cronbach_alpha,
    cronbach_alpha_from_moments,
    cross_moments,
    estimate,
    estimate_from_moments,
    moments,
    priority_matrix,
    priority_matrix_from_moments,
    trend,
    trend_from_groups,
)

# No example database: nothing is written into the checkout. How many examples: the profile's.
SETTINGS = settings(database=None, deadline=None)

# Respondent NKI on a 1-6 scale with 3 items takes values k·100/15.
nki_value = st.integers(0, 15).map(lambda i: i * 100 / 15)
samples = st.lists(nki_value, min_size=0, max_size=40)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.isclose(a, b, rtol=1e-9, atol=1e-9))


@SETTINGS
@given(values=samples, data=st.data())
def test_estimate_does_not_depend_on_order(values: list[float], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(values))
    a, b = estimate(values, min_n=2), estimate(shuffled, min_n=2)
    assert (a.n, a.suppressed) == (b.n, b.suppressed)
    assert close(a.mean, b.mean) and close(a.sd, b.sd)
    if a.ci is not None and b.ci is not None:
        assert close(a.ci.low, b.ci.low) and close(a.ci.high, b.ci.high)
    else:
        assert a.ci is b.ci


@SETTINGS
@given(values=samples, population_extra=st.one_of(st.none(), st.integers(0, 50)))
def test_estimate_ci_contains_mean(values: list[float], population_extra: int | None) -> None:
    population = None if population_extra is None else len(values) + population_extra
    result = estimate(values, population=population, min_n=2)
    if result.ci is not None:
        assert result.ci.low <= result.mean <= result.ci.high


@SETTINGS
@given(value=nki_value, n=st.integers(2, 60))
def test_constant_sample_has_no_interval(value: float, n: int) -> None:
    result = estimate([value] * n, min_n=0)
    assert result.sd == 0.0 and result.ci is None and result.no_interval == "no_variance"
    m = moments([value] * n)
    rolled = estimate_from_moments(m.n, m.total, m.total_sq, min_n=0)
    assert rolled.sd == 0.0 and rolled.ci is None and rolled.no_interval == "no_variance"


@SETTINGS
@given(values=st.lists(nki_value, max_size=6), min_n=st.integers(7, 30))
def test_suppression_hides_every_value(values: list[float], min_n: int) -> None:
    result = estimate(values, min_n=min_n)
    assert result.suppressed and result.n == len(values)
    assert (result.mean, result.sd, result.se, result.ci, result.grade) == (None,) * 5
    other = change(values, [50.0] * 10, min_n=min_n)
    assert other.suppressed
    assert (other.mean_before, other.mean_after, other.difference, other.p_value) == (None,) * 4


@SETTINGS
@given(values=samples, extra=st.integers(0, 20), confidence=st.floats(0.5, 0.99))
def test_estimate_from_moments_equals_raw(
    values: list[float], extra: int, confidence: float
) -> None:
    m = moments(values)
    kwargs = {"population": len(values) + extra, "min_n": 2, "confidence": confidence}
    raw, rolled = estimate(values, **kwargs), estimate_from_moments(*vars_of(m), **kwargs)
    assert (raw.n, raw.suppressed) == (rolled.n, rolled.suppressed)
    for field in ("mean", "sd", "se"):
        assert close(getattr(raw, field), getattr(rolled, field)), field
    if raw.ci is not None:
        assert rolled.ci is not None
        assert close(raw.ci.low, rolled.ci.low) and close(raw.ci.high, rolled.ci.high)


def vars_of(m: Moments) -> tuple[int, float, float]:
    return (m.n, m.total, m.total_sq)


@SETTINGS
@given(before=samples, after=samples)
def test_change_from_moments_equals_raw(before: list[float], after: list[float]) -> None:
    raw = change(before, after, min_n=2)
    rolled = change_from_moments(*vars_of(moments(before)), *vars_of(moments(after)), min_n=2)
    assert (raw.suppressed, raw.significant) == (rolled.suppressed, rolled.significant)
    for field in ("difference", "df", "p_value"):
        assert close(getattr(raw, field), getattr(rolled, field)), field
    swapped = change(after, before, min_n=2)
    assert close(swapped.difference, None if raw.difference is None else -raw.difference)
    assert close(swapped.p_value, raw.p_value)


@SETTINGS
@given(
    groups=st.lists(
        st.tuples(st.sampled_from([2020.5, 2021.5, 2022.5, 2023.5, 2024.5]), samples),
        min_size=1,
        max_size=5,
    )
)
def test_trend_from_groups_equals_raw(groups: list[tuple[float, list[float]]]) -> None:
    times = np.concatenate([[t] * len(v) for t, v in groups]) if groups else np.array([])
    values = np.concatenate([v for _, v in groups]).astype(float)
    raw = trend(times, values)
    rolled = trend_from_groups(
        [t for t, _ in groups],
        [len(v) for _, v in groups],
        [float(np.sum(v)) for _, v in groups],
        [float(np.dot(v, v)) for _, v in groups],
    )
    assert (raw.n, raw.n_times, raw.reason) == (rolled.n, rolled.n_times, rolled.reason)
    for field in ("slope", "se", "p_value"):
        assert close(getattr(raw, field), getattr(rolled, field)), field


matrices = st.integers(8, 40).flatmap(
    lambda n: st.lists(st.lists(nki_value, min_size=4, max_size=4), min_size=n, max_size=n)
)


@SETTINGS
@given(rows=matrices, data=st.data())
def test_priority_matrix_order_and_moments(rows: list[list[float]], data: st.DataObject) -> None:
    z = np.array(rows)
    shuffled = np.array(data.draw(st.permutations(rows)))
    names = ["a", "b", "c"]
    raw = priority_matrix(z[:, 3], z[:, :3], names=names, min_n=8)
    again = priority_matrix(shuffled[:, 3], shuffled[:, :3], names=names, min_n=8)
    m = cross_moments(z)
    rolled = priority_matrix_from_moments(m.n, m.sums, m.cross_products, names=names, min_n=8)
    for other in (again, rolled):
        assert (other.method, other.fallback_reason) == (raw.method, raw.fallback_reason)
        assert close(other.r_squared, raw.r_squared)
        for mine, theirs in zip(raw.factors, other.factors, strict=True):
            assert close(mine.effect, theirs.effect) and close(mine.index_mean, theirs.index_mean)


@SETTINGS
@given(rows=matrices)
def test_cronbach_alpha_from_moments_equals_raw(rows: list[list[float]]) -> None:
    m = cross_moments(rows)
    raw, rolled = cronbach_alpha(rows), cronbach_alpha_from_moments(m.n, m.sums, m.cross_products)
    assert raw.reason == rolled.reason and close(raw.alpha, rolled.alpha)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_tiny_groups_emit_no_warnings(n: int) -> None:
    # pytest runs with filterwarnings=error, so any RuntimeWarning would fail here.
    estimate([50.0] * n, min_n=0)
    change([50.0] * n, [60.0] * n, min_n=0)
    trend(list(range(n)), [50.0] * n)
    cronbach_alpha(np.full((n, 2), 50.0))
    priority_matrix([50.0] * n, np.full((n, 2), 50.0), names="ab", min_n=0)
