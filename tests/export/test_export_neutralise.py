"""Formula neutralisation: no cell starts like a formula, and the import undoes it exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from survey.services.exports.rows import DANGEROUS_STARTS, neutralise, restore

STARTS = st.sampled_from(["", "'", "''", *DANGEROUS_STARTS, "a", " "])


@given(st.lists(STARTS, max_size=4).map("".join), st.text(max_size=20))
def test_restore_undoes_neutralise(start: str, rest: str) -> None:
    text = start + rest
    cell = neutralise(text)
    assert not cell.startswith(DANGEROUS_STARTS)
    assert restore(cell) == text


def test_examples() -> None:
    assert neutralise("=1+1") == "'=1+1" and neutralise("\tx") == "'\tx"
    assert neutralise("'=x") == "''=x" and neutralise("'x") == "'x"
    assert neutralise("12") == "12" and neutralise("") == ""
    assert restore("'-5") == "-5" and restore("'x") == "'x" and restore("''@a") == "'@a"
