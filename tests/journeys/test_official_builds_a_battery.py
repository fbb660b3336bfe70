"""An official builds the follow-up battery from an empty battery, without typing a key, a pipe
or an option key: a matrix, a condition chosen by its labels, an exclusive option, the NKI
questions as a matrix with their index role; previews it and publishes version 1 after the
confirmation page. Part of it (the sections) is done with the keyboard alone.

Version 2, the comparability warning, the diff and a company's answer are in
test_official_changes_a_scale_and_a_company_answers.py (set up with this battery via services).
"""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Battery
from survey.services.batteries import batteries

TITLE = "Vad tyckte ni om vårt besök?"
VISIT = "Vad tyckte ni om besöket?"
HELP = "Har ni fått den hjälp eller de kontakter som ni behövde efter besöket?"
NKI = "Hur nöjda är ni med kommunens service?"
RECOMMEND = "Hur troligt är det att ni skulle rekommendera andra företag att ta emot ett besök?"


def _add_section_by_keyboard(page, title: str, english: str) -> None:  # noqa: ANN001
    """Add a section with the keyboard alone: the link, the two titles, Enter."""
    page.get_by_role("link", name="Lägg till en del").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Ny del").wait_for()
    page.get_by_label("Titel (svenska)").focus()
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    page.keyboard.type(english)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=title).wait_for()


def _new_question(journey, section: str, kind: str) -> None:  # noqa: ANN001
    page = journey.page
    page.get_by_role("link", name=f"Lägg till en fråga i {section}").click()
    page.get_by_role("heading", name="Vilken sorts fråga?").wait_for()
    journey.check()
    page.get_by_role("link", name=kind).click()
    page.get_by_role("button", name="Spara frågan").first.wait_for()


def _save(journey, text: str) -> None:  # noqa: ANN001
    journey.check()
    journey.page.get_by_role("button", name="Spara frågan").first.click()
    journey.page.get_by_role("listitem").filter(has_text=text).first.wait_for()


def _matrix(
    journey, heading: str, statements: list[str], *, low: str, high: str, nki: bool
) -> None:  # noqa: ANN001
    page = journey.page
    page.get_by_label("Frågan på svenska", exact=True).fill(heading)
    page.get_by_label("Lägsta steget betyder (svenska)").fill(low)
    page.get_by_label("Högsta steget betyder (svenska)").fill(high)
    for number, statement in enumerate(statements, start=1):
        page.get_by_label(f"Påstående {number} på svenska").fill(statement)
        if nki:
            page.get_by_label(f"Index för påstående {number}").select_option(
                label="NKI – Nöjd-Kund-Index"
            )
    preview = page.get_by_role("region", name="Förhandsgranskning")
    expect(preview.get_by_role("group", name=statements[-1]).first).to_be_visible()


def test_official_builds_and_publishes_the_follow_up_battery(journey, person) -> None:
    official = person("official", "Karin Berg")
    journey.log_in(official)
    page = journey.page
    page.get_by_role("link", name="Frågebatterier").click()
    journey.check()
    page.get_by_role("link", name="Nytt frågebatteri").click()
    journey.check()
    page.get_by_label("Titel (svenska)").fill(TITLE)
    page.get_by_label("Titel (engelska)").fill("What did you think of our visit?")
    page.get_by_role("button", name="Skapa").click()
    journey.see("Utkast")
    journey.check()

    # The visit: three statements on one scale, as a matrix.
    _add_section_by_keyboard(page, "Besöket", "The visit")
    journey.check()
    _new_question(journey, "Besöket", "Matris (flera påståenden på en skala)")
    page.get_by_label("Frågan på engelska", exact=True).fill("What did you think of the visit?")
    _matrix(
        journey,
        VISIT,
        [
            "Var besöket värt den tid ni lade på det?",
            "Lyssnade vi på det som är viktigt för ert företag?",
            "Var vi från kommunen väl förberedda inför besöket?",
        ],
        low="Inte alls",
        high="Helt och hållet",
        nki=False,
    )
    _save(journey, VISIT)

    # Help: a single choice with a fourth option row, a question shown on two of its answers,
    # and a multiple choice whose "none yet" option is chosen alone.
    _add_section_by_keyboard(page, "Hjälp och kontakter", "Help and contacts")
    _new_question(journey, "Hjälp och kontakter", "Ett svar")
    page.get_by_label("Frågan på svenska", exact=True).fill(HELP)
    for number, (sv, en) in enumerate(
        [("Ja, helt", "Yes, fully"), ("Ja, delvis", "Yes, partly"), ("Nej", "No")], start=1
    ):
        page.get_by_label(f"Alternativ {number} på svenska").fill(sv)
        page.get_by_label(f"Alternativ {number} på engelska").fill(en)
    page.get_by_role("button", name="Lägg till ett alternativ").click()
    page.get_by_label("Alternativ 4 på svenska").fill("Vi behövde ingen hjälp")
    expect(page.get_by_label("Alternativ 3 på svenska")).to_have_value("Nej")  # nothing lost
    _save(journey, HELP)

    _new_question(journey, "Hjälp och kontakter", "Lång text")
    page.get_by_label("Frågan på svenska", exact=True).fill("Vad saknade ni?")
    page.get_by_label("Visa frågan bara efter svaret på den här frågan").select_option(label=HELP)
    answers = page.get_by_role("group", name="Visa den om svaret är något av")
    answers.get_by_label("Ja, delvis").check()
    answers.get_by_label("Nej", exact=True).check()
    _save(journey, "Vad saknade ni?")
    journey.see("Visas bara om svaret på ”" + HELP + "” är något av: Ja, delvis; Nej")

    _new_question(journey, "Hjälp och kontakter", "Flera svar")
    page.get_by_label("Frågan på svenska", exact=True).fill(
        "Har något av detta hänt efter besöket?"
    )
    page.get_by_label("Alternativ 1 på svenska").fill("Vi har fått kontakt med en handläggare")
    page.get_by_label("Alternativ 2 på svenska").fill("Vi har gått med i ett nätverk för företag")
    page.get_by_label("Alternativ 3 på svenska").fill("Inget av detta ännu")
    page.get_by_label("Alternativ 3 väljs ensamt").check()
    _save(journey, "Har något av detta hänt efter besöket?")

    # The municipality's service: the three NKI questions as a matrix, each in the NKI index.
    _add_section_by_keyboard(page, "Kommunens service", "The municipality's service")
    _new_question(journey, "Kommunens service", "Matris (flera påståenden på en skala)")
    _matrix(
        journey,
        NKI,
        ["Sammantaget", "Jämfört med era förväntningar", "Jämfört med den bästa tänkbara service"],
        low="Mycket missnöjda",
        high="Mycket nöjda",
        nki=True,
    )
    _save(journey, NKI)
    journey.see("index: NKI – Nöjd-Kund-Index")
    _new_question(journey, "Kommunens service", "NPS (0–10)")
    page.get_by_label("Frågan på svenska", exact=True).fill(RECOMMEND)
    _save(journey, RECOMMEND)

    # The preview as companies see it, then the confirmation of what publishing freezes.
    page.get_by_role("link", name="Förhandsgranska på svenska").click()
    expect(
        page.get_by_role("group", name="Lyssnade vi på det som är viktigt för ert företag?")
    ).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Tillbaka till frågebatteriet").click()
    page.get_by_role("link", name="Publicera …").click()
    journey.see("Det här fryses")
    journey.see("Frågor: 10")
    journey.check()
    page.get_by_role("button", name="Publicera version 1").click()
    journey.see("Version 1 är publicerad och kan inte längre ändras.")
    journey.check("published")

    with journey.app.app_context():
        battery = db.session.scalars(select(Battery)).one()
        definition = batteries.definition_of(batteries.get_version(battery.key, 1))
    questions = list(definition.questions())
    assert [q.index for q in questions].count("nki") == 3
    assert all(q.key.isupper() for q in questions) and len({q.key for q in questions}) == 10
    assert [q.matrix.key for q in questions if q.matrix][:1] and questions[0].matrix.text.en
    missing = next(q for q in questions if q.text.sv == "Vad saknade ni?")
    chosen = next(q for q in questions if q.text.sv == HELP)
    labels = {o.key: o.label.sv for o in chosen.options}
    assert [labels[v] for v in missing.show_if.values] == ["Ja, delvis", "Nej"]
    several = next(q for q in questions if q.type == "multiple_choice")
    assert [o.exclusive for o in several.options] == [False, False, True]
