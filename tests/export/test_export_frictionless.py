"""Every export validates with Frictionless against its own datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import validate

from tests.export.conftest import ExportData


@pytest.mark.parametrize(
    "options",
    [[], ["--excel"], ["--format", "long"], ["--format", "long", "--excel"], ["--identities"]],
    ids=["plain", "excel", "long", "long-excel", "identities"],
)
def test_frictionless_validates(export_data: ExportData, runner, tmp_path: Path, options) -> None:
    target = tmp_path / "svar.csv"
    result = runner.invoke(
        args=["responses", "export", "--battery", export_data.battery, "-o", str(target), *options]
    )
    assert result.exit_code == 0, result.output
    package = tmp_path / "datapackage.json"
    assert (tmp_path / "svar-codebook.csv").exists()
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    if "--format" not in options:
        assert fields["NKI_HELHET"]["type"] == "integer"
        assert fields["BELOPP"]["type"] == "number"
        assert fields["OMRADE"]["constraints"] == {"enum": ["bygglov", "miljo"]}
        assert "Hur nöjd är du?" in fields["NKI_HELHET"]["description"]
        assert "How satisfied are you?" in fields["NKI_HELHET"]["description"]
        assert {"value": "6", "sv": "Mycket nöjd", "en": "Very satisfied"} in fields["NKI_HELHET"][
            "x-labels"
        ]
        assert fields["BEHOV__kompetens"]["constraints"] == {"enum": [0, 1]}


def test_frictionless_catches_a_bad_cell(export_data: ExportData, runner, tmp_path: Path) -> None:
    target = tmp_path / "svar.csv"
    runner.invoke(args=["responses", "export", "--battery", export_data.battery, "-o", str(target)])
    target.write_text(target.read_text(encoding="utf-8").replace("bygglov", "nope"), "utf-8")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_codebook_rows(export_data: ExportData, runner, tmp_path: Path) -> None:
    target = tmp_path / "svar.csv"
    runner.invoke(args=["responses", "export", "--battery", export_data.battery, "-o", str(target)])
    codebook = (tmp_path / "svar-codebook.csv").read_text(encoding="utf-8")
    assert codebook.splitlines()[0] == "column,type,question,text_sv,text_en,values_sv,values_en"
    assert (
        "NKI_HELHET,integer,NKI_HELHET,Hur nöjd är du?,How satisfied are you?,"
        "1 = Mycket missnöjd; 6 = Mycket nöjd,1 = Very dissatisfied; 6 = Very satisfied"
    ) in codebook
    assert "OMRADE,string,OMRADE,Vilket område?,Which area?,bygglov = Bygglov; miljo = Miljö," in (
        codebook
    )
