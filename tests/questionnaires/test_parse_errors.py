"""Every kind of mistake in a battery file gets its own message, at a findable location."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from survey.questionnaires import (
    BatteryFileError,
    Condition,
    parse_battery,
)


def _base() -> dict[str, Any]:
    choice = {"key": "ja", "label": {"sv": "Ja"}}
    return {
        "key": "test-battery",
        "title": {"sv": "Test", "en": "Test"},
        "sections": [
            {
                "key": "forsta",
                "title": {"sv": "Första"},
                "questions": [
                    {
                        "key": "VAL",
                        "type": "single_choice",
                        "text": {"sv": "Välj"},
                        "options": [choice, {"key": "nej", "label": {"sv": "Nej"}}],
                    },
                    {
                        "key": "BETYG",
                        "type": "scale",
                        "text": {"sv": "Betyg"},
                        "scale": {"min": 1, "max": 6, "min_label": {"sv": "Dåligt"}},
                        "index": "nki",
                    },
                    {"key": "FRITEXT", "type": "short_text", "text": {"sv": "Fritext"}},
                ],
            },
            {
                "key": "andra",
                "title": {"sv": "Andra"},
                "questions": [
                    {"key": "ANTAL", "type": "number", "text": {"sv": "Antal"}},
                    {"key": "JANEJ", "type": "yes_no", "text": {"sv": "Ja eller nej"}},
                ],
            },
        ],
    }


def _q(data: dict[str, Any], section: int, number: int) -> dict[str, Any]:
    return data["sections"][section]["questions"][number]


VAL, BETYG, FRITEXT = (
    "sections[0].questions[0] (VAL)",
    "sections[0].questions[1] (BETYG)",
    "sections[0].questions[2] (FRITEXT)",
)
ANTAL, JANEJ = "sections[1].questions[0] (ANTAL)", "sections[1].questions[1] (JANEJ)"

Mutation = Callable[[dict[str, Any]], Any]
CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "unknown-top-level-field",
        lambda d: d.update(titel={"sv": "x"}),
        "titel",
        "unknown field 'titel'; did you mean `title`?",
    ),
    (
        "unknown-section-field",
        lambda d: d["sections"][0].update(descripton={"sv": "x"}),
        "sections[0].descripton",
        "unknown field 'descripton'; did you mean `description`?",
    ),
    (
        "unknown-question-field",
        lambda d: _q(d, 0, 0).update(requird=True),
        f"{VAL}.requird",
        "unknown field 'requird'; did you mean `required`?",
    ),
    ("missing-battery-key", lambda d: d.pop("key"), "key", "`key` is required"),
    ("missing-sections", lambda d: d.pop("sections"), "sections", "`sections` is required"),
    (
        "missing-question-key",
        lambda d: _q(d, 0, 2).pop("key"),
        "sections[0].questions[2].key",
        "`key` is required",
    ),
    ("missing-question-text", lambda d: _q(d, 0, 2).pop("text"), f"{FRITEXT}.text", "`text` is"),
    (
        "bad-battery-key",
        lambda d: d.update(key="Test Battery"),
        "key",
        "'Test Battery' is not a valid key: use a-z, 0-9 and -",
    ),
    (
        "bad-section-key",
        lambda d: d["sections"][0].update(key="Första"),
        "sections[0].key",
        "'Första' is not a valid key: use a-z, 0-9 and _ only",
    ),
    (
        "bad-question-key",
        lambda d: _q(d, 0, 2).update(key="nki_helhet"),
        "sections[0].questions[2].key",
        "'nki_helhet' is not a valid key: use A-Z, 0-9 and _",
    ),
    (
        "bad-option-key",
        lambda d: _q(d, 0, 0)["options"][0].update(key="Ja!"),
        f"{VAL}.options[0].key",
        "'Ja!' is not a valid key: use a-z, 0-9 and _ only",
    ),
    (
        "boolean-option-key",
        lambda d: _q(d, 0, 0)["options"][0].update(key=True),
        f"{VAL}.options[0].key",
        "must be a string; unquoted yes/no/on/off/true/false are booleans in YAML",
    ),
    (
        "unknown-type",
        lambda d: _q(d, 0, 2).update(type="rating"),
        f"{FRITEXT}.type",
        "unknown question type 'rating'; use scale, single_choice",
    ),
    (
        "service-area-on-scale",
        lambda d: _q(d, 0, 1).update(service_area=True),
        f"{BETYG}.service_area",
        "`service_area` is only allowed for single_choice questions",
    ),
    (
        "service-area-not-boolean",
        lambda d: _q(d, 0, 0).update(service_area="ja"),
        f"{VAL}.service_area",
        "must be true or false, not 'ja'",
    ),
    (
        "second-service-area-question",
        lambda d: (
            _q(d, 0, 0).update(service_area=True),
            d["sections"][1]["questions"].append({**_q(d, 0, 0), "key": "OMRADE"}),
        ),
        "sections[1].questions[2] (OMRADE).service_area",
        "only one question gives the service area; VAL already does",
    ),
    (
        "duplicate-question-key",
        lambda d: _q(d, 1, 0).update(key="VAL"),
        "sections[1].questions[0] (VAL).key",
        f"duplicate question key; first used at {VAL}",
    ),
    (
        "duplicate-section-key",
        lambda d: d["sections"][1].update(key="forsta"),
        "sections[1].key",
        "duplicate section key 'forsta'; first used at sections[0]",
    ),
    (
        "duplicate-option-key",
        lambda d: _q(d, 0, 0)["options"][1].update(key="ja"),
        f"{VAL}.options[1].key",
        "duplicate option key 'ja'",
    ),
    (
        "scale-max-below-min",
        lambda d: _q(d, 0, 1)["scale"].update(min=6, max=1),
        f"{BETYG}.scale.max",
        "max (1) is below min (6)",
    ),
    (
        "scale-one-point",
        lambda d: _q(d, 0, 1)["scale"].update(min=3, max=3),
        f"{BETYG}.scale",
        "a scale needs 2 to 11 points; 3..3 has 1",
    ),
    (
        "scale-twelve-points",
        lambda d: _q(d, 0, 1)["scale"].update(min=0, max=11),
        f"{BETYG}.scale",
        "a scale needs 2 to 11 points; 0..11 has 12",
    ),
    (
        "scale-missing",
        lambda d: _q(d, 0, 1).pop("scale"),
        f"{BETYG}.scale",
        "a scale question needs a `scale` block",
    ),
    (
        "scale-not-integer",
        lambda d: _q(d, 0, 1)["scale"].update(max=5.5),
        f"{BETYG}.scale.max",
        "must be an integer, not 5.5",
    ),
    (
        "choice-without-options",
        lambda d: _q(d, 0, 0).pop("options"),
        f"{VAL}.options",
        "a single_choice question needs `options`",
    ),
    (
        "choice-with-one-option",
        lambda d: _q(d, 0, 0)["options"].pop(),
        f"{VAL}.options",
        "must have at least 2 item(s)",
    ),
    (
        "options-on-non-choice",
        lambda d: _q(d, 0, 2).update(options=[{"key": "a", "label": {"sv": "A"}}]),
        f"{FRITEXT}.options",
        "`options` is only allowed for single_choice and multiple_choice questions",
    ),
    (
        "scale-on-non-scale",
        lambda d: _q(d, 1, 0).update(scale={"min": 1, "max": 5}),
        f"{ANTAL}.scale",
        "`scale` is only allowed for scale questions",
    ),
    (
        "condition-unknown-question",
        lambda d: _q(d, 1, 1).update(show_if={"question": "FINNS_EJ", "equals": "ja"}),
        f"{JANEJ}.show_if.question",
        "refers to unknown question 'FINNS_EJ'",
    ),
    (
        "condition-later-question",
        lambda d: _q(d, 0, 0).update(show_if={"question": "JANEJ", "equals": "yes"}),
        f"{VAL}.show_if.question",
        "must refer to an earlier question; JANEJ comes later",
    ),
    (
        "condition-same-question",
        lambda d: _q(d, 1, 1).update(show_if={"question": "JANEJ", "equals": "yes"}),
        f"{JANEJ}.show_if.question",
        "a question cannot depend on itself",
    ),
    (
        "condition-not-an-option",
        lambda d: _q(d, 0, 2).update(show_if={"question": "VAL", "equals": "kanske"}),
        f"{FRITEXT}.show_if",
        "'kanske' is not a possible answer to VAL (ja, nej)",
    ),
    (
        "condition-outside-scale",
        lambda d: _q(d, 0, 2).update(show_if={"question": "BETYG", "in": [5, 7]}),
        f"{FRITEXT}.show_if",
        "'7' is not a possible answer to BETYG (1, 2, 3, 4, 5, 6)",
    ),
    (
        "condition-on-text-question",
        lambda d: _q(d, 1, 0).update(show_if={"question": "FRITEXT", "equals": "x"}),
        f"{ANTAL}.show_if.question",
        "FRITEXT is a short_text question; refer to a choice, yes_no, scale or nps",
    ),
    (
        "condition-equals-and-in",
        lambda d: _q(d, 0, 2).update(show_if={"question": "VAL", "equals": "ja", "in": ["ja"]}),
        f"{FRITEXT}.show_if",
        "give exactly one of `equals` or `in`",
    ),
    (
        "missing-swedish-title",
        lambda d: d.update(title={"en": "Test"}),
        "title.sv",
        "Swedish text (`sv`) is missing",
    ),
    (
        "missing-swedish-section-title",
        lambda d: d["sections"][1].update(title={"sv": " ", "en": "Other"}),
        "sections[1].title.sv",
        "Swedish text (`sv`) is missing",
    ),
    (
        "missing-swedish-question-text",
        lambda d: _q(d, 1, 0).update(text={"en": "Number"}),
        f"{ANTAL}.text.sv",
        "Swedish text (`sv`) is missing",
    ),
    (
        "missing-swedish-option-label",
        lambda d: _q(d, 0, 0)["options"][1].update(label={"en": "No"}),
        f"{VAL}.options[1].label.sv",
        "Swedish text (`sv`) is missing",
    ),
    (
        "missing-swedish-scale-label",
        lambda d: _q(d, 0, 1)["scale"].update(min_label={"en": "Poor"}),
        f"{BETYG}.scale.min_label.sv",
        "Swedish text (`sv`) is missing",
    ),
    (
        "text-not-a-mapping",
        lambda d: _q(d, 0, 2).update(text="Fritext"),
        f"{FRITEXT}.text",
        "must be a mapping, not a string",
    ),
    (
        "text-not-a-string",
        lambda d: _q(d, 0, 2).update(text={"sv": 12}),
        f"{FRITEXT}.text.sv",
        "must be a string, not an integer",
    ),
    (
        "unknown-language",
        lambda d: _q(d, 0, 2).update(text={"sv": "Fritext", "de": "Freitext"}),
        f"{FRITEXT}.text.de",
        "unknown field 'de'",
    ),
    (
        "weight-zero",
        lambda d: _q(d, 0, 1).update(weight=0),
        f"{BETYG}.weight",
        "must be greater than 0, not 0",
    ),
    (
        "weight-negative",
        lambda d: _q(d, 0, 1).update(weight=-1.5),
        f"{BETYG}.weight",
        "must be greater than 0, not -1.5",
    ),
    (
        "weight-without-index",
        lambda d: (_q(d, 0, 1).pop("index"), _q(d, 0, 1).update(weight=2)),
        f"{BETYG}.weight",
        "`weight` is only allowed together with `index`",
    ),
    (
        "index-on-non-scale",
        lambda d: _q(d, 1, 0).update(index="nki"),
        f"{ANTAL}.index",
        "`index` is only allowed for scale questions",
    ),
    (
        "bad-index-key",
        lambda d: _q(d, 0, 1).update(index="Bemötande"),
        f"{BETYG}.index",
        "'Bemötande' is not a valid key: use `nki` or a service factor slug",
    ),
    (
        "number-min-above-max",
        lambda d: _q(d, 1, 0).update(number={"min": 10, "max": 1}),
        f"{ANTAL}.number.min",
        "min (10) is above max (1)",
    ),
    (
        "number-not-finite",
        lambda d: _q(d, 1, 0).update(number={"max": float("inf")}),
        f"{ANTAL}.number.max",
        "must be a finite number",
    ),
    (
        "max-length-zero",
        lambda d: _q(d, 0, 2).update(max_length=0),
        f"{FRITEXT}.max_length",
        "must be a positive number of characters, not 0",
    ),
    (
        "max-length-too-large",
        lambda d: _q(d, 0, 2).update(max_length=10**6),
        f"{FRITEXT}.max_length",
        "must be between 1 and 1000, not 1000000",
    ),
    (
        "question-text-too-long",
        lambda d: _q(d, 0, 2).update(text={"sv": "x" * 2001}),
        f"{FRITEXT}.text.sv",
        "is 2001 characters long; at most 2000 are allowed",
    ),
    (
        "title-too-long",
        lambda d: d.update(title={"sv": "Rubrik", "en": "y" * 201}),
        "title.en",
        "is 201 characters long; at most 200 are allowed",
    ),
    (
        "required-not-boolean",
        lambda d: _q(d, 0, 2).update(required="ja"),
        f"{FRITEXT}.required",
        "must be true or false, not 'ja'",
    ),
    (
        "sections-not-a-list",
        lambda d: d.update(sections={"key": "x"}),
        "sections",
        "must be a list, not a mapping",
    ),
    ("no-sections", lambda d: d.update(sections=[]), "sections", "must have at least 1 item(s)"),
    (
        "question-not-a-mapping",
        lambda d: d["sections"][1]["questions"].append("FRAGA"),
        "sections[1].questions[2]",
        "a question must be a mapping with `key`, `type` and `text`",
    ),
]


def _text_of(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_base_battery_is_valid() -> None:
    battery = parse_battery(_text_of(_base()), source="base.yaml")
    assert [question.key for question in battery.questions()] == [
        "VAL",
        "BETYG",
        "FRITEXT",
        "ANTAL",
        "JANEJ",
    ]


@pytest.mark.parametrize(
    ("mutate", "location", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_parse_battery_reports_problem(mutate: Mutation, location: str, message: str) -> None:
    data = copy.deepcopy(_base())
    mutate(data)
    with pytest.raises(BatteryFileError) as caught:
        parse_battery(_text_of(data), source="bad.yaml")
    found = [(p.location, p.message) for p in caught.value.errors]
    assert any(loc == location and msg.startswith(message) for loc, msg in found), found
    assert f"bad.yaml: {location}: {message}" in str(caught.value)


def test_parse_battery_collects_every_problem() -> None:
    data = _base()
    data["titel"] = {"sv": "x"}
    _q(data, 0, 1)["scale"]["max"] = 0
    _q(data, 1, 1)["type"] = "ja_nej"
    with pytest.raises(BatteryFileError) as caught:
        parse_battery(_text_of(data), source="many.yaml")
    lines = str(caught.value).splitlines()
    assert lines == [
        "many.yaml: titel: unknown field 'titel'; did you mean `title`?",
        f"many.yaml: {BETYG}.scale.max: max (0) is below min (1)",
        f"many.yaml: {JANEJ}.type: unknown question type 'ja_nej'; use scale, single_choice, "
        "multiple_choice, yes_no, nps, short_text, long_text, number, date",
    ]


def test_parse_battery_checks_conditions_of_questions_with_other_problems() -> None:
    data = _base()
    _q(data, 0, 0)["options"][1]["key"] = "ja"
    _q(data, 0, 0)["show_if"] = {"question": "JANEJ", "equals": "yes"}
    _q(data, 0, 2)["show_if"] = {"question": "BETYG", "equals": 3}
    _q(data, 0, 1)["scale"]["max"] = 0
    with pytest.raises(BatteryFileError) as caught:
        parse_battery(_text_of(data), source="many.yaml")
    assert [(p.location, p.message) for p in caught.value.errors] == [
        (f"{VAL}.options[1].key", "duplicate option key 'ja'"),
        (f"{VAL}.show_if.question", "must refer to an earlier question; JANEJ comes later"),
        (f"{BETYG}.scale.max", "max (0) is below min (1)"),
    ]


def test_condition_accepts_unquoted_yes_and_numeric_strings() -> None:
    text = """
key: villkor
title: {sv: Villkor}
sections:
  - key: allt
    title: {sv: Allt}
    questions:
      - {key: JANEJ, type: yes_no, text: {sv: Ja eller nej}}
      - {key: BETYG, type: scale, text: {sv: Betyg}, scale: {min: 1, max: 6}}
      - {key: OM_JA, type: short_text, text: {sv: Om ja}, show_if: {question: JANEJ, equals: yes}}
      - {key: OM_NEJ, type: short_text, text: {sv: Om nej}, show_if: {question: JANEJ, in: [no]}}
      - {key: OM_HOGT, type: long_text, text: {sv: Högt}, show_if: {question: BETYG, in: ["05", 6]}}
"""
    battery = parse_battery(text, source="ok.yaml")
    assert battery.question("OM_JA").show_if == Condition("JANEJ", ("yes",))
    assert battery.question("OM_NEJ").show_if == Condition("JANEJ", ("no",))
    assert battery.question("OM_HOGT").show_if == Condition("BETYG", ("5", "6"))
