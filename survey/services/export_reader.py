"""Read a large query's rows in batches, the next batch fetched while this one is written.

A server-side cursor (``yield_per``; plain cursor stepping on SQLite) keeps memory bounded
but fetches only when asked, so the database would wait while Python formats a batch and
Python would wait while the database computes the next. A reader thread on a connection of
its own keeps up to ``AHEAD`` batches ready instead, so an export takes about as long as the
slower of the two rather than their sum. The database work releases the GIL (socket waits on
PostgreSQL, ``sqlite3_step`` on SQLite).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, Row, Select

AHEAD = 2  # batches read ahead: memory is bounded by (AHEAD + 2) batches
POLL_SECONDS = 0.1  # how often a blocked reader checks whether the consumer has gone
_END = object()


def read_batches(engine: Engine, query: Select[Any], size: int) -> Iterator[Sequence[Row[Any]]]:
    """Yield the rows of `query` in lists of up to `size`, read ahead by a thread.

    Closing the iterator early (a client that goes away) stops the reader and closes its
    connection; an error in the reader is raised here.
    """
    if engine.url.database in (None, "", ":memory:"):  # a connection per thread: no reader
        yield from _read_here(engine, query, size)
        return
    batches: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            with engine.connect() as connection:
                result = connection.execute(query.execution_options(yield_per=size))
                try:
                    for partition in result.partitions():
                        if not offer(partition):
                            return
                finally:
                    result.close()  # the server-side cursor, before its connection
        except Exception as error:  # noqa: BLE001 - handed to the consumer, raised there
            offer(error)
            return
        offer(_END)

    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while (item := batches.get()) is not _END:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _read_here(engine: Engine, query: Select[Any], size: int) -> Iterator[Sequence[Row[Any]]]:
    """Read in the caller's thread (an in-memory SQLite database exists once per thread)."""
    with engine.connect() as connection:
        result = connection.execute(query.execution_options(yield_per=size))
        try:
            yield from result.partitions()
        finally:
            result.close()
