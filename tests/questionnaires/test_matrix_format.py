"""Matrix blocks and exclusive options in battery files: read, checked, and written back."""

from __future__ import annotations

import pytest

from survey.questionnaires import (
    BatteryFileError,
    canonical_json,
    content_hash,
    dump_battery,
    parse_battery,
)

MATRIX = """
key: matris
title: {sv: Matris}
sections:
  - key: a
    title: {sv: A}
    questions:
      - key: FORST
        type: yes_no
        text: {sv: Först}
      - matrix: besoket
        text: {sv: Besöket}
        scale: {min: 1, max: 6}
        show_if: {question: FORST, equals: "yes"}
        items:
          - {key: BESOK_A, text: {sv: A}, required: true}
          - {key: BESOK_B, text: {sv: B}, index: nki, weight: 2}
      - key: FLER
        type: multiple_choice
        text: {sv: Fler}
        options:
          - {key: a, label: {sv: A}}
          - {key: inget, label: {sv: Inget just nu}, exclusive: true}
"""


def test_matrix_items_are_scale_questions_that_round_trip() -> None:
    battery = parse_battery(MATRIX, source="m.yaml")
    first, second = battery.sections[0].questions[1:3]
    assert (first.type, first.key, first.required, first.matrix.key) == (
        "scale",
        "BESOK_A",
        True,
        "besoket",
    )
    assert (second.index, second.weight, second.show_if.values) == ("nki", 2.0, ("yes",))
    assert battery.question("FLER").options[1].exclusive
    again = parse_battery(dump_battery(battery), source="again.yaml")
    assert again == battery and content_hash(again) == content_hash(battery)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "{key: BESOK_B, text: {sv: B}, index: nki, weight: 2}",
                "{key: BESOK_A, text: {sv: B}}",
            ),
            "duplicate question key",
        ),
        (
            (
                "{key: BESOK_A, text: {sv: A}, required: true}",
                "{key: BESOK_A, type: nps, text: {sv: A}}",
            ),
            "type",
        ),
        (
            (
                "exclusive: true}",
                "exclusive: true}\n      - key: EN\n        type: single_choice\n"
                "        text: {sv: En}\n        options:\n          - {key: a, label: {sv: A}}\n"
                "          - {key: b, label: {sv: B}, exclusive: true}",
            ),
            "only allowed on the options",
        ),
        (("scale: {min: 1, max: 6}", "scale: {min: 1, max: 20}"), "2 to 11 points"),
    ],
)
def test_bad_matrix_or_exclusive_is_reported(change: tuple[str, str], message: str) -> None:
    with pytest.raises(BatteryFileError) as error:
        parse_battery(MATRIX.replace(*change), source="m.yaml")
    assert message in str(error.value)


def test_stored_fingerprints_of_batteries_without_the_new_fields_stay() -> None:
    plain = MATRIX.split("      - matrix:")[0]
    battery = parse_battery(plain, source="p.yaml")
    assert '"matrix"' not in canonical_json(battery)
