"""The sender in mail: the reset mail's From and every mail's signature name the organisation."""

from __future__ import annotations

from flask import Flask

from survey.services.accounts import password_reset
from survey.services.organisation import organisation
from tests.factories import delivered_mail, plain_text

IDENTITY = organisation.IdentityInput(
    name="Upplands-Bro kommun",
    unit="Näringslivsenheten",
    contact_email="naringsliv@upplands-bro.example.se",
    contact_phone="08-581 690 00",
    website="https://upplands-bro.example.se",
)


def test_reset_and_invitation_mail_are_signed_by_the_organisation(
    app: Flask,
    make_user,
    make_survey,
    make_company,
    invite,  # noqa: ANN001
) -> None:
    admin = make_user("admin")
    official = make_user("official", email="karin@upplands-bro.example.se")
    with app.app_context():
        organisation.save(IDENTITY, actor_id=admin.id)
    with app.test_request_context("/"):
        password_reset.request_reset(official.email)
    invite(make_survey(), make_company("Bageriet AB", email="info@bageriet.example.se"))
    messages = {str(m["To"]): m for m in delivered_mail(app)}
    reset = messages["karin@upplands-bro.example.se"]
    assert reset["From"].addresses[0].display_name == "Näringslivsenheten, Upplands-Bro kommun"
    for message in (reset, messages["info@bageriet.example.se"]):
        text = plain_text(message).replace("\r\n", "\n")
        assert "Näringslivsenheten\nUpplands-Bro kommun\n" in text
        assert "Telefon: 08-581 690 00" in text and "https://upplands-bro.example.se" in text
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "<strong>Upplands-Bro kommun</strong>" in html
        assert 'href="mailto:naringsliv@upplands-bro.example.se"' in html


def test_without_settings_mail_is_signed_with_the_contact_settings(
    app: Flask,
    make_user,  # noqa: ANN001
) -> None:
    official = make_user("official")
    with app.test_request_context("/"):
        password_reset.request_reset(official.email)
    (message,) = delivered_mail(app)
    assert message["From"].addresses[0].display_name == app.config["SURVEY_CONTACT_NAME"]
    assert app.config["SURVEY_CONTACT_EMAIL"] in plain_text(message)
