"""The preview renders every question type in Swedish and English with the form engine."""

from __future__ import annotations

import html as html_lib

import pytest

from survey.questionnaires.model import QUESTION_TYPES
from survey.services.batteries import batteries


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_preview_shows_every_question_type_in_the_language(app, login_as, all_types, lang):
    with app.app_context():
        batteries.load_definition(all_types, actor_id=None)
    client = login_as("analyst")
    response = client.get(f"/batteries/alla-typer/versions/1/preview?lang={lang}")
    assert response.status_code == 200
    page = html_lib.unescape(response.get_data(as_text=True))
    assert {q.type for q in all_types.questions()} == set(QUESTION_TYPES)
    for question in all_types.questions():
        assert getattr(question.text, lang) in page
        for option in question.options:
            assert getattr(option.label, lang) in page
    dont_know = "Vet ej / ej aktuellt" if lang == "sv" else "Don't know / not applicable"
    assert dont_know in page
    assert ("Mycket nöjd" if lang == "sv" else "Very satisfied") in page
    assert 'data-show-if="JANEJ"' in page


def test_preview_checks_answers_without_storing(app, login_as, all_types):
    with app.app_context():
        batteries.load_definition(all_types, actor_id=None)
    client = login_as("official")
    url = "/batteries/alla-typer/versions/1/preview?lang=sv"
    from tests.factories import post_form

    html = post_form(client, url, {"ANTAL": "-3"}).get_data(as_text=True)
    assert 'id="BETYG-error"' in html and 'id="ANTAL-error"' in html
