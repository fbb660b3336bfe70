"""Build batteries through the builder's routes, as an official would."""

from __future__ import annotations

from flask.testing import FlaskClient

from survey.questionnaires import model as spec
from survey.services.batteries.drafts import draft_of
from survey.web.batteries.questions import form_data
from tests.factories import post_form

KEY = "alla-typer"


def question_data(question: spec.Question | list[spec.Question]) -> dict[str, object]:
    """Return a question (or a matrix's items) as the editor posts it, kept keys included."""
    questions = question if isinstance(question, list) else [question]
    data: dict[str, object] = {"action": "save"}
    for name, value in form_data(draft_of(questions)).items():
        if isinstance(value, list) and name in ("options", "items"):
            for number, row in enumerate(value):
                for field, cell in row.items():
                    if cell is True:
                        data[f"{name}-{number}-{field}"] = "y"
                    elif cell not in (False, None):
                        data[f"{name}-{number}-{field}"] = cell
        elif value is True:
            data[name] = "y"
        elif value not in (False, None):
            data[name] = list(value) if isinstance(value, tuple | list) else value
    return data


def blocks(questions: tuple[spec.Question, ...]) -> list[list[spec.Question]]:
    """Return questions grouped as the editor edits them: a matrix's items together."""
    grouped: list[list[spec.Question]] = []
    for question in questions:
        matrix = question.matrix
        if grouped and matrix is not None and grouped[-1][0].matrix == matrix:
            grouped[-1].append(question)
        else:
            grouped.append([question])
    return grouped


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
        for block in blocks(section.questions):
            url = f"{base}/sections/{section_id}/questions/new"
            response = post_form(client, url, question_data(block))
            assert response.status_code == 302, response.get_data(as_text=True)
        del s_index
