"""Long CLI work shows progress on a terminal, and keeps quiet in a pipe or a log."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.statistics.conftest import NKI_KEYS, write_csv

ROWS = 30  # enough for the bar to be drawn and reach its end


def _survey(app: Flask, database_url: str, *args: str, terminal: bool) -> tuple[int, str]:
    """Run the real `survey` command, its output on a pseudo-terminal or a pipe."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SURVEY_INSTANCE_DIR": app.config["SURVEY_INSTANCE_DIR"],
        "COLUMNS": "100",
    }
    command = [str(Path(sys.executable).parent / "survey"), *args]
    if not terminal:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        return done.returncode, done.stdout + done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(), output.decode(errors="replace")


@pytest.mark.any_database
def test_response_import_shows_progress_on_a_terminal_only(
    app: Flask, database_url: str, nki_battery: str, tmp_path: Path
) -> None:
    rows = [[f"2025-0{1 + n % 9}-15T10:00:00+01:00", 5, 4, 4 + n % 3] for n in range(ROWS)]
    first = write_csv(tmp_path / "first.csv", ["submitted_at", *NKI_KEYS], rows)
    second = write_csv(tmp_path / "second.csv", ["submitted_at", *NKI_KEYS], rows[:5])
    import_ = ("responses", "import", "--battery", nki_battery)

    status, shown = _survey(app, database_url, *import_, str(first), terminal=True)
    assert status == 0, shown
    assert "Importerar" in shown and "100%" in shown, shown
    assert f"imported {ROWS} responses" in shown

    status, logged = _survey(app, database_url, *import_, str(second), terminal=False)
    assert status == 0, logged
    assert "Importerar" not in logged and "%" not in logged
    assert "imported 5 responses" in logged


@pytest.mark.slow
@pytest.mark.any_database
def test_long_commands_show_progress_on_a_terminal(
    app: Flask, database_url: str, nki_battery: str, import_csv: Any, tmp_path: Path
) -> None:
    """Rebuilding rollups, exporting, importing companies and generating demo answers."""
    rows = [[f"2025-0{1 + n % 9}-15T10:00:00+01:00", 5, 4, 4 + n % 3] for n in range(ROWS)]
    import_csv(["submitted_at", *NKI_KEYS], rows)  # in this process: not what is shown here
    numbers = [f"55{n:07d}0" for n in range(100000, 100000 + 30)]
    register = tmp_path / "register.csv"
    register.write_text(
        "Org.nr;Företagsnamn\n"
        + "".join(f"{_valid(n)};Företag {i} AB\n" for i, n in enumerate(numbers)),
        encoding="utf-8",
    )
    commands = {
        "Bygger om": ("stats", "rebuild-rollups"),
        "Exporterar": (
            "responses", "export", "--battery", nki_battery, "-o", str(tmp_path / "out.csv"),
        ),
        "Importerar": ("companies", "import", str(register)),
        "Skapar": ("demo", "--responses", "30"),
    }  # fmt: skip
    for label, command in commands.items():
        status, shown = _survey(app, database_url, *command, terminal=True)
        assert status == 0, shown
        assert label in shown and "100%" in shown, f"{command}: {shown}"


def _valid(number: str) -> str:
    """Make the last digit of a ten-digit organisation number its Luhn check digit."""
    digits = [int(d) for d in number[:9]]
    total = sum(d * 2 - 9 * (d * 2 > 9) if i % 2 == 0 else d for i, d in enumerate(digits))
    return number[:9] + str((10 - total % 10) % 10)
