"""No working survey or reset link at rest: not in the outbox pages, not in any database column.

The attack that this closes: anyone asks for a reset of admin@...; an official opens the
outbox, reads the reset mail's live link, sets a new password and logs in as the admin. Or
an official opens a company's survey link from the outbox and answers or opts out for it.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import String, Text, select, update

from survey.extensions import db
from survey.models import Base, Invitation, OutboxMessage, PasswordResetToken
from survey.services.outbox import links as mail_links
from survey.services.surveys import invitations
from tests.factories import PASSWORD, delivered_mail, plain_text, post_form

MIGRATION = "0004_withheld_mail_links.py"
TOKEN_LINK = re.compile(r"/(?:s|account/reset)/([A-Za-z0-9_-]{20,})")


def _reset(client, email: str):  # noqa: ANN202
    return post_form(client, "/account/reset", {"email": email}, buffered=True)


def _live_tokens(app: Flask, mails: list) -> set[str]:  # noqa: ANN001
    """Every token a company or user could use: from the nonces and from the mailboxes."""
    with app.app_context():
        survey_tokens = {invitations.token_of(i) for i in db.session.scalars(select(Invitation))}
        reset_tokens = {
            mail_links.derive(nonce, mail_links.PASSWORD_RESET)
            for nonce in db.session.scalars(select(PasswordResetToken.token_nonce))
        }
    mailed = {t for mail in mails for t in TOKEN_LINK.findall(plain_text(mail))}
    return {t for t in survey_tokens | reset_tokens | mailed if t}


def _every_text_value(app: Flask) -> list[str]:
    values = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in db.session.execute(select(*columns)):
                    values += [value for value in row if value]
    return values


@pytest.fixture
def mail_of_every_kind(app: Flask, make_survey, make_company, invite, make_user) -> list:  # noqa: ANN001
    """Invitations (Swedish and English), a reminder, a resend, and a reset of the admin's
    password, some delivered and some still queued; return the delivered messages."""
    app.config["SMTP_HOST"] = ""
    survey_id = make_survey()
    invite(survey_id, make_company("Svenska AB"))
    invite(survey_id, make_company("English Ltd", language="en"))
    admin = make_user("admin", email="admin@kommun.example.se")
    _reset(app.test_client(), admin.email)
    mails = delivered_mail(app)
    with app.app_context():
        first, second = db.session.scalars(select(Invitation).order_by(Invitation.id))
        invitations.remind_now(first.id, survey_id, actor_id=None)
        invitations.resend(second.id, survey_id, actor_id=None)
    mails = delivered_mail(app)
    invite(survey_id, make_company("Kö AB"))  # stays queued
    _reset(app.test_client(), admin.email)  # stays queued
    return mails


def test_no_outbox_page_holds_a_working_link(app: Flask, login_as, mail_of_every_kind) -> None:
    tokens = _live_tokens(app, mail_of_every_kind)
    assert len(tokens) >= 5  # three survey links (one renewed) and two reset links
    official = login_as("official")
    with app.app_context():
        ids = db.session.scalars(select(OutboxMessage.id)).all()
        kinds = set(db.session.scalars(select(OutboxMessage.kind)))
        statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert {"invitation", "reminder", "password_reset"} <= kinds
    assert {"sent", "queued"} <= statuses
    pages = ["/outbox/", *(f"/outbox/?status={s}" for s in statuses)]
    pages += [f"/outbox/{message_id}" for message_id in ids]
    for url in pages:
        response = official.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert not TOKEN_LINK.findall(html), url
        assert not [t for t in tokens if t in html], url
    with app.app_context():
        reset_rows = db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.kind == "password_reset")
        ).all()
    for message_id in reset_rows:
        page = official.get(f"/outbox/{message_id}").get_data(as_text=True)
        assert "Återställ" in page and "Someone (hopefully you)" not in page
        assert "Någon (förhoppningsvis du)" not in page


def test_no_text_column_holds_a_working_link(app: Flask, mail_of_every_kind) -> None:
    tokens = _live_tokens(app, mail_of_every_kind)
    values = _every_text_value(app)
    assert any(mail_links.WITHHELD in value for value in values)  # the bodies were searched
    assert not [v for v in values if TOKEN_LINK.search(v)]
    assert not [v for v in values for t in tokens if t in v]


def test_the_delivered_mail_has_the_working_links(app: Flask, client, mail_of_every_kind) -> None:
    links = [TOKEN_LINK.search(plain_text(mail)) for mail in mail_of_every_kind]
    survey_links = {m.group(0) for m in links if m and m.group(0).startswith("/s/")}
    statuses = sorted(client.get(link).status_code for link in survey_links)
    # The first company's (invitation and reminder: one link), the English company's new
    # link open the survey; its first link stopped working when the invitation was resent.
    assert statuses == [200, 200, 404]
    with app.app_context():
        unsubscribe = db.session.scalars(select(OutboxMessage.unsubscribe_url)).all()
    assert all(u is None or mail_links.WITHHELD in u for u in unsubscribe)
    assert all(
        mail["List-Unsubscribe"] is None or mail_links.WITHHELD not in mail["List-Unsubscribe"]
        for mail in mail_of_every_kind
    )


def test_admin_takeover_through_the_outbox_is_gone(app: Flask, client, login_as, make_user) -> None:
    admin = make_user("admin", email="admin@kommun.example.se")
    _reset(client, admin.email)  # anyone may ask
    official = login_as("official")
    with app.app_context():
        (message_id,) = db.session.scalars(select(OutboxMessage.id)).all()
    page = official.get(f"/outbox/{message_id}").get_data(as_text=True)
    assert "/account/reset/" not in page
    # The only copy of the link is the admin's own mail; with it, the reset works.
    (mail,) = delivered_mail(app)
    (token,) = TOKEN_LINK.findall(plain_text(mail))
    form = f"/account/reset/{token}"
    new = "en-helt-ny-fras-2026"
    done = post_form(client, form, {"password": new, "confirm": new})
    assert done.status_code == 302
    fresh = app.test_client()
    assert (
        post_form(fresh, "/login", {"email": admin.email, "password": PASSWORD}).status_code == 200
    )
    assert post_form(fresh, "/login", {"email": admin.email, "password": new}).status_code == 302


def test_a_link_that_cannot_be_made_again_fails_the_mail_instead_of_sending_it(
    app: Flask, make_survey, make_company, invite
) -> None:
    invite(make_survey(), make_company())
    app.config["SECRET_KEY"] = "another-secret-key-for-this-test"
    assert delivered_mail(app) == []
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.last_error) == ("failed", mail_links.LINK_UNAVAILABLE)


def test_a_queued_invitation_gets_the_invitations_token_of_the_moment(
    app: Flask, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    old = invite(survey_id, make_company())
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        new = invitations.issue_token(invitation)
        db.session.commit()
    (mail,) = delivered_mail(app)
    text = plain_text(mail)
    assert f"/s/{new}" in text and f"/s/{old}" not in text


def test_the_reset_request_is_answered_before_it_is_handled(app: Flask, make_user) -> None:
    user = make_user("official")
    known, unknown = app.test_client(), app.test_client()
    answer = post_form(known, "/account/reset", {"email": user.email})  # not yet closed
    other = post_form(unknown, "/account/reset", {"email": "nobody@kommun.example.se"})
    assert (answer.status_code, answer.location) == (other.status_code, other.location)
    assert answer.get_data() == other.get_data()
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []  # nothing done yet
    answer.close()  # the server closes the response once it is sent
    other.close()
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage)).all()
    assert row.kind == "password_reset" and row.to_addr == user.email


def test_migration_0004_withholds_stored_links_and_cancels_queued_reset_mail(
    app: Flask, make_survey, make_company, invite
) -> None:
    """Rows written before 0004 (live links) are rewritten by the migration's upgrade."""
    import importlib.util
    from pathlib import Path

    token = invite(make_survey(), make_company())
    link = f"http://127.0.0.1:5000/s/{token}"
    reset_link = "http://127.0.0.1:5000/account/reset/" + "A" * 43
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        db.session.execute(
            update(OutboxMessage).values(
                text_body=f"Svara: {link}",
                html_body=f'<a href="{link}">{link}</a>',
                unsubscribe_url=f"{link}/opt-out",
            )
        )
        reset = OutboxMessage(
            kind="password_reset",
            to_addr="a@kommun.example.se",
            subject="Återställ",
            text_body=reset_link,
            html_body=reset_link,
            message_id="<reset@example.se>",
            status="queued",
            next_attempt_at=row.next_attempt_at,
        )
        db.session.add(reset)
        db.session.commit()
        versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
        spec = importlib.util.spec_from_file_location("m0004", versions / MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with db.engine.begin() as connection:
            module._withhold_rows(connection)  # the data step of the upgrade
        rows = {r.kind: r for r in db.session.scalars(select(OutboxMessage))}
        db.session.refresh(rows["invitation"])
        db.session.refresh(rows["password_reset"])
    assert token not in rows["invitation"].text_body + rows["invitation"].html_body
    assert rows["invitation"].unsubscribe_url.endswith(f"/s/{mail_links.WITHHELD}/opt-out")
    assert rows["password_reset"].status == "cancelled"
    assert "A" * 43 not in rows["password_reset"].text_body


def test_migration_0004_downgrade_puts_the_links_back_into_queued_mail(
    app: Flask, make_survey, make_company, invite, make_user
) -> None:
    """Older code sends bodies as stored: queued mail gets its token back, reset mail is
    cancelled (older code cannot make its link)."""
    import importlib.util
    from pathlib import Path

    token = invite(make_survey(), make_company())
    _reset(app.test_client(), make_user("official").email)
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    spec = importlib.util.spec_from_file_location("m0004", versions / MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with app.app_context():
        with db.engine.begin() as connection:
            module._reveal_rows(connection, app.config["SECRET_KEY"])  # the downgrade's data step
        rows = {r.kind: r for r in db.session.scalars(select(OutboxMessage))}
        for row in rows.values():
            db.session.refresh(row)
    invitation = rows["invitation"]
    assert f"/s/{token}" in invitation.text_body and f"/s/{token}" in invitation.html_body
    assert invitation.unsubscribe_url.endswith(f"/s/{token}/opt-out")
    assert mail_links.WITHHELD not in invitation.text_body
    assert rows["password_reset"].status == "cancelled"
