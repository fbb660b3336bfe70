from __future__ import annotations

import numpy as np
import pytest

from survey.stats import item_index, required_items, respondent_index


def test_item_index_maps_scale_to_0_100() -> None:
    # I(x) = (x - 1) / (6 - 1) * 100 on a 1-6 scale.
    result = item_index([1, 2, 3, 4, 5, 6], k=6)
    np.testing.assert_allclose(result, [0, 20, 40, 60, 80, 100])


def test_item_index_keeps_vet_ej_as_nan() -> None:
    result = item_index([np.nan, 5.0], k=5)
    assert np.isnan(result[0])
    assert result[1] == 100.0


def test_item_index_accepts_scale_max_and_other_minimum() -> None:
    np.testing.assert_allclose(item_index([0, 5, 10], scale_min=0, scale_max=10), [0, 50, 100])


def test_item_index_keeps_shape() -> None:
    assert item_index(np.full((3, 4), 2.0), k=3).shape == (3, 4)


def test_respondent_index_needs_min_answered_items() -> None:
    indices = np.array([[100, 80, np.nan], [60, np.nan, np.nan], [np.nan, np.nan, np.nan]])
    result = respondent_index(indices)
    assert result[0] == pytest.approx(90.0)
    assert np.isnan(result[1]) and np.isnan(result[2])


def test_respondent_index_factor_style_accepts_one_answer() -> None:
    result = respondent_index(np.array([[60, np.nan, np.nan]]), min_answered=1)
    assert result[0] == 60.0


def test_respondent_index_weights_only_answered_items() -> None:
    # (2·100 + 1·40) / (2 + 1) = 80; the third item (weight 3) is unanswered.
    indices = np.array([[100.0, 40.0, np.nan]])
    assert respondent_index(indices, weights=[2, 1, 3])[0] == pytest.approx(80.0)


def test_respondent_index_with_each_respondents_own_weights() -> None:
    # Row 1 answered a version weighting item 1 double: (2·100 + 50) / 3 = 83.33;
    # row 2 one weighting item 2 double: (0 + 2·50) / 3 = 33.33; NaN entries are ignored.
    items = [[100.0, 50.0], [0.0, 50.0]]
    weights = [[2.0, 1.0], [1.0, 2.0]]
    got = respondent_index(items, weights=weights, min_answered=1)
    assert got == pytest.approx([250 / 3, 100 / 3])
    one = respondent_index([[100.0, np.nan]], weights=[[1.0, np.nan]], min_answered=1)
    assert one == pytest.approx([100.0])


@pytest.mark.parametrize(("k", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4)])
def test_required_items_is_two_thirds_rounded_up(k: int, needed: int) -> None:
    # ⌈2k/3⌉: NKI's 2 of 3; 2·2/3 = 1.33 -> 2; 2·4/3 = 2.67 -> 3; 2·5/3 = 3.33 -> 4.
    assert required_items(k) == needed
