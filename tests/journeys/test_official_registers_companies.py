"""An official builds the register: one company by hand, then a file from another system.

By hand, a wrong SNI code comes back beside its field with everything typed kept; the saved
company shows its code as 47.211. The file has the titles another system writes (Org.nr,
Antal anställda, E-postadress ...) and a column the import does not know: the official sees
how each column is read and the first rows as they will be saved, points the unknown column
at the mail language, imports, and finds the companies with e-mail and size. Last, the
template file is downloaded as Excel would open it.
"""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

UNUSUAL_FILE = (
    "Org.nr;Företagsnamn;SNI-kod;Antal anställda;Kontaktperson;E-postadress;Utskick på\r\n"
    "556036-0801;Björkås Bageri AB;10.711;12;Lars Ärlig;lars@bageri.example.com;engelska\r\n"
    "556036-0819;Norrvik Hotell AB;55101;250+;Åsa Öberg;asa@norrvik.example.com;svenska\r\n"
).encode("utf-8-sig")


def test_official_registers_a_company_and_imports_a_file(journey, person) -> None:
    journey.log_in(person("official", "Karin Berg"))
    page = journey.page

    page.get_by_role("link", name="Företag", exact=True).first.click()
    journey.check()
    page.get_by_role("link", name="Registrera ett företag").click()
    journey.check()
    page.get_by_label("Organisationsnummer").fill("556036-0793")
    page.get_by_label("Namn", exact=True).fill("Bro Kiosk AB")
    page.get_by_label("SNI-kod").fill("99.999")
    page.get_by_label("Kontaktens e-post").fill("kiosk@bro.example.com")
    page.get_by_role("button", name="Spara").click()
    journey.see("SNI 2007 har ingen kod 99.999")
    expect(page.get_by_label("SNI-kod")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Namn", exact=True)).to_have_value("Bro Kiosk AB")
    expect(page.get_by_label("Kontaktens e-post")).to_have_value("kiosk@bro.example.com")
    journey.check("errors")
    page.get_by_label("SNI-kod").fill("47.211")
    page.get_by_role("button", name="Spara").click()
    journey.see("Företaget är registrerat.")
    expect(page.get_by_role("heading", name="Bro Kiosk AB")).to_be_visible()
    journey.see("47.211 (G – Handel)")
    journey.check()

    page.get_by_role("link", name="Alla företag").click()
    page.get_by_role("link", name="Importera från CSV").click()
    journey.check()
    page.get_by_label("CSV-fil").set_input_files(
        {"name": "foretag.csv", "mimeType": "text/csv", "buffer": UNUSUAL_FILE}
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    journey.see("2 rader kan importeras: 2 nya företag, 0 uppdateringar.")
    expect(page.get_by_label("Antal anställda")).to_have_value("size_class")
    expect(page.get_by_label("E-postadress")).to_have_value("contact_email")
    journey.see("Importeras inte: kolumnen Utskick på.")
    rows = page.get_by_role("table", name="De första raderna som de kommer att sparas")
    first = rows.get_by_role("row").nth(1)
    expect(first).to_contain_text("lars@bageri.example.com")
    expect(first).to_contain_text("10-49")
    expect(first).to_contain_text("10.711")
    journey.check()

    page.get_by_label("Utskick på").select_option(label="Språk i enkätutskick")
    page.get_by_role("button", name="Uppdatera förhandsgranskningen").click()
    journey.see("Kontrollera raderna som de kommer att sparas")
    expect(rows.get_by_role("row").nth(1)).to_contain_text("Engelska")
    page.get_by_role("button", name="Importera 2 rader").click()
    journey.see("2 företag tillagda")
    journey.see("3 företag")
    page.get_by_role("link", name="Björkås Bageri AB").click()
    journey.see("lars@bageri.example.com")
    journey.see("10-49")
    journey.see("10.711")
    journey.see("Engelska")

    page.get_by_role("link", name="Alla företag").click()
    page.get_by_role("link", name="Importera från CSV").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner en mall (CSV-fil för Excel)").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    titles = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert titles[:2] == ["organisationsnummer", "namn"] and "epost" in titles
