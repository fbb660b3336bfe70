"""Survey mail in the company's language, following the respondent's choice, else Swedish."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import Company, Invitation, OutboxMessage, Survey
from survey.models.base import utcnow
from survey.services.surveys.mail_texts import texts_for
from tests.factories import post_form
from tests.mail.conftest import html_part, load_battery, text_part

ENGLISH_REMINDER = {
    "reminder_subject_en": "Reminder: what did {company} think?",
    "reminder_body_en": "Hello again {company}, please answer: {link}",
}


def _send(runner) -> None:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output


def _age_invitations(app, days: int) -> None:
    with app.app_context():
        db.session.execute(
            update(Invitation).values(
                sent_at=utcnow() - timedelta(days=days), last_reminded_at=None
            )
        )
        db.session.commit()


def _language(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Invitation.language))


def _path(message: EmailMessage) -> str:
    """Return the path and query of the survey link of a received mail."""
    link = next(word for word in text_part(message).split() if "/s/" in word)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_english_company_gets_its_invitation_in_english_and_the_link_opens_in_english(
    app, runner, smtp_server, make_survey, make_company, invite
) -> None:
    token = invite(make_survey(), make_company("Harbour Tools Ltd", language="en"))
    assert _language(app) == "en"
    _send(runner)
    (message,) = smtp_server.inbox.messages
    assert str(message["Subject"]) == "What did Harbour Tools Ltd think?"
    text = text_part(message)
    assert "Hello Harbour Tools Ltd!" in text and "Answer the survey:" in text
    assert "Svara" not in text and "Hej" not in text
    assert 'lang="en"' in html_part(message)
    assert _path(message) == f"/s/{token}?lang=en"
    assert str(message["List-Unsubscribe"]).strip().endswith(f"/s/{token}/opt-out?lang=en>")
    page = app.test_client().get(_path(message))
    assert page.status_code == 200 and '<html lang="en"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("company_language", "choice", "expected"),
    [("sv", "link", "en"), ("sv", "browser", "en"), ("en", "link", "sv")],
)
def test_reminder_follows_the_language_the_respondent_answered_in(
    app, runner, smtp_server, make_survey, make_company, invite, company_language, choice, expected
) -> None:
    survey_id = make_survey(reminder_days="7", **ENGLISH_REMINDER)
    token = invite(survey_id, make_company("Ekby Bageri AB", language=company_language))
    _send(runner)
    client = app.test_client()
    if choice == "browser":
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{expected}, sv;q=0.5"
    else:
        client.get(f"/s/{token}/1?lang={expected}")  # the language link on the page
    response = post_form(client, f"/s/{token}/1", {"BESOK_VART_TIDEN": "5", "action": "save"})
    assert response.status_code == 302
    assert _language(app) == expected

    _age_invitations(app, 8)
    _send(runner)
    invitation_mail, reminder = smtp_server.inbox.messages
    if expected == "en":
        assert str(reminder["Subject"]) == "Reminder: what did Ekby Bageri AB think?"
        assert "Hello again Ekby Bageri AB" in text_part(reminder)
        assert _path(reminder) == f"/s/{token}?lang=en"
    else:
        assert str(reminder["Subject"]) == "Påminnelse: vad tyckte ni?"
        assert "Svara på enkäten:" in text_part(reminder)
        assert _path(reminder) == f"/s/{token}"


def test_opening_the_link_in_an_english_browser_alone_changes_nothing(
    app, make_survey, make_company, invite
) -> None:
    token = invite(make_survey(), make_company("Skannad AB"))
    scanner = app.test_client()
    scanner.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US"
    assert scanner.get(f"/s/{token}").status_code == 200
    assert scanner.get(f"/s/{token}/1").status_code == 200
    assert _language(app) == "sv"


def test_without_english_texts_an_english_company_gets_the_swedish_mail(
    app, runner, smtp_server, make_survey, make_company, invite
) -> None:
    survey_id = make_survey(invitation_subject_en="", invitation_body_en="")
    token = invite(survey_id, make_company("Harbour Tools Ltd", language="en"))
    _send(runner)
    (message,) = smtp_server.inbox.messages
    assert str(message["Subject"]) == "Vad tyckte Harbour Tools Ltd om vårt besök?"
    text = text_part(message)
    assert "Hej Harbour Tools Ltd!" in text and "Svara på enkäten:" in text
    assert "Answer the survey" not in text
    assert 'lang="sv"' in html_part(message)
    assert _path(message) == f"/s/{token}"


def test_english_reminder_without_an_english_reminder_text_uses_the_english_invitation(
    app, runner, smtp_server, make_survey, make_company, invite
) -> None:
    invite(make_survey(reminder_days="7"), make_company("Harbour Tools Ltd", language="en"))
    _send(runner)
    _age_invitations(app, 8)
    _send(runner)
    _, reminder = smtp_server.inbox.messages
    assert str(reminder["Subject"]) == "What did Harbour Tools Ltd think?"
    assert "Hello Harbour Tools Ltd!" in text_part(reminder)


def _survey(**texts: str | None) -> Survey:
    values = {"invitation_subject_sv": "Inbjudan", "invitation_body_sv": "Svara: {link}"}
    return Survey(**(values | texts))


@pytest.mark.parametrize(
    ("texts", "kind", "language", "expected"),
    [
        ({}, "invitation", "en", ("sv", "Inbjudan", "Svara: {link}")),
        ({}, "reminder", "en", ("sv", "Inbjudan", "Svara: {link}")),
        ({"invitation_body_en": "Answer"}, "invitation", "en", ("en", "Inbjudan", "Answer")),
        (
            {"invitation_subject_en": "Invitation", "invitation_body_en": "Answer"},
            "invitation",
            "sv",
            ("sv", "Inbjudan", "Svara: {link}"),
        ),
        (
            {"reminder_subject_sv": "Påminnelse", "reminder_body_sv": "Svara nu"},
            "reminder",
            "en",
            ("sv", "Påminnelse", "Svara nu"),
        ),
        (
            {"reminder_body_sv": "Svara nu", "reminder_body_en": "Answer now"},
            "reminder",
            "en",
            ("en", "Inbjudan", "Answer now"),
        ),
        ({"invitation_body_en": "Answer"}, "invitation", "xx", ("sv", "Inbjudan", "Svara: {link}")),
    ],
)
def test_texts_for_picks_language_first_then_kind(texts, kind, language, expected) -> None:
    chosen = texts_for(_survey(**texts), kind=kind, language=language)
    assert (chosen.language, chosen.subject, chosen.body) == expected


def test_demo_has_english_companies_and_queues_one_english_invitation(app, runner) -> None:
    load_battery(app)
    result = runner.invoke(args=["demo", "--responses", "0"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        english = db.session.scalar(select(func.count()).where(Company.language == "en"))
        subjects = db.session.execute(
            select(Invitation.language, OutboxMessage.subject).join(
                OutboxMessage, OutboxMessage.invitation_id == Invitation.id
            )
        ).all()
    assert 0 < english < 50
    english_subjects = [subject for lang, subject in subjects if lang == "en"]
    assert len(english_subjects) == 1 and english_subjects[0].startswith("What did")
    assert all(subject.startswith("Vad tyckte") for lang, subject in subjects if lang == "sv")
