"""Reordering and removing sections and questions of a draft through the builder's routes."""

from __future__ import annotations

import html as html_lib

from flask import Flask
from flask.testing import FlaskClient

from survey.services.batteries import batteries
from tests.batteries.helpers import KEY
from tests.factories import post_form

BASE = f"/batteries/{KEY}/versions/1"


def _layout(app: Flask) -> list[tuple[str, list[str]]]:
    with app.app_context():
        definition = batteries.definition_of(batteries.get_version(KEY, 1))
    return [(s.key, [q.key for q in s.questions]) for s in definition.sections]


def _ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        version = batteries.get_version(KEY, 1)
        found = {section.key: section.id for section in version.sections}
        for section in version.sections:
            found.update({question.key: question.id for question in section.questions})
    return found


MATRIX = ["BESOK_TID", "BESOK_LYSSNA"]


def _post(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> str:
    response = post_form(client, BASE + path, data or {}, form_url=BASE, follow_redirects=True)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_questions_and_sections_move_and_go_without_breaking_conditions(
    app: Flask, built, all_types
) -> None:
    client = built
    ids = _ids(app)
    original = _layout(app)

    _post(client, f"/questions/{ids['VAL']}/down")
    assert _layout(app)[0] == ("forsta", ["BETYG", "FLERA", "VAL", *MATRIX, "JANEJ", "VARFOR"])
    # A matrix moves as one block.
    _post(client, f"/questions/{ids['BESOK_LYSSNA']}/down")
    assert _layout(app)[0][1] == ["BETYG", "FLERA", "VAL", "JANEJ", *MATRIX, "VARFOR"]
    _post(client, f"/questions/{ids['BESOK_TID']}/down")

    # VARFOR is shown on an answer to JANEJ: JANEJ may not move below it nor go away.
    _post(client, f"/questions/{ids['JANEJ']}/down")
    _post(client, f"/questions/{ids['VARFOR']}/up")
    _post(client, f"/questions/{ids['JANEJ']}/remove")
    # MILJO_FOLJD (second section) depends on VAL (first section): the sections keep their order.
    _post(client, f"/sections/{ids['andra']}/up")
    assert _layout(app)[0][1] == ["BETYG", "FLERA", "VAL", "JANEJ", "VARFOR", *MATRIX]
    assert [key for key, _questions in _layout(app)] == ["forsta", "andra"]

    _post(client, f"/questions/{ids['MILJO_FOLJD']}/remove")
    _post(client, f"/sections/{ids['andra']}/up")
    assert _layout(app) == [
        ("andra", ["REKO", "KOMMENTAR", "ANTAL", "DATUM"]),
        ("forsta", ["BETYG", "FLERA", "VAL", "JANEJ", "VARFOR", *MATRIX]),
    ]

    _post(client, f"/questions/{ids['VARFOR']}/remove")
    _post(client, f"/questions/{ids['JANEJ']}/remove")
    _post(client, f"/questions/{ids['BESOK_TID']}/remove")  # the whole matrix goes
    _post(client, f"/sections/{ids['andra']}/remove")
    assert _layout(app) == [("forsta", ["BETYG", "FLERA", "VAL"])]
    assert original != _layout(app)

    _post(client, "/publish")
    with app.app_context():
        published = batteries.get_version(KEY, 1)
        assert published.is_published
        assert [q.key for q in batteries.definition_of(published).questions()] == [
            "BETYG",
            "FLERA",
            "VAL",
        ]


def test_questions_move_to_another_section_and_before_another_question(
    app: Flask, built, all_types
) -> None:
    client = built
    ids = _ids(app)
    # Keyboard: "Move to section" puts the question last in the chosen section.
    _post(client, f"/questions/{ids['FLERA']}/place", {"section": str(ids["andra"])})
    assert _layout(app)[1][1] == ["REKO", "KOMMENTAR", "ANTAL", "DATUM", "MILJO_FOLJD", "FLERA"]
    # Drag and drop: before another question, across sections; a matrix with all its items.
    _post(
        client,
        f"/questions/{ids['BESOK_LYSSNA']}/place",
        {"section": str(ids["andra"]), "before": str(ids["KOMMENTAR"])},
    )
    assert _layout(app)[1][1][:4] == ["REKO", *MATRIX, "KOMMENTAR"]
    # A drop that puts a question before the one it depends on is refused, and says why.
    html = html_lib.unescape(
        _post(
            client,
            f"/questions/{ids['MILJO_FOLJD']}/place",
            {"section": str(ids["forsta"]), "before": str(ids["VAL"])},
        )
    )
    assert "måste komma efter frågan den beror på" in html
    assert _layout(app)[1][1][-2:] == ["MILJO_FOLJD", "FLERA"]
    # Sections by drag and drop, once nothing in "andra" depends on "forsta".
    _post(client, f"/questions/{ids['MILJO_FOLJD']}/remove")
    _post(client, f"/questions/{ids['BESOK_TID']}/remove")
    _post(client, f"/sections/{ids['andra']}/place", {"before": str(ids["forsta"])})
    assert [key for key, _questions in _layout(app)] == ["andra", "forsta"]


def test_refused_move_says_why(app: Flask, built, all_types) -> None:
    client = built
    html = html_lib.unescape(_post(client, f"/questions/{_ids(app)['JANEJ']}/down"))
    assert "måste komma efter frågan den beror på" in html
