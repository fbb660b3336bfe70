"""Build batteries through the builder's routes, as an official would."""

from __future__ import annotations

from flask.testing import FlaskClient

from survey.questionnaires import model as spec
from survey.services.battery_inputs import question_input
from tests.factories import post_form

KEY = "alla-typer"


def question_data(question: spec.Question) -> dict[str, str]:
    """Return a question definition as the builder's form posts it (checkboxes only when on)."""
    data = {k: v for k, v in question_input(question).__dict__.items() if not isinstance(v, bool)}
    for name, value in question_input(question).__dict__.items():
        if value is True:
            data[name] = "y"
    return data


def build(client: FlaskClient, battery: spec.Battery) -> None:
    """Create `battery` through the builder's routes (as draft version 1)."""
    response = post_form(
        client,
        "/batteries/new",
        {
            "key": battery.key,
            "title_sv": battery.title.sv,
            "title_en": battery.title.en or "",
            "intro_sv": battery.introduction.sv if battery.introduction else "",
            "intro_en": (battery.introduction.en or "") if battery.introduction else "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    base = f"/batteries/{battery.key}/versions/1"
    for s_index, section in enumerate(battery.sections, start=1):
        data = {
            "key": section.key,
            "title_sv": section.title.sv,
            "title_en": section.title.en or "",
            "description_sv": section.description.sv if section.description else "",
            "description_en": (section.description.en or "") if section.description else "",
        }
        response = post_form(client, f"{base}/sections/new", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        section_id = int(response.headers["Location"].rsplit("-", 1)[1])
        for question in section.questions:
            url = f"{base}/sections/{section_id}/questions/new"
            response = post_form(client, url, question_data(question))
            assert response.status_code == 302, response.get_data(as_text=True)
        del s_index
