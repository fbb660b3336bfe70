"""Hostile CSV files to the company and response imports: clear errors, all rows or none."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Company, Response
from tests.factories import csrf_token, login
from tests.security.hostile import SETTINGS, SPECIAL, hostile_bytes

COMPANY_HEADERS = [
    b"organisationsnummer;namn;sni;storlek;kontaktperson;epost",
    b"orgnr,namn",
    b"namn;epost",  # a required column missing
    b"",
    b"\xff\xfe;\x00",
]
RESPONSE_HEADERS = [
    b"submitted_at;org_number;Q_SCALE;Q_CHOICE;Q_TEXT",
    b"submitted_at,Q_SCALE",
    b"Q_SCALE;Q_TEXT",  # submitted_at missing
    b"submitted_at;NO_SUCH_QUESTION",
]
GOOD_CELLS = [b"556677-8899", b"Bra AB", b"2025-05-01", b"3", b"a", b"fint", b"47111", b"1-9"]
cell = st.one_of(hostile_bytes, st.sampled_from(GOOD_CELLS))
NUL_COMPANY_FILE = b"organisationsnummer;namn;kontaktperson\n556677-8899;A\x00B;K\n"


def csv_files(headers: list[bytes]) -> st.SearchStrategy[bytes]:
    """CSV-ish files: a header, then rows of hostile or plausible cells, odd line endings."""
    row = st.lists(cell, max_size=8).map(lambda cells: b";".join(cells))
    return st.builds(
        lambda header, rows, newline: newline.join([header, *rows]),
        st.one_of(st.sampled_from(headers), st.sampled_from(SPECIAL)),
        st.lists(row, max_size=6),
        st.sampled_from([b"\n", b"\r\n", b"\r", b"\x00\n"]),
    )


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def _lines_ok(output: str, path: str) -> bool:
    lines = [line for line in output.splitlines() if line.strip()]
    return all("Traceback" not in line for line in lines)


def test_company_import_cli_survives_hostile_files(app, runner, tmp_path) -> None:
    path = tmp_path / "companies.csv"

    @SETTINGS
    @given(data=csv_files(COMPANY_HEADERS), skip_bad=st.booleans())
    @example(data=NUL_COMPANY_FILE, skip_bad=False)  # crashed PostgreSQL's import
    def check(data: bytes, skip_bad: bool) -> None:
        path.write_bytes(data)
        before = _count(app, Company)
        args = ["companies", "import", str(path)] + (["--skip-bad"] if skip_bad else [])
        result = runner.invoke(args=args)
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert _lines_ok(result.output, str(path))
        if result.exit_code == 1 and not skip_bad:
            assert _count(app, Company) == before
        with app.app_context():
            names = db.session.scalars(select(Company.name)).all()
        assert all(name.strip() and "\x00" not in name for name in names)

    check()


def test_company_import_upload_survives_hostile_files(app, make_user) -> None:
    from io import BytesIO

    client = app.test_client()
    login(client, make_user("official"))
    token = csrf_token(client, "/companies/import")

    @SETTINGS
    @given(data=csv_files(COMPANY_HEADERS), name=hostile_bytes)
    @example(data=NUL_COMPANY_FILE, name=b"a\x00b.csv")
    def check(data: bytes, name: bytes) -> None:
        before = _count(app, Company)
        filename = name.decode("utf-8", "replace") or "x.csv"
        response = client.post(
            "/companies/import",
            data={"csrf_token": token, "file": (BytesIO(data), filename)},
            content_type="multipart/form-data",
        )
        assert response.status_code in (200, 400, 413), response.status_code
        body = response.get_data(as_text=True)
        assert "<script>alert(1)" not in body and "<img src=x onerror" not in body
        assert _count(app, Company) == before  # a preview writes nothing

    check()


def test_response_import_cli_survives_hostile_files(app, runner, make_world, tmp_path) -> None:
    world = make_world()
    path = tmp_path / "responses.csv"
    counts = (_count(app, Response), _count(app, Answer))

    @SETTINGS
    @given(data=csv_files(RESPONSE_HEADERS))
    @example(data=b"submitted_at;Q_SCALE;Q_TEXT\n2025-01-01;3;a\x00b\n")  # crashed PostgreSQL
    def check(data: bytes) -> None:
        nonlocal counts
        path.write_bytes(data)
        result = runner.invoke(
            args=["responses", "import", str(path), "--battery", world.battery_key]
        )
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        now = (_count(app, Response), _count(app, Answer))
        if result.exit_code == 1:
            assert now == counts
        counts = now

    check()


@pytest.mark.parametrize(
    "data",
    [
        b"organisationsnummer;namn;kontaktperson\n556677-8899;A\x00B;K\n",
        b"organisationsnummer;namn\n556677-8899;Bra AB\n5566778899;\x00\n",
        "organisationsnummer;namn\n556677-8899;Bra AB\n".encode("utf-16"),
    ],
)
def test_company_import_with_nul_bytes_writes_nothing(app, runner, tmp_path, data) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["companies", "import", "--skip-bad", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {path}: ")
    assert _count(app, Company) == 0


def test_response_import_with_nul_bytes_writes_nothing(app, runner, make_world, tmp_path) -> None:
    world = make_world()
    before = (_count(app, Response), _count(app, Answer))
    path = tmp_path / "nul.csv"
    path.write_bytes(b"submitted_at;Q_SCALE;Q_TEXT\n2025-05-01;3;fint\n2025-05-02;3;a\x00b\n")
    result = runner.invoke(args=["responses", "import", str(path), "--battery", world.battery_key])
    assert result.exit_code == 1
    assert f"{path}:3:" in result.output
    assert (_count(app, Response), _count(app, Answer)) == before


@pytest.mark.parametrize(
    "data",
    [
        b"A" * 300_000,
        b"submitted_at;Q_TEXT\n2025-05-01;" + b"A" * 300_000 + b"\n",
    ],
)
def test_response_import_with_a_huge_field_is_one_clear_error(
    app, runner, make_world, tmp_path, data
) -> None:
    world = make_world()
    path = tmp_path / "huge.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["responses", "import", str(path), "--battery", world.battery_key])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"{path}:" in result.output
    assert _count(app, Response) == 1  # only the world's own response
