"""An official adds the NKI questions of the shipped follow-up battery to a new battery from the
question library (keys and index roles kept), then edits one and moves it to another section
with the keyboard's "Flytta till del"."""

from __future__ import annotations

from playwright.sync_api import expect

from survey.services.batteries import batteries


def test_official_adds_nki_questions_from_the_library(journey, person, shipped) -> None:
    shipped("uppfoljning-foretagsbesok")
    journey.log_in(person("official", "Karin Berg"))
    page = journey.page
    page.get_by_role("link", name="Frågebatterier").click()
    page.get_by_role("link", name="Nytt frågebatteri").click()
    page.get_by_label("Titel (svenska)").fill("Service till företag 2027")
    page.get_by_role("button", name="Skapa").click()
    for title in ("Om er", "Kommunens service"):
        page.get_by_role("link", name="Lägg till en del").click()
        page.get_by_label("Titel (svenska)").fill(title)
        page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Lägg till en fråga i Om er").click()
    page.get_by_role("link", name="Lägg till frågor från frågebanken i stället").click()
    journey.check()
    shelf = page.get_by_role("group", name="Vad tyckte ni om vårt besök?")
    shelf.get_by_label("Hur nöjda är ni sammantaget", exact=False).check()
    shelf.get_by_label("Hur väl motsvarar kommunens service", exact=False).check()
    page.get_by_role("button", name="Lägg till de ikryssade frågorna").click()
    journey.see("index: NKI – Nöjd-Kund-Index · NKI_HELHET")
    journey.check()

    question = "Hur väl motsvarar kommunens service era förväntningar?"
    page.get_by_label(f"Flytta ”{question}” till delen").select_option(label="Kommunens service")
    page.get_by_role("button", name=f"Flytta till del {question}").press("Enter")
    section = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Kommunens service")
    )
    expect(section).to_contain_text(question)
    page.get_by_role("link", name=f"Redigera {question}").click()
    expect(page.get_by_label("Högsta steg", exact=True)).to_have_value("6")
    journey.check()
    with journey.app.app_context():
        version = batteries.get_version("service-till-foretag-2027", 1)
        definition = batteries.definition_of(version)
    assert [(q.key, q.index) for q in definition.questions()] == [
        ("NKI_HELHET", "nki"),
        ("NKI_FORVANTAN", "nki"),
    ]
