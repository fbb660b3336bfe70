"""Across the demo's index tables, no hidden cell is a released total minus released cells."""

from __future__ import annotations

from collections import defaultdict

from tests.dashboard.helpers import cli_report

PARENT = {"month": ("quarter", "year"), "quarter": ("year",), "year": ()}


def _label(period: str, by: str) -> str:
    if by == "year":
        return period[:4]
    if "Q" in period:
        return period
    return f"{period[:4]}Q{(int(period[5:7]) - 1) // 3 + 1}"


def test_every_table_hides_two_cells_holding_k_or_none(app, demo, runner) -> None:
    k = app.config["SURVEY_MIN_GROUP_SIZE"]
    seen = 0
    combinations = [
        (index, by, coarser, split)
        for index in ("nki", "information")
        for by, coarser in PARENT.items()
        for split in (None, "area", "industry", "size")
    ]
    for index, by, coarser, split in combinations:
        if True:
            args = ["--index", index, "--by", by, *(["--split", split] if split else [])]
            groups = cli_report(runner, demo.battery, *args)["groups"]
            tables: dict[tuple[str, ...], list[dict]] = defaultdict(list)
            for group in groups:
                if split:
                    tables["values", group["period"]].append(group)
                for name in coarser:
                    tables[name, _label(group["period"], name), group["split"]].append(group)
            for key, cells in tables.items():
                hidden = [cell for cell in cells if cell["suppressed"]]
                if len(cells) < 2 or not hidden:
                    continue
                seen += 1
                assert len(hidden) >= 2, (by, split, key, cells)
                assert sum(cell["n"] for cell in hidden) >= k or len(hidden) == len(cells)
    assert seen > 0  # the demo has tables with hidden cells
