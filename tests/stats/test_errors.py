from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from survey.stats import (
    change,
    change_from_moments,
    cronbach_alpha,
    cronbach_alpha_from_moments,
    csat,
    estimate,
    estimate_from_moments,
    item_index,
    nps,
    priority_matrix,
    priority_matrix_from_moments,
    respondent_index,
    response_rate,
    trend,
    trend_from_groups,
)

CASES: list[tuple[str, Callable[[], object], str]] = [
    ("no scale", lambda: item_index([1, 2]), "scale"),
    ("one-point scale", lambda: item_index([1], k=1), "k must be at least 2"),
    ("empty range", lambda: item_index([1], scale_min=3, scale_max=3), "at least 2 points"),
    ("k contradicts max", lambda: item_index([1], k=5, scale_max=6), "scale_max=6"),
    ("value above scale", lambda: item_index([1, 7], k=6), "7.0"),
    ("value below scale", lambda: item_index([0, 3], k=5), "0.0"),
    ("1-D item matrix", lambda: respondent_index([1.0, 2.0]), "two-dimensional"),
    ("weights shape", lambda: respondent_index(np.ones((2, 3)), weights=[1, 1]), "weights"),
    ("zero weight", lambda: respondent_index(np.ones((2, 2)), weights=[1, 0]), "positive"),
    ("min_answered", lambda: respondent_index(np.ones((2, 2)), min_answered=3), "min_answered"),
    ("population < n", lambda: estimate([1.0, 2.0, 3.0], population=2), "population=2"),
    ("confidence 1", lambda: estimate([1.0, 2.0], confidence=1.0), "confidence"),
    ("confidence 0", lambda: estimate([1.0, 2.0], confidence=0), "confidence"),
    ("negative min_n", lambda: estimate([1.0], min_n=-1), "min_n"),
    ("2-D values", lambda: estimate(np.ones((2, 2))), "one-dimensional"),
    ("infinite value", lambda: estimate([1.0, np.inf]), "infinity"),
    ("negative n", lambda: estimate_from_moments(-1, 0.0, 0.0), "n must be"),
    ("negative total_sq", lambda: estimate_from_moments(2, 1.0, -1.0), "total_sq"),
    ("change confidence", lambda: change([1, 2], [3, 4], confidence=1.5), "confidence"),
    ("change 2-D", lambda: change(np.ones((2, 2)), [1, 2]), "before"),
    ("change n", lambda: change_from_moments(2.5, 1, 1, 2, 1, 1), "n_before"),
    ("trend lengths", lambda: trend([1, 2, 3], [1, 2]), "differ in length"),
    ("trend min_times", lambda: trend([1, 2, 3], [1, 2, 3], min_times=2), "min_times"),
    ("groups lengths", lambda: trend_from_groups([1, 2], [1], [1, 2], [1, 2]), "length"),
    ("groups counts", lambda: trend_from_groups([1, 2], [1, -1], [1, 2], [1, 2]), "ns"),
    ("priority rows", lambda: priority_matrix([1, 2], np.ones((3, 2)), names="ab"), "rows"),
    ("priority names", lambda: priority_matrix([1, 2], np.ones((2, 2)), names="a"), "names"),
    (
        "priority moments shape",
        lambda: priority_matrix_from_moments(3, [1, 2, 3], np.eye(2), names="ab"),
        "shape",
    ),
    (
        "asymmetric cross products",
        lambda: priority_matrix_from_moments(3, [1, 2], [[1, 2], [0, 1]], names="a"),
        "symmetric",
    ),
    ("alpha one item", lambda: cronbach_alpha(np.ones((3, 1))), "at least 2 items"),
    ("alpha moments items", lambda: cronbach_alpha_from_moments(3, [1], [[1]]), "2 items"),
    ("nps out of range", lambda: nps([3, 11]), "11.0"),
    ("nps not integer", lambda: nps([7.5]), "7.5"),
    ("csat out of scale", lambda: csat([0, 3], scale_max=5), "0.0"),
    ("csat top", lambda: csat([3], scale_max=5, top=6), "top=6"),
    ("responded > invited", lambda: response_rate(5, 4), "responded=5"),
    ("negative invited", lambda: response_rate(0, -1), "invited"),
    ("rate confidence", lambda: response_rate(1, 2, confidence=-0.1), "confidence"),
]


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_value_error_naming_it(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
