"""The survey's figures and the dashboard's funnel count how far invitations got (history),
not where they are now: answers never lower "sent", and an answer given on one page counts as
started."""

from __future__ import annotations

import re

from survey.services.statistics import funnel as dashboard_funnel
from survey.services.statistics.filters import Filters
from survey.services.surveys import progress
from tests.factories import delivered_mail, post_form
from tests.respond.test_one_page import ANSWERS


def _figures(html: str) -> dict[str, str]:
    pairs = re.findall(r'<dt>([^<]+)</dt><dd><span class="figure-value">([^<]+)</span>', html)
    return dict(pairs)


def test_stages_count_history_and_a_one_page_answer_counts_as_started(
    app, client, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    answered, opened, _waiting = (
        invite(survey_id, make_company(f"Företag {n} AB")) for n in range(3)
    )
    delivered_mail(app)
    client.get(f"/s/{opened}")
    response = post_form(client, f"/s/{answered}/all", {**ANSWERS, "action": "submit"})
    assert response.status_code == 302

    with app.app_context():
        stages = progress.followup(survey_id).stages
        funnel = dashboard_funnel.funnel_counts(
            Filters(battery="uppfoljning-foretagsbesok", survey_id=survey_id)
        )
    assert stages == {
        "sent": 3, "opened": 2, "started": 1, "submitted": 1,
        "opted_out": 0, "failed": 0, "queued": 0,
    }  # fmt: skip
    assert (funnel.delivered, funnel.opened, funnel.started, funnel.submitted) == (3, 2, 1, 1)
    figures = _figures(login_as("analyst").get(f"/surveys/{survey_id}").get_data(as_text=True))
    assert figures["Skickade"] == "3" and figures["Påbörjade"] == "1"
    assert figures["Inskickade"] == "1" and figures["Inbjudna"] == "3"
