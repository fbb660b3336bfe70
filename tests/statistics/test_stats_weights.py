"""`survey stats` uses the battery's NKI weights, needs 2 of 3 items, and skips "vet ej"."""

from __future__ import annotations

import pytest

from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from survey.stats import estimate

WEIGHTED_YAML = """
key: viktat
title: {sv: Viktat}
sections:
  - key: s
    title: {sv: S}
    questions:
      - {key: NKI_A, type: scale, index: nki, weight: 2, text: {sv: A}, scale: {min: 1, max: 5}}
      - {key: NKI_B, type: scale, index: nki, text: {sv: B}, scale: {min: 1, max: 5}}
      - key: NKI_C
        type: scale
        index: nki
        text: {sv: C}
        scale: {min: 1, max: 5, dont_know: true}
"""

# (NKI_A, NKI_B, NKI_C, NKI_C "vet ej") on 1-5, index (x - 1)·25; weights 2, 1, 1.
ROWS = [
    (5, 3, 1, ""),  # (2·100 + 50 + 0) / 4 = 62.5 (unweighted it would be 50)
    (5, 1, "", 1),  # C is "vet ej": (2·100 + 0) / 3 = 66.67
    (4, 4, 4, ""),  # 75
    (3, 5, 5, ""),  # (2·50 + 100 + 100) / 4 = 75
    (2, 2, "", ""),  # 25
    (1, 5, 5, ""),  # (0 + 100 + 100) / 4 = 50
    ("", 4, 2, ""),  # (75 + 25) / 2 = 50
    (5, "", "", 1),  # one answered item: no NKI (needs 2 of 3)
]
EXPECTED = [62.5, 200 / 3, 75.0, 75.0, 25.0, 50.0, 50.0]  # mean 404.17 / 7 = 57.74


@pytest.fixture
def weighted_battery(app) -> str:
    with app.app_context():
        batteries.load_definition(parse_battery(WEIGHTED_YAML, source="test"), actor_id=None)
    return "viktat"


def test_weighted_nki_of_imported_answers(weighted_battery, import_csv, stats_json) -> None:
    header = ["submitted_at", "NKI_A", "NKI_B", "NKI_C", "NKI_C__dont_know"]
    import_csv(header, [["2024-03-01T10:00:00+01:00", *row] for row in ROWS], weighted_battery)

    (group,) = stats_json(battery=weighted_battery)["groups"]

    want = estimate(EXPECTED)
    assert group["n"] == 7
    # Full precision in the JSON (a machine output): 404.1666…/7 = 57.738095…
    assert group["mean"] == pytest.approx(57.738095238, abs=1e-9) == want.mean
    assert (group["sd"], group["ci_low"], group["ci_high"]) == pytest.approx(
        (want.sd, want.ci.low, want.ci.high), rel=1e-12
    )
    assert group["grade"] == "lågt"  # 57.74 rounds to 58: 50-61
