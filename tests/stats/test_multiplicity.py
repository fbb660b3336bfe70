"""Holm's step-down adjustment against hand-worked values."""

from __future__ import annotations

import pytest

from survey.stats import holm


def test_holm_hand_worked_family_of_seven() -> None:
    # Seven changes (NKI and six factors). Sorted: 0.004, 0.010, 0.012, 0.030, 0.040, 0.300,
    # 0.700 with multipliers 7, 6, 5, 4, 3, 2, 1:
    # 0.028, 0.060, 0.060, 0.120, 0.120, 0.600, 0.700, then the running maximum
    # 0.028, 0.060, 0.060, 0.120, 0.120, 0.600, 0.700. Raw p < 0.05 in five of them; after
    # Holm only the first (0.004 -> 0.028) stays under 0.05.
    raw = [0.030, 0.004, 0.700, 0.012, 0.040, 0.300, 0.010]
    adjusted = holm(raw)
    expected = [0.120, 0.028, 0.700, 0.060, 0.120, 0.600, 0.060]
    assert adjusted == pytest.approx(expected, abs=1e-12)
    assert [p < 0.05 for p in adjusted] == [False, True, False, False, False, False, False]


def test_holm_running_maximum_and_cap_at_one() -> None:
    # Sorted 0.01, 0.02, 0.5 -> 3·0.01 = 0.03, 2·0.02 = 0.04, 1·0.5 = 0.5; and 4·0.3 = 1.2 -> 1.
    assert holm([0.5, 0.01, 0.02]) == pytest.approx([0.5, 0.03, 0.04])
    assert holm([0.3, 0.3, 0.3, 0.3]) == pytest.approx([1.0] * 4)
    # A later smaller product is raised to the earlier one (monotone): 2·0.03 = 0.06, 1·0.04.
    assert holm([0.03, 0.04]) == pytest.approx([0.06, 0.06])


def test_holm_leaves_untested_out_of_the_family() -> None:
    # None (no test) is not counted: m = 2, not 3.
    assert holm([0.02, None, 0.04]) == pytest.approx([0.04, None, 0.04])
    assert holm([]) == [] and holm([None]) == [None]


@pytest.mark.parametrize("bad", [[-0.1], [1.5], [float("nan")]])
def test_holm_rejects_values_outside_zero_one(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="p-values"):
        holm(bad)
