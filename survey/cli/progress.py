"""Progress of long CLI work, shown on a terminal only (a pipe or a log gets the summary)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

import click


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield `update(steps)` drawing click's progress bar on a terminal's stderr, else None."""
    if length <= 0 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def count_lines(source: BinaryIO) -> int:
    """Count a file's lines (for a progress bar's length) and rewind it."""
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: source.read(1 << 20), b""))
    source.seek(0)
    return lines
