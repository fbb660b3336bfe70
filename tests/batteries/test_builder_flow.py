"""The builder end to end: create, add every question type, publish, and what it stores."""

from __future__ import annotations

import pytest

from survey.services.batteries import batteries
from tests.batteries.helpers import question_data
from tests.factories import post_form


def test_builder_creates_every_question_type_and_publishes_exactly_it(app, built, all_types):
    client = built
    response = post_form(
        client,
        "/batteries/alla-typer/versions/1/publish",
        {},
        form_url="/batteries/alla-typer/versions/1",
    )
    assert response.status_code == 302
    with app.app_context():
        version = batteries.get_version("alla-typer")
        assert version.is_published
        assert batteries.definition_of(version) == all_types


def test_list_and_battery_pages_show_the_battery(app, built, all_types):
    client = built
    assert "alla-typer" in client.get("/batteries/").get_data(as_text=True)
    page = client.get("/batteries/alla-typer/versions/1").get_data(as_text=True)
    for question in all_types.questions():
        assert question.key in page


def test_analyst_reads_but_cannot_change(app, built, login_as, all_types):
    analyst = login_as("analyst")
    assert analyst.get("/batteries/alla-typer/versions/1").status_code == 200
    assert analyst.get("/batteries/new").status_code == 403
    response = analyst.post("/batteries/alla-typer/draft")
    assert response.status_code in (400, 403)


BAD_QUESTIONS = [
    ("key", "BETYG", "text_sv"),  # a key the battery already has (e.g. from the library)
    ("text_sv", "", "text_sv"),
    ("text_en", "", None),  # English may be left out
    ("scale_max", "0", "scale_max"),
    ("scale_min", "ett", "scale_min"),
    ("scale_max", "20", "scale_max"),
    ("weight", "-1", "weight"),
    ("show_if_question", "OKAND", "show_if_question"),
    ("show_if_values", "9", "show_if_values"),
]


@pytest.mark.parametrize(("name", "value", "error_field"), BAD_QUESTIONS)
def test_bad_question_input_is_shown_beside_its_field_and_kept(
    app, built, all_types, name, value, error_field
):
    client = built
    page = client.get("/batteries/alla-typer/versions/1").get_data(as_text=True)
    section_id = page.split('id="section-', 1)[1].split('"', 1)[0]
    data = question_data(all_types.question("BETYG"))
    data.update({"key": "", "show_if_question": "JANEJ", "show_if_values": "yes"})
    data[name] = value
    url = f"/batteries/alla-typer/versions/2/sections/{section_id}/questions/new"
    url = url.replace("/versions/2/", "/versions/1/")
    response = post_form(client, url, data)
    html = response.get_data(as_text=True)
    if error_field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert f'id="{error_field}-error"' in html, html[:3000]
    assert 'aria-invalid="true"' in html or error_field == "show_if_values"
    if value and name not in ("key", "show_if_question", "show_if_values"):  # only choices shown
        assert f'value="{value}"' in html or f">{value}</textarea>" in html


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"options-0-label_sv": "Bara ett"}, "Skriv minst två svarsalternativ."),
        (
            {
                "options-0-label_en": "Only English",
                "options-1-label_sv": "B",
                "options-2-label_sv": "C",
            },
            "Skriv den svenska texten också",
        ),
    ],
)
def test_option_rows_are_checked_in_the_officials_words(app, built, all_types, rows, message):
    client = built
    page = client.get("/batteries/alla-typer/versions/1").get_data(as_text=True)
    section_id = page.split('id="section-', 1)[1].split('"', 1)[0]
    url = f"/batteries/alla-typer/versions/1/sections/{section_id}/questions/new"
    data = {"type": "single_choice", "text_sv": "Vilken?", "action": "save", **rows}
    html = post_form(client, url, data).get_data(as_text=True)
    assert message in html
    assert "single_choice" not in html.split("<main", 1)[1].split('name="type"')[0]
