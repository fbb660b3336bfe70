"""The batteries shipped in questionnaires/ parse and carry the agreed keys and index roles."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from survey.questionnaires import SERVICE_FACTORS, Battery, Text, load_file, parse_battery

ROOT = Path(__file__).resolve().parents[2] / "questionnaires"
SHIPPED = sorted(ROOT.glob("*.yaml"))
NKI_KEYS = ("NKI_HELHET", "NKI_FORVANTAN", "NKI_IDEAL")


def _texts(battery: Battery) -> list[Text]:
    found = [battery.title, battery.introduction]
    for section in battery.sections:
        found += [section.title, section.description]
        for question in section.questions:
            found += [question.text, question.help, *(o.label for o in question.options)]
            if question.scale is not None:
                found += [question.scale.min_label, question.scale.max_label]
    return [text for text in found if text is not None]


def test_shipped_files_are_the_three_batteries() -> None:
    assert [path.name for path in SHIPPED] == [
        "foretagsbesok-samtalsguide.yaml",
        "nki-myndighetsutovning.yaml",
        "uppfoljning-foretagsbesok.yaml",
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_file_parses_with_key_from_file_name(path: Path) -> None:
    battery = load_file(path)
    assert battery.key == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_file_has_english_for_every_text(path: Path) -> None:
    missing = [text.sv for text in _texts(load_file(path)) if not text.en]
    assert missing == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_file_uses_several_question_types_and_conditions(path: Path) -> None:
    questions = list(load_file(path).questions())
    assert len({question.type for question in questions}) >= 4
    assert any(question.show_if is not None for question in questions)


@pytest.mark.parametrize("stem", ["nki-myndighetsutovning", "uppfoljning-foretagsbesok"])
def test_nki_surveys_have_the_three_nki_questions(stem: str) -> None:
    battery = load_file(ROOT / f"{stem}.yaml")
    nki = [question for question in battery.questions() if question.index == "nki"]
    assert tuple(question.key for question in nki) == NKI_KEYS
    for question in nki:
        assert question.type == "scale"
        assert (question.scale.min, question.scale.max, question.weight) == (1, 6, 1.0)
        assert not question.scale.dont_know


def test_nki_myndighetsutovning_has_six_factors_and_service_areas() -> None:
    battery = load_file(ROOT / "nki-myndighetsutovning.yaml")
    factors = Counter(q.index for q in battery.questions() if q.index not in (None, "nki"))
    assert set(factors) == set(SERVICE_FACTORS)
    assert all(2 <= count <= 3 for count in factors.values()), factors
    for question in battery.questions():
        if question.index in SERVICE_FACTORS:
            scale = question.scale
            assert (scale.min, scale.max, scale.dont_know) == (1, 6, True), question.key
    assert battery.question("OMRADE").option_keys() == (
        "bygglov",
        "miljo_halsoskydd",
        "livsmedel",
        "servering",
        "brandskydd",
        "markupplatelse",
        "ovrigt",
    )


def test_uppfoljning_has_optional_nps() -> None:
    battery = load_file(ROOT / "uppfoljning-foretagsbesok.yaml")
    nps = [question for question in battery.questions() if question.type == "nps"]
    assert len(nps) == 1 and not nps[0].required


def test_samtalsguide_covers_the_visit_topics() -> None:
    battery = load_file(ROOT / "foretagsbesok-samtalsguide.yaml")
    assert [section.key for section in battery.sections] == [
        "foretaget",
        "kontakter",
        "behov",
        "framtid",
        "natverk",
        "aterkoppling",
    ]
    assert {"kompetensmassa", "trafiknatverk", "naringslivsforum", "frukostmoten"} <= set(
        battery.question("NATVERK_INTRESSE").option_keys()
    )
    assert {"epost", "telefon", "nytt_besok"} <= set(
        battery.question("ATERKOPPLING_SATT").option_keys()
    )


def test_readme_example_is_a_valid_battery() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    battery = parse_battery(example.group(1), source="README.md")
    types = {question.type for question in battery.questions()}
    assert types == {
        "scale",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "nps",
        "short_text",
        "long_text",
        "number",
        "date",
    }
    assert any(question.matrix for question in battery.questions())
    assert any(o.exclusive for question in battery.questions() for o in question.options)
