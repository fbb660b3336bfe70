"""`survey responses export`: to stdout or a file with its codebook; errors in one line."""

from __future__ import annotations

from pathlib import Path

from tests.export.conftest import ExportData


def test_export_to_stdout(export_data: ExportData, runner) -> None:
    result = runner.invoke(args=["responses", "export", "--battery", export_data.battery])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("response_id,submitted_at,collection_mode")
    assert len(lines) == 4


def test_export_long_excel_to_file(export_data: ExportData, runner, tmp_path: Path) -> None:
    target = tmp_path / "long.csv"
    args = ["responses", "export", "--battery", export_data.battery, "--format", "long"]
    result = runner.invoke(args=[*args, "--excel", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith("\ufeffresponse_id;question_key;value\r\n".encode())
    assert b";BELOPP;-12,5\r\n" in data
    assert not (tmp_path / "long.csv.part").exists()


def test_unknown_battery_is_one_line(export_data: ExportData, runner) -> None:
    result = runner.invoke(args=["responses", "export", "--battery", "nope"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "nope" in result.output
