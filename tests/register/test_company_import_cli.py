"""`survey companies import` and `survey demo` through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey import orgnr
from survey.extensions import db
from survey.models import Company, User, Visit
from tests.register.conftest import org_number


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_cli_reports_bad_rows_as_file_line_field_and_writes_nothing(
    app: Flask, runner, tmp_path: Path
) -> None:
    path = tmp_path / "foretag.csv"
    path.write_bytes("orgnr;namn\n556036-0793;Bra AB\n556036-0794;Fel AB\n".encode("cp1252"))
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if line.startswith(f"{path}:")]
    assert line.startswith(f"{path}:3: Organisationsnummer (orgnr): Kontrollsiffran")
    assert _count(app, Company) == 0
    result = runner.invoke(args=["companies", "import", str(path), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert _count(app, Company) == 1


def test_cli_dry_run_writes_nothing(app: Flask, runner, tmp_path: Path) -> None:
    path = tmp_path / "foretag.csv"
    path.write_text("orgnr,namn,storlek\n5560360793,Ekby Åkeri AB,250\n", encoding="utf-8-sig")
    result = runner.invoke(args=["companies", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 good rows (1 new, 0 updates)" in result.output
    assert _count(app, Company) == 0
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        company = db.session.scalar(select(Company))
        assert (company.name, company.size_class) == ("Ekby Åkeri AB", "250+")


def test_cli_reads_unusual_headers_as_the_web_import_does(
    app: Flask, runner, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Org.nr;Företagsnamn;SNI-kod;Antal anställda;Kontaktperson;E-postadress;Hemsida\n"
        "556036-0793;Ekby Måleri AB;43.341;12;Åsa Öberg;asa@maleri.example.com;maleri.se\n",
        encoding="utf-8-sig",
    )
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "not imported: Hemsida" in result.output
    with app.app_context():
        company = db.session.scalar(select(Company))
    assert (company.sni_code, company.size_class) == ("43341", "10-49")
    assert company.contact_email == "asa@maleri.example.com"


def test_cli_refuses_a_file_without_an_org_number_column_in_one_line(
    app: Flask, runner, tmp_path: Path
) -> None:
    path = tmp_path / "utan.csv"
    path.write_text("Företag;Ort\nBolaget AB;Bro\n", encoding="utf-8")
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {path}: Välj kolumnen som innehåller: Organisationsnummer."
    )
    assert _count(app, Company) == 0


@pytest.mark.slow
def test_ten_thousand_rows_import(app: Flask, runner, tmp_path: Path) -> None:
    lines = ["organisationsnummer;namn;sni;storlek;epost"]
    lines += [
        f"{org_number(n)};Företag {n} AB;47111;{n % 300};kontakt{n}@example.com"
        for n in range(10_000)
    ]
    path = tmp_path / "stor.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "10000 created" in result.output
    assert _count(app, Company) == 10_000


def test_demo_fills_once_with_if_empty_and_valid_org_numbers(app: Flask, runner) -> None:
    first = runner.invoke(args=["demo", "--seed", "3", "--if-empty"])
    assert first.exit_code == 0, first.output
    counts = (_count(app, Company), _count(app, User), _count(app, Visit))
    assert counts[0] >= 150 and 4 <= counts[1] <= 6 and counts[2] > 100
    second = runner.invoke(args=["demo", "--seed", "3", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert (_count(app, Company), _count(app, User), _count(app, Visit)) == counts
    with app.app_context():
        numbers = db.session.scalars(select(Company.org_number)).all()
        sections = set(db.session.scalars(select(Company.sni_section)))
    assert all(orgnr.normalize(number) == number for number in numbers)
    assert len(sections) >= 8
    assert "password" not in first.output.lower()
