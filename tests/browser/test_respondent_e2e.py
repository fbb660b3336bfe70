"""The whole respondent journey in Chromium, from a recorded visit to one stored response.

An official records a visit in the browser; `survey mail send` (the real CLI) queues the visit
follow-up invitation and delivers it to an aiosmtpd server on loopback; the link is taken from
the received mail and the company answers in the browser, saves, comes back, submits once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Answer, Invitation, Response, Visit
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD
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


def _log_in_and_record_visit(page, base: str, user, company_id: int, day: date) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/companies/{company_id}")
    page.get_by_role("link", name="Registrera ett besök").click()
    page.wait_for_url(f"{base}/companies/{company_id}/visits/new")
    page.get_by_label("Datum för besöket").fill(day.isoformat())
    page.get_by_label("Myndighetsområde").select_option(label="Livsmedelskontroll")
    page.get_by_label("Anteckningar").fill("Pratade om uteservering och öppettider.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"{base}/companies/{company_id}")


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


def _answer_first_section(page) -> None:  # noqa: ANN001
    _group(page, "Var besöket värt den tid ni lade på det?").get_by_label("5").check()
    _group(page, "Lyssnade vi på det som är viktigt för ert företag?").get_by_label("4").check()


def _answer_the_rest(page, link: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/2")
    _group(page, "Har ni fått den hjälp eller de kontakter").get_by_label("Nej").check()
    page.get_by_label("Vad saknade ni?").fill("En kontakt på miljöförvaltningen.")
    _group(page, "Vill ni att vi kontaktar er igen").get_by_label("Ja").check()
    page.get_by_label("Vi har gått med i ett nätverk för företag").check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/3")
    _group(page, "Hur troligt är det").get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/4")
    _group(page, "Hur nöjda är ni sammantaget").get_by_label("5", exact=True).check()
    _group(page, "Hur väl motsvarar").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{link}/5")
    page.get_by_label("Har ni fler synpunkter").fill("Trevligt besök, tack för hjälpen!")
    page.get_by_role("button", name="Granska era svar").click()
    page.wait_for_url(f"{link}/review")


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


def test_visit_mail_link_answer_save_return_submit_once(
    app: Flask,
    browser,  # noqa: ANN001 - playwright Browser
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    make_user: Callable,
    make_company: Callable[..., int],  # noqa: F811
    make_survey: Callable[..., int],  # noqa: F811
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    make_survey(is_visit_followup=True, invitation_subject_sv=SUBJECT)
    company_id = make_company(COMPANY, email="info@akerobageri.example.se")
    visited = date.today() - timedelta(days=1)
    _log_in_and_record_visit(page, live_server, make_user("official"), company_id, visited)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "queued 0 follow-up" in result.output and not smtp_server.inbox.messages
    _recorded_yesterday(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "queued 1 follow-up invitation(s)" in result.output and "sent 1" in result.output
    link = _link_from_mail(smtp_server, live_server, "info@akerobageri.example.se")

    # The company opens the link, answers the first part, saves and leaves.
    first = browser.new_context(locale="sv-SE")
    respondent = first.new_page()
    respondent.goto(link)
    respondent.get_by_role("heading", name="Vad tyckte ni om vårt besök?").wait_for()
    assert COMPANY in respondent.content().replace("&amp;", "&")
    respondent.get_by_role("link", name="Börja svara").click()
    respondent.wait_for_url(f"{link}/1")
    _answer_first_section(respondent)
    respondent.get_by_role("button", name="Spara och fortsätt senare").click()
    respondent.wait_for_url(f"{link}/saved")
    respondent.get_by_role("heading", name="Era svar är sparade").wait_for()
    first.close()

    # Later (a new browser session) the same link continues with the answers restored.
    later = browser.new_context(locale="sv-SE")
    respondent = later.new_page()
    respondent.goto(link)
    respondent.wait_for_url(f"{link}/1")
    group = _group(respondent, "Var besöket värt den tid ni lade på det?")
    assert group.get_by_label("5").is_checked()
    assert _group(respondent, "Lyssnade vi på det").get_by_label("4").is_checked()
    _answer_the_rest(respondent, link)
    review = respondent.locator("main").inner_text()
    for shown in ("5 (1–6)", "En kontakt på miljöförvaltningen.", "Trevligt besök, tack"):
        assert shown in review
    second_tab = later.new_page()
    second_tab.goto(f"{link}/review")
    respondent.get_by_role("button", name="Skicka in svaren").click()
    respondent.wait_for_url(f"{link}/thanks")
    respondent.get_by_role("heading", name="Tack för era svar!").wait_for()

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
    check_accessibility(respondent, "respondent-already-answered")
    respondent.goto(link)
    respondent.get_by_role("heading", name="Redan besvarad").wait_for()
    later.close()
    # Anyone else opening the used link sees only the neutral page.
    page.goto(link)
    page.get_by_role("heading", name="Länken fungerar inte").wait_for()
    assert _stored_answers(app)[0] == count == 1
