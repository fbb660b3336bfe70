"""A company answers all questions on one page on its computer.

From the link's intro page it chooses to see every question at once; sending it empty lists
the required question and its link moves the focus there; a question that depends on an
answer in an earlier part appears only when that answer is given; one click sends
everything. (The one-page form on a phone is test_company_asks_to_be_contacted.py, in
English on a 320 px screen test_company_with_an_english_browser_answers_on_a_small_phone.py.)
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Response
from tests.browsing import OUTPUT
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

FIRST = "Var besöket värt den tid ni lade på det?"


def test_company_answers_all_questions_on_one_page(
    journey,  # noqa: ANN001
    make_survey: Callable[..., int],  # noqa: F811
    make_company: Callable[..., int],  # noqa: F811
    invite: Callable[..., str],  # noqa: F811
) -> None:
    path = f"/s/{invite(make_survey(), make_company('Bageriet Ö & Co'))}"
    page = journey.page
    journey.start(path)
    journey.check()
    page.get_by_role("link", name="Visa alla frågor på en sida").click()
    page.wait_for_url(f"{journey.base_url}{path}/all")
    page.get_by_role("heading", name="Alla frågor", level=1).wait_for()
    journey.check()

    # Nothing answered: the summary lists the required question and moves focus to it.
    page.get_by_role("button", name="Skicka in svaren").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    journey.check("errors")
    summary.get_by_role("link").first.click()
    focused = page.evaluate("() => document.activeElement.closest('#BESOK_VART_TIDEN') !== null")
    assert focused, "the error summary link must move focus to the question"

    # A follow-up question appears only with the answer it depends on.
    follow_up = page.get_by_label("Vad saknade ni?")
    assert not follow_up.is_visible()
    page.get_by_role("group", name=FIRST).get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Har ni fått den hjälp").get_by_label("Nej", exact=True).check()
    follow_up.wait_for()
    follow_up.fill("En kontakt på bygglov")
    journey.check("show-if")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "respond-one-page-sv.png"), full_page=True)

    page.get_by_role("button", name="Skicka in svaren").click()
    page.wait_for_url(lambda url: url.startswith(f"{journey.base_url}{path}/thanks"))
    page.get_by_role("heading", name="Tack för era svar!").wait_for()
    journey.check()
    with journey.app.app_context():
        response = db.session.scalars(select(Response)).one()
        answers = {
            a.question.key: a.value_number if a.value_number is not None else a.value_text
            for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
    assert answers["BESOK_VART_TIDEN"] == 4 and answers["HJALP_SAKNAS"] == "En kontakt på bygglov"
