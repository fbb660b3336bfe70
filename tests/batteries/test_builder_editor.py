"""The question editor without JavaScript: row buttons, type change, keys from texts, the
preview partial, the question library, the publish confirmation and the version diff."""

from __future__ import annotations

import pytest

from survey.questionnaires import model as spec
from survey.services.batteries import batteries, keys
from survey.services.batteries.diff import breaches, diff
from tests.factories import post_form

BASE = "/batteries/alla-typer/versions/1"


def _section_id(client) -> str:  # noqa: ANN001
    page = client.get(BASE).get_data(as_text=True)
    return page.split('id="section-', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        ("Var besöket värt den tid ni lade på det?", set(), "VAR_BESOKET_VART"),
        ("Hur nöjda är ni?", {"HUR_NOJDA_AR"}, "HUR_NOJDA_AR_2"),
        ("10 år", set(), "F_10_AR"),
        ("?", set(), "FRAGA"),
    ],
)
def test_question_keys_are_made_from_the_swedish_text(text, taken, expected) -> None:
    assert keys.question_key(text, taken) == expected


def test_other_keys_follow_their_own_rules() -> None:
    assert keys.option_key("Ja, delvis", {"ja_delvis"}) == "ja_delvis_2"
    assert keys.section_key("Hjälp och kontakter", ()) == "hjalp_kontakter"
    assert keys.battery_key("Vad tyckte ni om vårt besök?", ()) == "vad-tyckte-om-vart"


def test_row_buttons_add_move_and_remove_options_without_saving(app, built, all_types):
    client = built
    url = f"{BASE}/sections/{_section_id(client)}/questions/new?type=single_choice"
    page = client.get(url).get_data(as_text=True)
    assert "Alternativ 3 på svenska" in page and "Alternativ 4 på svenska" not in page
    assert 'name="scale_min"' not in page  # only the type's own fields
    rows = {"type": "single_choice", "text_sv": "Vilken?", "options-0-label_sv": "A"}
    rows |= {"options-1-label_sv": "B", "options-2-label_sv": "C"}
    page = post_form(client, url, {**rows, "action": "option-add"}).get_data(as_text=True)
    assert "Alternativ 4 på svenska" in page
    page = post_form(client, url, {**rows, "action": "option-up-2"}).get_data(as_text=True)
    assert page.index('value="C"') < page.index('value="B"')
    page = post_form(client, url, {**rows, "action": "option-remove-0"}).get_data(as_text=True)
    assert 'value="A"' not in page and 'value="B"' in page
    page = post_form(client, url, {**rows, "type": "scale", "action": "retype"}).get_data(
        as_text=True
    )
    assert 'name="scale_min"' in page and "Vilken?</textarea>" in page
    with app.app_context():
        assert (
            len(list(batteries.definition_of(batteries.get_version("alla-typer", 1)).questions()))
            == 12
        )


def test_saved_question_gets_keys_from_its_texts(app, built, all_types):
    client = built
    url = f"{BASE}/sections/{_section_id(client)}/questions/new"
    data = {
        "type": "multiple_choice",
        "text_sv": "Vad behöver ni?",
        "options-0-label_sv": "Lokaler",
        "options-1-label_sv": "Inget just nu",
        "options-1-exclusive": "y",
        "action": "save",
    }
    assert post_form(client, url, data).status_code == 302
    with app.app_context():
        question = batteries.definition_of(batteries.get_version("alla-typer", 1)).question(
            "VAD_BEHOVER"
        )
    assert [(o.key, o.exclusive) for o in question.options] == [
        ("lokaler", False),
        ("inget_just_nu", True),
    ]


def test_preview_partial_shows_the_question_in_both_languages(app, built, all_types):
    client = built
    url = f"{BASE}/sections/{_section_id(client)}/questions/preview"
    data = {"type": "yes_no", "text_sv": "Har ni anställda?", "text_en": "Do you employ staff?"}
    html = post_form(client, url, data, form_url=BASE).get_data(as_text=True)
    assert "Har ni anställda?" in html and "Do you employ staff?" in html
    assert 'lang="en"' in html and "preview-en-HAR_ANSTALLDA" in html
    html = post_form(client, url, {"type": "single_choice"}, form_url=BASE).get_data(as_text=True)
    assert "Förhandsvisningen syns när frågan har sin text" in html


def test_library_adds_questions_with_their_keys_and_roles(app, built, all_types):
    from tests.factories import shipped_battery

    with app.app_context():
        batteries.load_definition(shipped_battery("uppfoljning-foretagsbesok"), actor_id=None)
    client = built
    url = f"{BASE}/sections/{_section_id(client)}/questions/library"
    page = client.get(url).get_data(as_text=True)
    assert "Hur nöjda är ni sammantaget" in page
    pick = page.split('value="', 1)[0]
    picks = [
        chunk.split('"', 1)[0]
        for chunk in page.split('name="picks" value="')[1:]
        if chunk.split('"', 1)[0].endswith((":NKI_HELHET", ":BETYG_FINNS_INTE"))
    ]
    del pick
    response = post_form(client, url, {"picks": picks})
    assert response.status_code == 302
    with app.app_context():
        added = batteries.definition_of(batteries.get_version("alla-typer", 1)).question(
            "NKI_HELHET"
        )
    assert (added.index, added.scale.max) == ("nki", 6)


def _with_scale(battery: spec.Battery, key: str, maximum: int) -> spec.Battery:
    import dataclasses

    sections = []
    for section in battery.sections:
        questions = tuple(
            dataclasses.replace(q, scale=dataclasses.replace(q.scale, max=maximum))
            if q.key == key
            else q
            for q in section.questions
        )
        sections.append(dataclasses.replace(section, questions=questions))
    return dataclasses.replace(battery, sections=tuple(sections))


def test_diff_and_breaches_name_scale_weight_role_and_removal(app, all_types):
    with app.test_request_context():
        changed = _with_scale(all_types, "BETYG", 5)
        assert [c.kind for c in diff(all_types, changed)] == ["scale"]
        assert "Skalan ändras från 1–6 till 1–5" in breaches(all_types, changed)[0].reason
        lighter = _with_scale(all_types, "BESOK_LYSSNA", 4)
        assert [b.key for b in breaches(all_types, lighter)] == ["BESOK_LYSSNA"]
        assert breaches(all_types, all_types) == [] and diff(all_types, all_types) == []


def test_publish_asks_for_confirmation_and_publish_anyway_on_a_breach(app, built, all_types):
    client = built
    page = client.get(f"{BASE}/publish").get_data(as_text=True)
    assert "Det här fryses" in page and "BESOK_LYSSNA" in page
    assert post_form(client, f"{BASE}/publish", {}).status_code == 302
    client.post("/batteries/alla-typer/draft", data={"csrf_token": _token(client)})
    v2 = "/batteries/alla-typer/versions/2"
    with app.app_context():
        version = batteries.get_version("alla-typer", 2)
        betyg = next(q for s in version.sections for q in s.questions if q.key == "BETYG")
        section_id, question_id = betyg.section_id, betyg.id
    edit = f"{v2}/sections/{section_id}/questions/{question_id}/edit"
    from tests.batteries.helpers import question_data

    data = question_data(all_types.question("BETYG")) | {"scale_max": "5"}
    assert post_form(client, edit, data).status_code == 302
    page = post_form(client, f"{v2}/publish", {}).get_data(as_text=True)
    assert "Varning: indexet kan inte jämföras över tid" in page
    assert 'id="anyway-error"' in page
    assert post_form(client, f"{v2}/publish", {"anyway": "y"}).status_code == 302
    compare = client.get("/batteries/alla-typer/compare?old=1&new=2").get_data(as_text=True)
    assert "Skalan har ändrats från 1–6 till 1–5." in compare


def _token(client) -> str:  # noqa: ANN001
    from tests.factories import csrf_token

    return csrf_token(client, "/batteries/alla-typer")
