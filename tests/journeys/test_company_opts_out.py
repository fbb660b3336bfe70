"""Two companies do not want to take part: each opens its mailed link and opts out of survey
e-mails, one in Swedish, one whose contact reads English; each is told it is done."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from survey.extensions import db
from survey.models import Company
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)


def test_company_opts_out_in_swedish_and_in_english(
    journey,  # noqa: ANN001
    desk,  # noqa: ANN001
    make_survey: Callable[..., int],  # noqa: F811
    make_company: Callable[..., int],  # noqa: F811
    invite: Callable[..., str],  # noqa: F811
) -> None:
    survey_id = make_survey()
    swedish = invite(survey_id, make_company("Bageriet Ö & Co"))
    english = invite(survey_id, make_company("Bro Bikes AB"))

    # In Swedish, from the link's intro page.
    page = journey.page
    journey.start(f"/s/{swedish}")
    page.get_by_role("link", name="Vill ni inte delta? Avregistrera er från enkätutskick.").click()
    page.get_by_role("heading", name="Avregistrera från enkätutskick").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    journey.check()
    page.get_by_role("button", name="Avregistrera").click()
    page.get_by_role("heading", name="Ni är avregistrerade").wait_for()
    journey.check("opted-out")

    # In English: the link opens in Swedish, the contact chooses English, then opts out.
    other = desk()
    page = other.page
    other.start(f"/s/{english}")
    page.get_by_role("link", name="English").click()
    page.get_by_role("link", name="Do not want to take part? Opt out of survey e-mails.").click()
    page.get_by_role("heading", name="Opt out of survey e-mails").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    other.check("en")
    page.get_by_role("button", name="Opt out").click()
    page.get_by_role("heading", name="You have opted out").wait_for()
    other.check("en-opted-out")

    with journey.app.app_context():
        opted = db.session.scalars(select(Company.name).where(Company.opted_out)).all()
    assert sorted(opted) == ["Bageriet Ö & Co", "Bro Bikes AB"]
