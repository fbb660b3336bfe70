"""Statistics for survey results: pure functions over numpy arrays, frozen results.

Nothing here knows about Flask or SQL: a service fetches the numbers (raw arrays or SQL
rollups of counts, sums and cross-products) and hands them over. The methods are those of
DESIGN.md, "Statistics conventions"; each function's docstring gives its formula and source.
Suppression of small groups is the one policy applied here, through ``GroupEstimate`` and
``Change``; rounding and formatting belong to the presentation.
"""

from __future__ import annotations

from survey.stats.before_after import (
    BeforeAfter,
    before_after,
    before_after_from_moments,
    pooled,
)
from survey.stats.change import Change, change, change_from_moments
from survey.stats.estimate import GroupEstimate, estimate, estimate_from_moments
from survey.stats.grades import grade_band
from survey.stats.indices import item_index, required_items, respondent_index
from survey.stats.interval import ConfidenceInterval
from survey.stats.multiplicity import holm
from survey.stats.priority import (
    FactorEffect,
    PriorityMatrix,
    priority_matrix,
    priority_matrix_from_moments,
)
from survey.stats.reliability import Alpha, cronbach_alpha, cronbach_alpha_from_moments
from survey.stats.scores import Rate, Score, csat, nps, response_rate
from survey.stats.sufficient import CrossMoments, Moments, cross_moments, moments
from survey.stats.trend import Trend, trend, trend_from_groups

__all__ = [
    "Alpha",
    "BeforeAfter",
    "Change",
    "ConfidenceInterval",
    "CrossMoments",
    "FactorEffect",
    "GroupEstimate",
    "Moments",
    "PriorityMatrix",
    "Rate",
    "Score",
    "Trend",
    "before_after",
    "before_after_from_moments",
    "change",
    "change_from_moments",
    "cronbach_alpha",
    "cronbach_alpha_from_moments",
    "cross_moments",
    "csat",
    "estimate",
    "estimate_from_moments",
    "grade_band",
    "holm",
    "item_index",
    "moments",
    "nps",
    "pooled",
    "priority_matrix",
    "priority_matrix_from_moments",
    "required_items",
    "respondent_index",
    "response_rate",
    "trend",
    "trend_from_groups",
]
