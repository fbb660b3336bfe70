"""The questionnaire form engine: required, show-if, bounds, vet ej, multiple choice."""

from __future__ import annotations

from typing import Any

import pytest
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from survey.forms import build_section_form, clean_value, visible_keys
from survey.questionnaires.values import InvalidAnswer


def _submit(app, battery, section: str, pairs: list[tuple[str, str]], data=None):  # noqa: ANN001, ANN202
    with app.test_request_context(method="POST"):
        formdata = MultiDict([("csrf_token", generate_csrf()), *pairs])
        form = build_section_form(battery, section, language="sv", data=data, formdata=formdata)
        valid = form.validate()
        return valid, {k: list(v) for k, v in form.errors.items()}, form.answers(), form


def test_required_question_must_be_answered(plain_app, all_types):
    valid, errors, _answers, _form = _submit(plain_app, all_types, "forsta", [])
    assert not valid
    assert errors == {"BETYG": ["Svara på frågan."]}


def test_question_hidden_by_show_if_is_not_required_nor_stored(plain_app, all_types):
    pairs = [("BETYG", "5"), ("JANEJ", "no"), ("VARFOR", "ignoreras")]
    valid, errors, answers, _form = _submit(plain_app, all_types, "forsta", pairs)
    assert valid, errors
    assert answers == {"BETYG": 5, "JANEJ": "no"}


def test_shown_conditional_question_is_required(plain_app, all_types):
    valid, errors, _answers, _form = _submit(
        plain_app, all_types, "forsta", [("BETYG", "5"), ("JANEJ", "yes")]
    )
    assert not valid and list(errors) == ["VARFOR"]


def test_condition_on_an_earlier_page_removes_the_question(plain_app, all_types):
    with plain_app.test_request_context():
        hidden = build_section_form(all_types, "andra", language="sv", data={"VAL": "bygglov"})
        shown = build_section_form(all_types, "andra", language="en", data={"VAL": "miljo"})
    assert "MILJO_FOLJD" not in hidden.questions
    assert "MILJO_FOLJD" in shown.questions
    assert shown.MILJO_FOLJD.label.text == "What was the environment case about?"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Skriv ett tal från 0 till 500."),
        ("501", "Skriv ett tal från 0 till 500."),
        ("2,5", "Skriv ett heltal."),
        ("tolv", "Skriv ett tal, till exempel 12 eller 2,5."),
    ],
)
def test_number_bounds(plain_app, all_types, value: str, message: str):
    pairs = [("ANTAL", value)]
    valid, errors, _answers, form = _submit(plain_app, all_types, "andra", pairs)
    assert not valid and errors == {"ANTAL": [message]}
    assert form.ANTAL.data == value  # what was typed is kept


def test_dont_know_multiple_choice_date_and_nps(plain_app, all_types):
    pairs = [("BETYG", "dont_know"), ("FLERA", "forum"), ("FLERA", "massa")]
    valid, _errors, answers, _form = _submit(plain_app, all_types, "forsta", pairs)
    assert valid
    assert answers == {"BETYG": "dont_know", "FLERA": ["massa", "forum"]}
    pairs = [("REKO", "10"), ("DATUM", "2026-03-01"), ("ANTAL", "12")]
    valid, _errors, answers, _form = _submit(plain_app, all_types, "andra", pairs)
    assert answers == {"REKO": 10, "DATUM": "2026-03-01", "ANTAL": 12}


@pytest.mark.parametrize(
    ("key", "raw"),
    [("FLERA", ["okand"]), ("REKO", "11"), ("DATUM", "2026-02-30"), ("VARFOR", "x" * 21)],
)
def test_invalid_values_are_refused(plain_app, all_types, key: str, raw: Any):
    with plain_app.test_request_context(), pytest.raises(InvalidAnswer):
        clean_value(all_types.question(key), raw)


def test_visible_keys_follow_chains_across_sections(all_types):
    keys = visible_keys(all_types, {"VAL": "miljo", "JANEJ": "no"})
    assert "MILJO_FOLJD" in keys and "VARFOR" not in keys


def test_form_is_filled_again_from_a_json_draft(plain_app, all_types):
    data = {"BETYG": 4, "FLERA": ["trafik"], "JANEJ": "yes", "VARFOR": "Bra"}
    with plain_app.test_request_context():
        form = build_section_form(all_types, "forsta", language="sv", data=data)
    assert (form.BETYG.data, form.FLERA.data, form.VARFOR.data) == ("4", ["trafik"], "Bra")


def test_matrix_items_are_questions_of_their_own_shown_by_the_matrix_condition(
    plain_app, all_types
):
    valid, errors, _answers, form = _submit(plain_app, all_types, "forsta", [("BETYG", "2")])
    assert not valid and errors == {"BESOK_TID": ["Svara på frågan."]}
    assert form.matrix_items("BESOK_LYSSNA") == ["BESOK_TID", "BESOK_LYSSNA"]
    pairs = [("BETYG", "2"), ("BESOK_TID", "5"), ("BESOK_LYSSNA", "1")]
    valid, errors, answers, _form = _submit(plain_app, all_types, "forsta", pairs)
    assert valid, errors
    assert answers == {"BETYG": 2, "BESOK_TID": 5, "BESOK_LYSSNA": 1}


def test_exclusive_option_is_refused_with_others(plain_app, all_types):
    pairs = [("BETYG", "5"), ("FLERA", "inget"), ("FLERA", "massa")]
    valid, errors, _answers, _form = _submit(plain_app, all_types, "forsta", pairs)
    assert not valid
    assert errors == {"FLERA": ["”Inget just nu” väljs ensamt: ta bort det eller de andra svaren."]}
    valid, errors, answers, _form = _submit(
        plain_app, all_types, "forsta", [("BETYG", "5"), ("FLERA", "inget")]
    )
    assert valid and answers["FLERA"] == ["inget"]
