"""An administrator makes the platform the municipality's own and brings in a colleague: sets
the organisation's name, unit, contact and logo (a wrong file first), creates an account with
the keyboard alone, mails the person a link to choose a password, and the colleague sets one
through the mail and logs in; then the admin corrects the name and changes the role."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.factories import png_image
from tests.mail.conftest import SmtpServer, html_part, smtp_server, text_part  # noqa: F401

NEW_PASSWORD = "vårlig-cykelkorg-2027"
COLLEAGUE = "nils.nyberg@upplands-bro.example.se"


def _set_identity(journey) -> None:  # noqa: ANN001 - Journey
    page = journey.page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Organisation"
    ).click()
    expect(page.get_by_role("heading", name="Organisation", level=1)).to_be_visible()
    journey.check()
    page.get_by_label("Organisation", exact=True).fill("Upplands-Bro kommun")
    page.get_by_label("Enhet").fill("Näringslivsenheten")
    page.get_by_label("E-post för frågor").fill("naringsliv@upplands-bro.example.se")
    page.get_by_label("Telefon för frågor").fill("08-581 690 00")
    page.get_by_label("Webbplats").fill("https://upplands-bro.example.se")
    # A spreadsheet renamed to .png is refused beside the field; the rest is kept.
    page.get_by_label("Logotyp").set_input_files(
        {"name": "logga.png", "mimeType": "image/png", "buffer": b"Org.nr;Namn\n"}
    )
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").filter(has_text="Något behöver rättas")).to_be_focused()
    expect(page.get_by_text("Filen är ingen PNG- eller JPEG-bild.").last).to_be_visible()
    expect(page.get_by_label("Enhet")).to_have_value("Näringslivsenheten")
    journey.check("errors")
    page.get_by_label("Logotyp").set_input_files(
        {"name": "logga.png", "mimeType": "image/png", "buffer": png_image(90, 30)}
    )
    page.get_by_role("button", name="Spara").click()
    journey.see("Organisationens uppgifter är sparade.")
    logo = page.get_by_role("img", name="Logotyp för Upplands-Bro kommun")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") == 90
    expect(page.get_by_role("contentinfo")).to_contain_text(
        "Näringslivsenheten, Upplands-Bro kommun"
    )
    journey.check("saved")


def _create_account_by_keyboard(journey) -> None:  # noqa: ANN001 - Journey
    page = journey.page
    page.get_by_role("link", name="Användare").click()
    journey.check()
    page.get_by_role("link", name="Skapa ett konto").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Skapa ett konto")).to_be_visible()
    journey.check()
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(COLLEAGUE)
    page.keyboard.press("Tab")
    page.keyboard.type("Nils Nyber")  # a typo, corrected later
    page.keyboard.press("Tab")
    page.keyboard.type("Analytiker")  # a closed select picks the option as one types
    expect(page.get_by_label("Roll")).to_have_value("analyst")
    page.keyboard.press("Tab")
    page.keyboard.type("tillfälligt-lösen-1234-abcd")
    page.keyboard.press("Enter")
    journey.see("Kontot är skapat.")
    expect(page.get_by_role("row", name=re.compile("Nils Nyber"))).to_contain_text("Analytiker")


def _link_from_mail(journey, server: SmtpServer) -> str:  # noqa: ANN001
    """Deliver the outbox as `survey mail send` does; return the link the colleague got."""
    result = journey.app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "sent 1" in result.output, result.output
    (mail,) = server.inbox.messages
    assert mail["To"].addresses[0].addr_spec == COLLEAGUE
    assert str(mail["Subject"]) == "Välj ett lösenord"
    assert mail["From"].addresses[0].display_name == "Näringslivsenheten, Upplands-Bro kommun"
    text = text_part(mail)
    assert "Hej Nils Nyber," in text and "Anna Admin har skickat en länk" in text
    assert "Upplands-Bro kommun" in text and "Telefon: 08-581 690 00" in text
    links = re.findall(r"https?://\S+/account/reset/[A-Za-z0-9_-]{20,}", text)
    assert len(links) == 1 and f'href="{links[0]}"' in html_part(mail)
    return links[0]


def test_admin_manages_users(journey, desk, person, smtp_server: SmtpServer) -> None:  # noqa: F811
    admin = person("admin", "Anna Admin")
    journey.log_in(admin)
    page = journey.page
    _set_identity(journey)
    _create_account_by_keyboard(journey)

    # A link to choose a password: asked first, then sent through the outbox.
    page.get_by_role("link", name="Nils Nyber").click()
    journey.check()
    page.get_by_role("link", name="Skicka en lösenordslänk").click()
    expect(
        page.get_by_role("heading", name="Skicka en lösenordslänk till Nils Nyber?")
    ).to_be_visible()
    journey.see(COLLEAGUE)
    journey.check()
    page.get_by_role("button", name="Skicka länken").click()
    journey.see(f"En länk för att välja lösenord är på väg till {COLLEAGUE}.")
    link = _link_from_mail(journey, smtp_server)

    # The colleague opens the mail's link in their own browser, chooses a password, logs in.
    colleague = desk()
    colleague.checked = journey.checked  # pages axe has passed need no second run
    colleague.start(urlsplit(link).path)
    expect(colleague.page.get_by_role("heading", name="Välj ett nytt lösenord")).to_be_visible()
    colleague.check()
    colleague.page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    colleague.page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    colleague.page.get_by_role("button", name="Spara lösenordet").click()
    colleague.see("Ditt lösenord är ändrat. Logga in med det nya lösenordet.")
    colleague.check()
    colleague.page.get_by_label("E-postadress").fill(COLLEAGUE)
    colleague.page.get_by_label("Lösenord").fill(NEW_PASSWORD)
    colleague.page.get_by_role("button", name="Logga in").click()
    colleague.page.wait_for_url(journey.base_url + "/")
    colleague.see("Nils Nyber")
    colleague.check()

    # The admin corrects the name and makes the analyst an official.
    page.get_by_label("Namn").fill("Nils Nyberg")
    page.get_by_role("button", name="Spara namnet").click()
    journey.see("Namnet är sparat.")
    expect(page.get_by_role("heading", name="Nils Nyberg", level=1)).to_be_visible()
    page.get_by_label("Roll").select_option(label="Handläggare (redigerar)")
    page.get_by_role("button", name="Spara roll").click()
    journey.see("Rollen är sparad.")
    page.get_by_role("link", name="Användare").first.click()
    row = page.get_by_role("row", name=re.compile("Nils Nyberg"))
    expect(row).to_contain_text("Handläggare (redigerar)")
    expect(row).to_contain_text("Aktiv")
