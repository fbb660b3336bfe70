"""Organisation numbers and SNI codes: accepted spellings and the reasons for refusal."""

from __future__ import annotations

import random

import pytest

from survey import orgnr, sni


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("556036-0793", "556036-0793"),
        ("5560360793", "556036-0793"),
        ("165560360793", "556036-0793"),
        ("195560360793", "556036-0793"),
        ("20556036-0793", "556036-0793"),
        (" 556 036 0793 ", "556036-0793"),
        ("212000-0142", "212000-0142"),
    ],
)
def test_valid_numbers_are_normalised(raw: str, expected: str) -> None:
    assert orgnr.normalize(raw) == expected
    assert orgnr.is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("556036-0794", "check_digit"),
        ("5560360790", "check_digit"),
        ("556036-079", "length"),
        ("55603607931", "length"),
        ("185560360793", "length"),
        ("556O36-0793", "not_digits"),
        ("abc", "not_digits"),
        ("٥٥٦٠٣٦٠٧٩٣", "not_digits"),
        ("", "empty"),
        ("  -  ", "empty"),
    ],
)
def test_invalid_numbers_name_the_reason(raw: str, reason: str) -> None:
    with pytest.raises(orgnr.OrgNumberError) as caught:
        orgnr.normalize(raw)
    assert caught.value.reason == reason
    assert not orgnr.is_valid(raw)


def test_generated_numbers_are_valid_legal_persons() -> None:
    rng = random.Random(7)
    for _ in range(500):
        number = orgnr.generate(rng)
        assert orgnr.normalize(number) == number
        assert number[0] == "5" and int(number[2]) >= 2


@pytest.mark.parametrize(
    ("raw", "code", "letter"),
    [
        ("47.111", "47111", "G"),
        ("47111", "47111", "G"),
        ("01", "01", "A"),
        ("43341", "43341", "F"),
        ("62.010", "62010", "J"),
        ("99000", "99000", "U"),
        ("35", "35", "D"),
        ("04", None, None),
        ("4", None, None),
        ("471111", None, None),
        ("4a111", None, None),
    ],
)
def test_sni_codes_map_to_sections(raw: str, code: str | None, letter: str | None) -> None:
    assert sni.normalize_code(raw) == code
    if code:
        assert sni.section_letter(code) == letter


def test_every_section_has_names() -> None:
    letters = [section.letter for section in sni.SECTIONS]
    assert letters == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert all(section.name_sv and section.name_en for section in sni.SECTIONS)
