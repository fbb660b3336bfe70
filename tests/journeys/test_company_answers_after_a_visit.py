"""A company answers the follow-up survey of a visit on its computer, from a recorded visit to
one stored response.

An official records the visit in the browser; the mail worker (`survey mail send`, the real
CLI) queues the follow-up invitation the day after and delivers it to an SMTP server on
loopback; the company opens the link from the mail, is helped by a clear error, answers the
first part, saves and leaves; later (a new browser session) the same link continues with the
answers kept; it submits once. Submitting again from a second tab, or the back button, is
refused politely; anyone else opening the used link sees only a neutral page. Every
respondent page is checked at the desktop's width (the phone's are in
test_company_answers_on_phone.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Answer, Invitation, Response, Visit
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    SmtpServer,
    battery_version_id,
    html_part,
    make_company,
    make_survey,
    smtp_server,
    text_part,
)

COMPANY = "Åkerö Bageri & Söner AB"
SUBJECT = "Vad tyckte {company} om vårt besök? Svara gärna – tack på förhand!"
FIRST = "Var besöket värt den tid ni lade på det?"


def _record_visit(journey, official, day: date) -> None:  # noqa: ANN001
    """The official records yesterday's visit to the company in the browser."""
    page = journey.page
    journey.log_in(official)
    page.get_by_role("link", name="Besök", exact=True).first.click()
    journey.check()
    page.get_by_role("link", name="Registrera ett besök").click()
    journey.check()
    page.get_by_label("Namn eller organisationsnummer").fill("Åkerö")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name=COMPANY).click()
    journey.check()
    page.get_by_label("Datum för besöket").fill(day.isoformat())
    page.get_by_label("Myndighetsområde").select_option(label="Livsmedelskontroll")
    page.get_by_label("Anteckningar").fill("Pratade om uteservering och öppettider.")
    page.get_by_role("button", name="Spara").click()
    journey.see("Besöket är registrerat.")
    journey.check()


def _recorded_yesterday(app: Flask) -> None:
    """Move the visit's recording time back one day (follow-ups go out the day after)."""
    with app.app_context():
        yesterday = datetime.now(UTC) - timedelta(days=1)
        db.session.execute(update(Visit).values(created_at=yesterday))
        db.session.commit()


def _link_from_mail(server: SmtpServer, base: str, email: str) -> str:
    assert len(server.inbox.messages) == 1
    message = server.inbox.messages[0]
    assert message["To"].addresses[0].addr_spec == email
    assert str(message["Subject"]) == SUBJECT.format(company=COMPANY)
    text = text_part(message)
    links = re.findall(rf"{re.escape(base)}/s/[A-Za-z0-9_-]+(?=\s)", text)
    assert links, text
    link = links[0]
    assert f'href="{link}"' in html_part(message)
    assert COMPANY.replace("&", "&amp;") in html_part(message) and COMPANY in text
    return link


def _group(page, name: str):  # noqa: ANN001, ANN202 - playwright Page / Locator
    return page.get_by_role("group", name=name)


def _first_visit(journey, link: str) -> None:  # noqa: ANN001
    """The link from the mail: the intro, a forgotten answer, the first part, saved."""
    page = journey.page
    page.goto(link)
    page.get_by_role("heading", name="Vad tyckte ni om vårt besök?").wait_for()
    assert COMPANY in page.content().replace("&amp;", "&")
    assert page.locator("html").get_attribute("lang") == "sv"
    journey.check()
    page.get_by_role("link", name="Börja svara").click()
    page.wait_for_url(f"{link}/1")
    journey.check()

    # Nothing answered: the summary at the top links to the question, the message is beside it.
    page.get_by_role("button", name="Nästa").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.locator("#BESOK_VART_TIDEN-error").is_visible()
    journey.check("errors")
    summary.get_by_role("link").first.click()
    focused = page.evaluate("() => document.activeElement.closest('#BESOK_VART_TIDEN') !== null")
    assert focused, "following the error summary link must move focus to the question"

    _group(page, FIRST).get_by_label("5").check()
    _group(page, "Lyssnade vi på det som är viktigt för ert företag?").get_by_label("4").check()
    page.get_by_role("button", name="Spara och fortsätt senare").click()
    # The focus link's #fragment may follow the saved page's address.
    page.wait_for_url(lambda url: url.startswith(f"{link}/saved"))
    page.get_by_role("heading", name="Era svar är sparade").wait_for()
    journey.check()


def _answer_the_rest(journey, link: str) -> None:  # noqa: ANN001
    page = journey.page
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/2")
    journey.check()
    _group(page, "Har ni fått den hjälp eller de kontakter").get_by_label("Nej").check()
    page.get_by_label("Vad saknade ni?").wait_for()  # shown with the answer it depends on
    journey.check("show-if")
    page.get_by_label("Vad saknade ni?").fill("En kontakt på miljöförvaltningen.")
    _group(page, "Vill ni att vi kontaktar er igen").get_by_label("Ja").check()
    page.get_by_label("Vi har gått med i ett nätverk för företag").check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/3")
    journey.check()
    _group(page, "Hur troligt är det").get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/4")
    journey.check()
    _group(page, "Hur nöjda är ni sammantaget").get_by_label("5", exact=True).check()
    _group(page, "Hur väl motsvarar").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/5")
    journey.check()
    page.get_by_label("Har ni fler synpunkter").fill("Trevligt besök, tack för hjälpen!")
    page.get_by_role("button", name="Granska era svar").click()
    page.wait_for_url(f"{link}/review")
    journey.check()


def _stored_answers(app: Flask) -> tuple[int, dict[str, object]]:
    with app.app_context():
        responses = list(db.session.scalars(select(Response)))
        invitation = db.session.scalar(select(Invitation))
        assert invitation.submitted_at is not None and invitation.draft is None
        assert len(responses) == 1 and responses[0].invitation_id == invitation.id
        assert responses[0].visit_id == invitation.visit_id is not None
        answers = {}
        for answer in db.session.scalars(
            select(Answer).where(Answer.response_id == responses[0].id)
        ):
            value = answer.value_number if answer.value_number is not None else answer.value_text
            answers[answer.question.key] = value
        return len(responses), answers


def test_company_answers_after_a_visit(
    app: Flask,
    journey,  # noqa: ANN001
    desk,  # noqa: ANN001
    person: Callable,
    live_server: str,
    make_company: Callable[..., int],  # noqa: F811
    make_survey: Callable[..., int],  # noqa: F811
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    make_survey(is_visit_followup=True, invitation_subject_sv=SUBJECT)
    make_company(COMPANY, email="info@akerobageri.example.se")
    _record_visit(journey, person("official", "Karin Berg"), date.today() - timedelta(days=1))

    # The mail worker: nothing on the day of the visit, the invitation the day after.
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "queued 0 follow-up" in result.output and not smtp_server.inbox.messages
    _recorded_yesterday(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "queued 1 follow-up invitation(s)" in result.output and "sent 1" in result.output
    link = _link_from_mail(smtp_server, live_server, "info@akerobageri.example.se")

    _first_visit(desk(), link)

    # Later (a new browser session) the same link continues with the answers restored.
    company = desk()
    respondent = company.page
    respondent.goto(link)
    respondent.wait_for_url(f"{link}/1")
    assert _group(respondent, FIRST).get_by_label("5").is_checked()
    assert _group(respondent, "Lyssnade vi på det").get_by_label("4").is_checked()
    _answer_the_rest(company, link)
    review = respondent.locator("main").inner_text()
    for shown in ("5 (1–6)", "En kontakt på miljöförvaltningen.", "Trevligt besök, tack"):
        assert shown in review
    second_tab = respondent.context.new_page()
    second_tab.goto(f"{link}/review")
    respondent.get_by_role("button", name="Skicka in svaren").click()
    respondent.wait_for_url(f"{link}/thanks")
    respondent.get_by_role("heading", name="Tack för era svar!").wait_for()
    company.check()

    count, answers = _stored_answers(app)
    assert answers == {
        "BESOK_VART_TIDEN": 5,
        "BESOK_LYSSNADE": 4,
        "HJALP_FICK": "nej",
        "HJALP_SAKNAS": "En kontakt på miljöförvaltningen.",
        "HJALP_KONTAKT": "yes",
        "HJALP_VIDARE": "natverk",
        "NPS_BESOK": 9,
        "NKI_HELHET": 5,
        "NKI_FORVANTAN": 4,
        "KOMMENTAR": "Trevligt besök, tack för hjälpen!",
    }

    # Submitting again (the review page left open in a second tab, or the browser's back
    # button) is politely refused and stores nothing twice.
    second_tab.get_by_role("button", name="Skicka in svaren").click()
    second_tab.get_by_role("heading", name="Redan besvarad").wait_for()
    assert "Traceback" not in second_tab.content()
    respondent.go_back()
    respondent.wait_for_url(f"{link}/review")
    respondent.get_by_role("heading", name="Redan besvarad").wait_for()
    assert respondent.locator("html").get_attribute("lang") == "sv"
    company.check("answered")
    respondent.goto(link)
    expect(respondent.get_by_role("heading", name="Redan besvarad")).to_be_visible()
    assert respondent.locator("html").get_attribute("lang") == "sv"
    company.check("answered")

    # Anyone else opening the used link sees only the neutral page.
    stranger = desk()
    stranger.page.goto(link)
    stranger.page.get_by_role("heading", name="Länken fungerar inte").wait_for()
    stranger.check("unavailable")
    assert _stored_answers(app)[0] == count == 1
