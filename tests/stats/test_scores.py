from __future__ import annotations

import math

import numpy as np
import pytest

from survey.stats import csat, nps, response_rate


def test_nps_hand_data() -> None:
    # 4 promoters (9, 10, 10, 9), 3 passives (7, 8, 8), 3 detractors (0, 5, 6):
    # 100 · (4 - 3)/10 = 10; the NaN ("vet ej") is not counted.
    result = nps([9, 10, 10, 9, 7, 8, 8, 0, 5, 6, np.nan])
    assert (result.n, result.value) == (10, pytest.approx(10.0))


@pytest.mark.parametrize(("scores", "value"), [([10, 9], 100.0), ([0, 6], -100.0), ([7, 8], 0.0)])
def test_nps_extremes(scores: list[int], value: float) -> None:
    assert nps(scores).value == value


def test_nps_empty() -> None:
    assert nps([np.nan]) == nps([]) and nps([]).value is None


def test_csat_top_two_boxes() -> None:
    # 1-5 scale, top two boxes are 4 and 5: 3 of 5 answers -> 60 %.
    result = csat([5, 4, 3, 2, 4, np.nan], scale_max=5)
    assert (result.n, result.value) == (5, pytest.approx(60.0))


def test_csat_top_box_only() -> None:
    assert csat([7, 6, 7, 1], scale_min=1, scale_max=7, top=1).value == pytest.approx(50.0)


def wilson(r: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = r / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


def test_response_rate_wilson_12_of_25() -> None:
    # p̂ = 0.48; z = 1.96: centre (0.48 + 0.0768)/1.1537 = 0.4825, half 0.1824 -> 30.0-66.5 %.
    result = response_rate(12, 25)
    assert result.rate == pytest.approx(48.0)
    assert result.ci is not None
    assert (result.ci.low, result.ci.high) == pytest.approx(wilson(12, 25), rel=1e-9)
    assert (result.ci.low, result.ci.high) == pytest.approx((30.03, 66.50), abs=0.005)


@pytest.mark.parametrize(
    ("responded", "invited", "low", "high"),
    [  # Newcombe (1998), Stat Med 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 25.53, 36.62),
        (15, 148, 6.24, 16.05),
        (0, 20, 0.0, 16.11),
        (1, 29, 0.61, 17.18),
    ],
)
def test_response_rate_matches_newcombe(
    responded: int, invited: int, low: float, high: float
) -> None:
    ci = response_rate(responded, invited).ci
    assert ci is not None
    assert (ci.low, ci.high) == pytest.approx((low, high), abs=0.006)


def test_response_rate_nobody_invited() -> None:
    assert response_rate(0, 0).rate is None
