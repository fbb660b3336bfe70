"""The export's batch reader: rows in order and in batches, errors raised to the caller."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.exc import OperationalError

from survey.services.export_reader import read_batches

NUMBERS = Table("numbers", MetaData(), Column("n", Integer, primary_key=True))


@pytest.fixture(params=["file", "memory"])
def engine(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    url = f"sqlite:///{tmp_path / 'n.db'}" if request.param == "file" else "sqlite://"
    engine = create_engine(url)
    with engine.begin() as connection:
        NUMBERS.create(connection)
        connection.execute(insert(NUMBERS), [{"n": n} for n in range(1, 11)])
    yield engine
    engine.dispose()


def test_rows_come_in_order_and_in_batches(engine) -> None:  # noqa: ANN001
    batches = [[row.n for row in batch] for batch in read_batches(engine, select(NUMBERS), 4)]
    assert batches == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert not [t for t in threading.enumerate() if t.name == "export-reader"]


def test_an_error_in_the_reader_is_raised_to_the_caller(engine) -> None:  # noqa: ANN001
    missing = Table("missing", MetaData(), Column("n", Integer))
    with pytest.raises(OperationalError):
        list(read_batches(engine, select(missing), 4))
    assert not [t for t in threading.enumerate() if t.name == "export-reader"]
