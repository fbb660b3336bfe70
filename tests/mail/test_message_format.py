"""Every mail: multipart text + HTML in UTF-8, escaped HTML, sender, reply-to, opt-out headers."""

from __future__ import annotations

from email.utils import parseaddr

from survey.services.surveys.recipients import RecipientFilter, invite_recipients
from tests.mail.conftest import html_part, text_part

EVIL = '"><img src=x onerror=alert(1)>'


def _send_one(app, runner, make_survey, make_company, name: str):
    make_company(name)
    survey_id = make_survey()
    with app.app_context():
        invite_recipients(survey_id, RecipientFilter(mode="all"), actor_id=None)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output


def test_mail_is_multipart_utf8_with_opt_out_headers(
    app, runner, smtp_server, make_survey, make_company
):
    _send_one(app, runner, make_survey, make_company, "Åkes Bröd & Öl AB")
    (message,) = smtp_server.inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    assert str(message["Subject"]) == "Vad tyckte Åkes Bröd & Öl AB om vårt besök?"
    name, address = parseaddr(str(message["From"]))
    assert name == "Näringslivsenheten i Åköping"
    assert address == app.config["SURVEY_MAIL_FROM"]
    assert str(message["Reply-To"]) == "naringsliv@akoping.example.se"
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and unsubscribe.endswith("/opt-out>")
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    text = text_part(message)
    assert "Hej Åkes Bröd & Öl AB!" in text
    assert unsubscribe[1:-1] in text
    assert unsubscribe[1:-1] in html_part(message)


def test_html_part_escapes_the_company_name(app, runner, smtp_server, make_survey, make_company):
    _send_one(app, runner, make_survey, make_company, EVIL)
    (message,) = smtp_server.inbox.messages
    html = html_part(message)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert EVIL in text_part(message)


def test_without_smtp_host_mail_is_written_as_eml_files(
    app, runner, make_survey, make_company, tmp_path
):
    import email
    import email.policy
    from pathlib import Path

    app.config["SMTP_HOST"] = ""
    _send_one(app, runner, make_survey, make_company, "Fil & Co")
    files = list((Path(app.config["SURVEY_INSTANCE_DIR"]) / "mail").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert "Fil & Co" in text_part(message)
    from tests.mail.test_outbox_delivery import _rows

    (row,) = _rows(app)
    assert row.status == "sent" and str(message["Message-ID"]) == row.message_id


def test_long_swedish_subject_and_sender_survive_folding_and_dots_survive_smtp(
    app, runner, smtp_server, make_survey, make_company
):
    name = "Åkes Bröd & Öl, Östra Storgatans Bageri och Konditori i Åköping Handelsbolag"
    sender = "Näringslivsenheten i Åköpings kommun, avdelningen för företagsservice"
    body = "Hej {company}!\n\n.en rad som börjar med punkt\n..och två\n\nSvara: {link}"
    make_company(name)
    survey_id = make_survey(sender_name=sender, invitation_body_sv=body)
    with app.app_context():
        invite_recipients(survey_id, RecipientFilter(mode="all"), actor_id=None)
    result = runner.invoke(args=["mail", "send"])
    assert "sent 1" in result.output, result.output
    (message,) = smtp_server.inbox.messages
    assert str(message["Subject"]) == f"Vad tyckte {name} om vårt besök?"
    assert parseaddr(str(message["From"]))[0] == sender
    text = text_part(message).replace("\r\n", "\n")
    assert "\n.en rad som börjar med punkt\n..och två\n" in text
    head = message.as_bytes().split(b"\n\n", 1)[0]
    assert max(len(line.rstrip(b"\r")) for line in head.split(b"\n")) <= 78
