"""Formula neutralisation: no cell starts like a formula, and the import undoes it exactly.

The wide export writes its lines itself; its quoting must be csv.writer's.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from survey.services.export_rows import DANGEROUS_STARTS, neutralise, restore
from survey.services.export_wide import Quoter

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


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=2, max_size=6),
    st.sampled_from([",", ";"]),
)
def test_wide_lines_quote_as_csv_writer_does(cells: list[str | None], delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(
        [None if cell is None else neutralise(cell) for cell in cells]
    )
    quote = Quoter(delimiter)
    assert delimiter.join(quote(cell) for cell in cells) + "\r\n" == buffer.getvalue()
