"""Version 2 of the follow-up battery the official built (set up here via services as in
test_official_builds_a_battery.py): the official changes the NKI matrix's scale, sees the
comparability warning with its reason, publishes anyway and reads the diff. Then (set up with
version 2 via services, to keep each journey short) a company answers the new version on a
phone (the matrix as a list, the exclusive option refused with another) and the dashboard
shows the NKI index.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, Response, Survey
from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from survey.services.respondents.answers import store_response
from survey.services.surveys import surveys
from survey.services.surveys.invitations import create_invitation
from survey.services.surveys.surveys import SurveyInput

KEY = "vad-tyckte-om-vart"
NKI = "Hur nöjda är ni med kommunens service?"
# What the official built in test_official_builds_a_battery.py, with the keys the builder made.
BUILT = """
key: vad-tyckte-om-vart
title: {sv: "Vad tyckte ni om vårt besök?", en: "What did you think of our visit?"}
sections:
  - key: besoket
    title: {sv: Besöket, en: The visit}
    questions:
      - matrix: vad_tyckte_besoket
        text: {sv: "Vad tyckte ni om besöket?", en: "What did you think of the visit?"}
        scale: {min: 1, max: 6, min_label: {sv: Inte alls}, max_label: {sv: Helt och hållet}}
        items:
          - {key: VAR_BESOKET_VART, text: {sv: "Var besöket värt den tid ni lade på det?"}}
          - {key: LYSSNADE_VI_PA, text: {sv: "Lyssnade vi på det som är viktigt för ert företag?"}}
  - key: hjalp_kontakter
    title: {sv: Hjälp och kontakter, en: Help and contacts}
    questions:
      - key: HAR_FATT_HJALPEN
        type: single_choice
        text: {sv: "Har ni fått den hjälp eller de kontakter som ni behövde?"}
        options:
          - {key: ja_helt, label: {sv: "Ja, helt"}}
          - {key: ja_delvis, label: {sv: "Ja, delvis"}}
          - {key: nej, label: {sv: Nej}}
      - key: VAD_SAKNADE
        type: long_text
        show_if: {question: HAR_FATT_HJALPEN, in: [ja_delvis, nej]}
        text: {sv: "Vad saknade ni?"}
      - key: HAR_NAGOT_DETTA
        type: multiple_choice
        text: {sv: "Har något av detta hänt efter besöket?"}
        options:
          - {key: kontakt, label: {sv: Vi har fått kontakt med en handläggare}}
          - {key: natverk, label: {sv: Vi har gått med i ett nätverk för företag}}
          - {key: inget, label: {sv: Inget av detta ännu}, exclusive: true}
  - key: kommunens_service
    title: {sv: Kommunens service, en: "The municipality's service"}
    questions:
      - matrix: hur_nojda_kommunens
        text: {sv: "Hur nöjda är ni med kommunens service?"}
        scale: {min: 1, max: 6, min_label: {sv: Mycket missnöjda}, max_label: {sv: Mycket nöjda}}
        items:
          - {key: SAMMANTAGET, text: {sv: Sammantaget}, index: nki}
          - {key: JAMFORT_ERA_FORVANTNINGAR, text: {sv: Jämfört med era förväntningar}, index: nki}
          - {key: JAMFORT_BASTA, text: {sv: Jämfört med den bästa tänkbara service}, index: nki}
"""
PAST = {"SAMMANTAGET": 5, "JAMFORT_ERA_FORVANTNINGAR": 4, "JAMFORT_BASTA": 4}


def _built_with_past_answers(app) -> None:  # noqa: ANN001
    """Version 1 as built, and six answers to it imported from last spring's paper survey."""
    with app.app_context():
        batteries.load_definition(parse_battery(BUILT, source="built.yaml"), actor_id=None)
        version = batteries.get_version(KEY, 1)
        for _ in range(6):
            store_response(version, PAST, collection_mode="import", language="sv")
        db.session.commit()


def _invite_to_latest(app) -> str:  # noqa: ANN001
    """The survey an official sends with the new version (as in the surveys journey): a link."""
    today = date.today()
    with app.app_context():
        survey = surveys.create_survey(
            SurveyInput(
                name="Uppföljning av besök",
                battery_version_id=batteries.get_version(KEY).id,
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                reminder_days="",
                sender_name="Näringslivsenheten",
                reply_to="naringsliv@upplands-bro.example.se",
                invitation_subject_sv="Vad tyckte {company} om vårt besök?",
                invitation_body_sv="Hej {company}! Svara här: {link}",
                invitation_subject_en="",
                invitation_body_en="",
                reminder_subject_sv="Påminnelse",
                reminder_body_sv="Svara gärna: {link}",
            ),
            actor_id=None,
        )
        company = Company(org_number="556036-0793", name="Kungsängens Bageri AB")
        db.session.add(company)
        token = create_invitation(db.session.get(Survey, survey.id), company)
        db.session.commit()
        return token


def _change_the_nki_scale(journey) -> None:  # noqa: ANN001
    page = journey.page
    page.get_by_role("link", name="Frågebatterier").click()
    page.get_by_role("link", name=KEY).click()
    page.get_by_role("button", name="Starta ett nytt utkast").click()
    journey.see("Utkast")
    page.get_by_role("link", name=f"Redigera {NKI}").click()
    expect(page.get_by_label("Påstående 1 på svenska")).to_have_value("Sammantaget")
    page.get_by_label("Högsta steg", exact=True).fill("5")
    page.get_by_role("button", name="Spara frågan").first.click()
    page.get_by_role("link", name="Publicera …").click()
    journey.see("Varning: indexet kan inte jämföras över tid")
    journey.see("Skalan ändras från 1–6 till 1–5")
    journey.check()
    page.get_by_role("button", name="Publicera version 2").click()
    journey.see("Bekräfta att du publicerar fast indexet inte kan jämföras över tid.")
    journey.check("errors")
    page.get_by_label("Publicera ändå: jag vet att indexet inte kan jämföras över tid").check()
    page.get_by_role("button", name="Publicera version 2").click()
    journey.see("Version 2 är publicerad och kan inte längre ändras.")
    page.get_by_role("link", name="Alla versioner av frågebatteriet").click()
    page.get_by_role("link", name="Jämför versioner").click()
    journey.see("Från version 1 till version 2")
    row = page.get_by_role("row").filter(has_text="Sammantaget")
    expect(row).to_contain_text("Skalan har ändrats från 1–6 till 1–5.")
    journey.see("Bryter jämförbarheten för ett index")
    journey.check()


def _answer_on_phone(phone, token: str) -> None:  # noqa: ANN001
    page = phone.page
    phone.start(f"/s/{token}")
    page.get_by_role("link", name="Börja svara").click()
    page.get_by_role("group", name="Vad tyckte ni om besöket?").wait_for()
    phone.check()
    page.get_by_role("group", name="Var besöket värt den tid").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="Lyssnade vi på det").get_by_label("6 – Helt och hållet").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("group", name="Har ni fått den hjälp").get_by_label("Nej").check()
    page.get_by_label("Vad saknade ni?").fill("En kontakt på miljöförvaltningen.")
    page.get_by_label("Inget av detta ännu").check()
    page.get_by_label("Vi har gått med i ett nätverk för företag").check()
    page.get_by_role("button", name="Nästa").click()
    phone.see("”Inget av detta ännu” väljs ensamt")
    phone.check("errors")
    page.get_by_label("Vi har gått med i ett nätverk för företag").uncheck()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("group", name=NKI).wait_for()
    for statement, point in (
        ("Sammantaget", "4"),
        ("Jämfört med era", "4"),
        ("Jämfört med den", "3"),
    ):
        page.get_by_role("group", name=statement).get_by_label(point, exact=True).check()
    phone.check()
    page.get_by_role("button", name="Granska era svar").click()
    page.get_by_role("button", name="Skicka in svaren").click()
    page.get_by_role("heading", name="Tack för era svar!").wait_for()


def test_official_changes_the_nki_scale_sees_the_warning_and_the_diff(journey, person) -> None:
    _built_with_past_answers(journey.app)
    journey.log_in(person("official", "Karin Berg"))
    _change_the_nki_scale(journey)
    with journey.app.app_context():
        latest = batteries.definition_of(batteries.get_version(KEY))
    assert latest.question("SAMMANTAGET").scale.max == 5


def test_company_answers_version_two_on_a_phone_and_the_dashboard_shows_nki(
    journey, phone_journey, person
) -> None:
    _built_with_past_answers(journey.app)
    changed = BUILT.replace("max: 6, min_label: {sv: Mycket", "max: 5, min_label: {sv: Mycket")
    with journey.app.app_context():  # version 2 as the official published it above
        batteries.load_definition(parse_battery(changed, source="v2.yaml"), actor_id=None)
    _answer_on_phone(phone_journey, _invite_to_latest(journey.app))

    journey.log_in(person("official", "Karin Berg"))
    menu = journey.page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Översikt").click()
    expect(journey.page.get_by_test_id("nki-now")).not_to_have_text("för få svar")
    journey.see("NKI")
    journey.check()
    with journey.app.app_context():
        latest = db.session.scalars(select(Response).where(Response.collection_mode == "web")).one()
        assert latest.battery_version.number == 2
