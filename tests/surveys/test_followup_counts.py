"""The survey follow-up counts an answer even when the company opts out of mail afterwards."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Invitation
from survey.models.base import utcnow
from survey.services.surveys import progress
from survey.services.surveys.invitations import hash_token


def _set(app, token: str, **values: object) -> None:
    """Change a token's invitation directly in the database."""
    with app.app_context():
        db.session.execute(
            update(Invitation).where(Invitation.token_hash == hash_token(token)).values(**values)
        )
        db.session.commit()


def test_an_answer_followed_by_an_opt_out_still_counts(
    app, client, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    tokens = [invite(survey_id, make_company(f"Företag {n} AB")) for n in range(3)]
    _set(app, tokens[0], submitted_at=utcnow())
    # A used link is unusable on every page, opt-out too: the neutral 404, nothing changes.
    assert client.post(f"/s/{tokens[0]}/opt-out").status_code == 404
    _set(app, tokens[0], opted_out_at=utcnow())  # one who answered and opted out (older data)
    assert client.post(f"/s/{tokens[1]}/opt-out").status_code == 200  # one who did not

    with app.app_context():
        assert db.session.scalars(select(Invitation.opted_out_at)).all().count(None) == 1
        result = progress.followup(survey_id)
    assert (result.counts["submitted"], result.counts["opted_out"]) == (1, 1)
    # No mail was sent (the outbox did not run), but two links were used (an answer, an
    # opt-out): those two reached their companies, the third is not in the rate: 1 / 2.
    assert (result.rate.responded, result.rate.invited) == (1, 2)
    assert [row.company for row in result.not_answered] == ["Företag 2 AB"]
    page = login_as("official").get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "50 %" in page


def test_an_invitation_never_sent_before_its_link_expired_is_not_sent_not_queued(
    app, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    tokens = [invite(survey_id, make_company(f"Företag {n} AB")) for n in range(2)]
    _set(app, tokens[0], expires_at=utcnow() - timedelta(days=1))
    with app.app_context():
        result = progress.followup(survey_id)
    assert {row.company: row.status for row in result.rows} == {
        "Företag 0 AB": "unsent",
        "Företag 1 AB": "queued",
    }
    assert (result.counts["unsent"], result.counts["queued"]) == (1, 1)
    page = login_as("official").get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "Ej skickad (enkäten stängd)" in page
