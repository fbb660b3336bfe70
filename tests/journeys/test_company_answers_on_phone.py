"""A company answers on its phone: it opens the mailed link, sees who asks (the municipality's
name and logo), answers part, is helped by a clear error, saves, comes back later through the
same link to its kept answers, submits once and is thanked; the link then says it is answered."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Company, Invitation, Response
from survey.services.organisation import organisation
from survey.services.surveys import surveys
from survey.services.surveys.invitations import create_invitation
from tests.factories import delivered_mail, plain_text, png_image

BATTERY = "uppfoljning-foretagsbesok"
COMPANY = "Kungsängens Cykel & Fritid AB"
FIRST = "Var besöket värt den tid ni lade på det?"


def _prepare(app: Flask, make_user: Callable, shipped: Callable) -> str:
    """What the municipality did before: its name and logo, a survey, the company invited;
    returns the link as it reached the company (from the delivered mail)."""
    shipped(BATTERY)
    admin = make_user("admin")
    today = date.today()
    with app.app_context():
        organisation.save(
            organisation.IdentityInput(
                name="Upplands-Bro kommun",
                unit="Näringslivsenheten",
                contact_email="naringsliv@upplands-bro.example.se",
                contact_phone="08-581 690 00",
                website="https://upplands-bro.example.se",
            ),
            logo=png_image(120, 40),
            actor_id=admin.id,
        )
        from survey.services.batteries.batteries import get_version

        survey = surveys.create_survey(
            surveys.SurveyInput(
                name="Uppföljning av företagsbesök",
                battery_version_id=get_version(BATTERY).id,
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                reminder_days="",
                sender_name=organisation.current().sender,
                reply_to="naringsliv@upplands-bro.example.se",
                invitation_subject_sv="Vad tyckte {company} om vårt besök?",
                invitation_body_sv="Hej {company}!\n\nSvara gärna senast {close_date}: {link}",
            ),
            actor_id=admin.id,
        )
        company = Company(
            org_number="556677-8899", name=COMPANY, contact_email="info@kungsangscykel.example.se"
        )
        db.session.add(company)
        db.session.flush()
        create_invitation(survey, company)
        db.session.commit()
    (mail,) = delivered_mail(app)
    assert mail["From"].addresses[0].display_name == "Näringslivsenheten, Upplands-Bro kommun"
    text = plain_text(mail)
    assert "Upplands-Bro kommun" in text
    return re.search(r"https?://\S+/s/[A-Za-z0-9_-]+", text).group(0)


def _group(page, name: str):  # noqa: ANN001, ANN202 - playwright Page / Locator
    return page.get_by_role("group", name=name)


def _columns_are_even(page, name: str) -> None:  # noqa: ANN001 - playwright Page
    """The radio buttons of a 0-10 scale lie in rows of 6 and 5 at even intervals."""
    boxes = [radio.bounding_box() for radio in _group(page, name).get_by_role("radio").all()]
    assert len(boxes) == 11
    rows = sorted({round(box["y"]) for box in boxes})
    assert len(rows) == 2, rows
    first = [box["x"] for box in boxes if round(box["y"]) == rows[0]]
    second = [box["x"] for box in boxes if round(box["y"]) == rows[1]]
    assert (len(first), len(second)) == (6, 5)
    steps = {round(b - a) for a, b in zip(first, first[1:], strict=False)}
    assert max(steps) - min(steps) <= 1, steps  # equal columns
    assert all(abs(a - b) <= 1 for a, b in zip(first, second, strict=False))  # same columns


def test_company_answers_on_phone(
    phone_journey,
    app: Flask,
    make_user,
    shipped,
    live_server: str,  # noqa: ANN001
) -> None:
    link = _prepare(app, make_user, shipped)
    path = urlsplit(link).path
    journey, page = phone_journey, phone_journey.page

    # The link from the mail: who asks, and what.
    journey.start(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad tyckte ni om vårt besök?")
    banner = page.get_by_role("banner")
    expect(banner.get_by_text("Upplands-Bro kommun")).to_be_visible()
    expect(banner.get_by_text("Näringslivsenheten")).to_be_visible()
    logo = banner.get_by_role("img", name="Logotyp för Upplands-Bro kommun")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 120
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="naringsliv@upplands-bro.example.se")).to_be_visible()
    journey.see(f"Inbjudet företag: {COMPANY}")
    journey.check()

    # Part 1, the required question forgotten: the summary takes focus and names it.
    page.get_by_role("link", name="Börja svara").click()
    _group(page, "Lyssnade vi på det som är viktigt för ert företag?").get_by_label("4").check()
    page.get_by_role("button", name="Nästa").click()
    summary = page.get_by_role("alert").filter(has_text="Något behöver rättas")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile(FIRST))).to_be_visible()
    first = _group(page, FIRST)
    expect(first.get_by_text("Svara på frågan.")).to_be_visible()
    expect(first.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    journey.check("errors")
    expect(_group(page, "Lyssnade vi på det").get_by_label("4")).to_be_checked()  # kept
    summary.get_by_role("link", name=re.compile(FIRST)).click()
    first.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Spara och fortsätt senare").click()
    expect(page.get_by_role("heading", name="Era svar är sparade")).to_be_visible()
    journey.check()

    # Later, the same link from the mail continues where the company stopped.
    journey.start(path)
    expect(_group(page, FIRST).get_by_label("5", exact=True)).to_be_checked()
    expect(_group(page, "Lyssnade vi på det").get_by_label("4")).to_be_checked()
    journey.check()
    page.get_by_role("button", name="Nästa").click()
    _group(page, "Har ni fått den hjälp eller de kontakter").get_by_label("Ja, helt").check()
    journey.check()
    page.get_by_role("button", name="Nästa").click()
    nps = "Hur troligt är det"
    for end in ("0 – Inte alls troligt", "10 – Mycket troligt"):  # the ends keep their labels
        expect(_group(page, nps).get_by_label(end)).to_be_visible()
        expect(_group(page, nps).get_by_text(end.split(" ", 1)[1])).to_be_visible()
    _columns_are_even(page, nps)
    _group(page, nps).get_by_label("9", exact=True).check()
    journey.check()
    page.get_by_role("button", name="Nästa").click()
    _group(page, "Hur nöjda är ni sammantaget").get_by_label("5", exact=True).check()
    journey.check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Har ni fler synpunkter").fill("Bra besök, tack!")
    journey.check()
    page.get_by_role("button", name="Granska era svar").click()
    expect(page.get_by_role("heading", name="Granska era svar")).to_be_visible()
    journey.see("Bra besök, tack!")
    journey.check()
    page.get_by_role("button", name="Skicka in svaren").click()
    expect(page.get_by_role("heading", name="Tack för era svar!")).to_be_visible()
    journey.see("Näringslivsenheten, Upplands-Bro kommun")
    journey.check()

    # The link now says it is answered; one response is stored, with the answers given.
    journey.start(path)
    expect(page.get_by_role("heading", name="Redan besvarad")).to_be_visible()
    journey.check("answered")  # the same address as the intro, another page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        response = db.session.scalars(select(Response)).one()
        invitation = db.session.scalars(select(Invitation)).one()
        assert response.invitation_id == invitation.id and invitation.submitted_at is not None
        answers = {
            a.question.key: a.value_number if a.value_number is not None else a.value_text
            for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
    assert answers["BESOK_VART_TIDEN"] == 5 and answers["BESOK_LYSSNADE"] == 4
    assert answers["NPS_BESOK"] == 9 and answers["KOMMENTAR"] == "Bra besök, tack!"
