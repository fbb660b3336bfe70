"""Action plans over HTTP: the form's rules beside their fields, audit, the dashboard's links,
marks and the report's section."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, AuditEvent, User
from survey.services.batteries import batteries
from tests.actions.data import BATTERY, ENDS_ON, FACTOR, STARTS_ON
from tests.factories import login, post_form, shipped_battery

VALID = {
    "title": "Bemötandeutbildning",
    "description": "Alla handläggare går kursen.",
    "battery": BATTERY,
    "factor": FACTOR,
    "service_area": "0",
    "starts_on": STARTS_ON.isoformat(),
    "ends_on": ENDS_ON.isoformat(),
    "status": "finished",
}


@pytest.fixture
def official(app: Flask, answers: None, make_user: Callable[..., User]) -> tuple[FlaskClient, User]:
    """An official logged in, over the hand-worked answers."""
    user = make_user("official", name="Karin Berg")
    client = app.test_client()
    login(client, user)
    return client, user


def _create(client: FlaskClient, user: User, **changes: str):  # noqa: ANN202 - a response
    return post_form(client, "/actions/new", {**VALID, "owner": str(user.id), **changes})


def _error_beside(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error beside {field}"
    return unescape(match.group(1)).strip()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2024-01-14"}, "ends_on", "Slutdatum är före startdatum."),
        ({"ends_on": ""}, "ends_on", "Det här fältet är obligatoriskt."),
        ({"title": "   "}, "title", "Ange en rubrik."),
        ({"factor": "okand"}, "factor", "Inte ett giltigt val"),
        ({"status": "klar"}, "status", "Inte ett giltigt val"),
        ({"battery": "finns-inte"}, "battery", "Inte ett giltigt val"),
    ],
)
def test_create_refuses_bad_input_beside_the_field_keeping_values(
    app: Flask, official: tuple[FlaskClient, User], changes: dict, field: str, message: str
) -> None:
    client, user = official
    response = _create(client, user, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _error_beside(html, field) == message
    assert "Alla handläggare går kursen." in html
    with app.app_context():
        assert db.session.scalar(select(Action.id)) is None


def test_create_refuses_an_index_the_battery_lacks(
    app: Flask, official: tuple[FlaskClient, User]
) -> None:
    """Every index is offered whatever the battery: the follow-up battery has only NKI, so
    Treatment is refused beside the index, naming the battery's indices."""
    client, user = official
    with app.app_context():
        batteries.load_definition(shipped_battery("uppfoljning-foretagsbesok"), actor_id=None)
    html = _create(client, user, battery="uppfoljning-foretagsbesok").get_data(as_text=True)
    assert _error_beside(html, "factor") == (
        "Frågebatteriet har inget index bemotande; välj något av nki."
    )


def test_end_before_start_is_refused_with_the_error_beside_the_end_date(
    official: tuple[FlaskClient, User],
) -> None:
    client, user = official
    html = _create(client, user, ends_on="2024-01-14").get_data(as_text=True)
    assert _error_beside(html, "ends_on") == "Slutdatum är före startdatum."
    assert 'aria-invalid="true"' in html
    assert 'value="2024-01-14"' in html and 'value="2024-01-15"' in html


def test_an_analyst_reads_actions_but_cannot_create_one(
    app: Flask, answers: None, login_as: Callable[[str], FlaskClient]
) -> None:
    analyst = login_as("analyst")
    assert analyst.get("/actions/").status_code == 200
    assert analyst.get("/actions/new").status_code == 403


def test_create_and_edit_are_audited_and_shown(
    app: Flask, official: tuple[FlaskClient, User]
) -> None:
    client, user = official
    response = _create(client, user)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bemötandeutbildning" in page and "Karin Berg" in page
    assert "2023-01 – 2023-12" in page and "2024-04 – 2025-03" in page
    assert "inte ett bevis på effekt" in page
    assert re.search(r'<td class="num">60</td><td class="num">47–73</td>', page)
    assert re.search(r'<td class="num">80</td><td class="num">67–93</td>', page)
    assert re.search(r'<td class="num">\+20</td>\s*<td class="num">\+4 – \+36</td>', page)
    assert "p = 0,019, signifikant" in page
    with app.app_context():
        action = db.session.scalar(select(Action))
        edit = f"/actions/{action.id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="Bemötandeutbildning"' in form and 'value="2024-03-20"' in form
    assert re.search(r'<option selected value="finished">', form)
    changed = post_form(client, edit, {**VALID, "owner": str(user.id), "status": "ongoing"})
    assert changed.status_code == 302
    with app.app_context():
        events = db.session.execute(
            select(AuditEvent.action, AuditEvent.details).order_by(AuditEvent.id)
        ).all()
    assert [(a, d) for a, d in events if a.startswith("action.")] == [
        ("action.create", {}),
        ("action.update", {"fields": ["status"]}),
    ]
    listed = client.get("/actions/?status=ongoing").get_data(as_text=True)
    assert "Bemötandeutbildning" in listed and "Pågår" in listed


def test_the_priority_matrix_links_to_a_new_action_for_each_factor(
    official: tuple[FlaskClient, User],
) -> None:
    client, user = official
    html = client.get(f"/dashboard/priority?battery={BATTERY}&area=bygglov").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Skapa åtgärd för Bemötande</a>', html)
    assert link, "no link to create an action for Bemötande"
    form = client.get(unescape(link.group(1))).get_data(as_text=True)
    assert re.search(r'<option selected value="bemotande">', form)
    assert re.search(r'<option selected value="\d+">Bygglov</option>', form)


def test_the_factor_trends_mark_the_action_and_list_it(
    app: Flask, official: tuple[FlaskClient, User]
) -> None:
    client, user = official
    _create(client, user)
    html = client.get(f"/dashboard/factors?battery={BATTERY}&by=quarter").get_data(as_text=True)
    figure = json.loads(
        unescape(re.search(r'id="figure-factor-trends">(.*?)</script>', html, re.S).group(1))
    )
    marks = [a for a in figure["layout"]["annotations"] if a["text"].startswith("Åtgärd:")]
    assert [m["text"] for m in marks] == ["Åtgärd: Bemötandeutbildning (Bemötande)"]
    periods = figure["layout"]["xaxis"]["categoryarray"]
    assert periods == ["2023Q1", "2024Q2", "2025Q2"]
    # 2024Q1 lies between 2023Q1 (0) and 2024Q2 (1): a narrow span in the gap at 0.5.
    assert marks[0]["x"] == pytest.approx(0.5)
    assert "Bemötandeutbildning</a>" in html


def test_the_report_lists_actions_with_their_figures(official: tuple[FlaskClient, User]) -> None:
    client, user = official
    _create(client, user)
    html = client.get(f"/dashboard/report?battery={BATTERY}").get_data(as_text=True)
    section = html[html.index('id="report-actions"') :]
    assert "Bemötandeutbildning" in section
    assert re.search(r'<td class="num">\+20</td>', section)
    assert "inte ett bevis på effekt" in section


def test_a_missing_action_is_not_found(official: tuple[FlaskClient, User]) -> None:
    client, _user = official
    assert client.get("/actions/999").status_code == 404
    assert client.get("/actions/999/edit").status_code == 404
    assert date.today()  # the test runs today's app; nothing depends on the date


def test_the_start_page_marks_actions_on_nki_only(official: tuple[FlaskClient, User]) -> None:
    client, user = official
    _create(client, user)  # Treatment: not on the NKI chart
    _create(client, user, title="Snabbare svar", factor="nki")
    html = client.get(f"/dashboard?battery={BATTERY}").get_data(as_text=True)
    figure = json.loads(
        unescape(re.search(r'id="figure-index">(.*?)</script>', html, re.S).group(1))
    )
    texts = [a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("Åtgärd")]
    assert texts == ["Åtgärd: Snabbare svar (NKI)"]
