"""Officials pick recipients by search and ticks or by a list of organisation numbers, and see
who is invited and who is excluded (and why) before they confirm."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from survey import orgnr
from survey.extensions import db
from survey.models import Company, Invitation, OutboxMessage
from survey.services.surveys import recipient_lists
from tests.factories import post_form


def number(first_nine: str, *, hyphen: bool = True) -> str:
    digits = first_nine + str(orgnr.luhn_check_digit(first_nine))
    return f"{digits[:6]}-{digits[6:]}" if hyphen else digits


A, B, C, D = (number(n) for n in ("556677889", "556100001", "556200002", "556300003"))


@pytest.fixture
def register(app, make_company) -> dict[str, int]:
    """Four companies: A and B can be invited, C has no e-mail, D opted out."""
    ids = {
        "A": make_company("Alfa AB"),
        "B": make_company("Beta Bygg AB"),
        "C": make_company("Ceres Café", email=None),
        "D": make_company("Delta Däck AB", opted_out=True),
    }
    with app.app_context():
        for key, org in zip("ABCD", (A, B, C, D), strict=True):
            db.session.get(Company, ids[key]).org_number = org
        db.session.commit()
    return ids


def _invited(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Invitation.company_id)))


def _rows(html: str, caption: str) -> list[str]:
    """Return the text of each body row of the table with this caption."""
    table = html.split(f'<caption class="visually-hidden">{caption}</caption>')[1]
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in body.split("</tr>") if "<td" in row]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "numbers", "problems"),
    [
        (f"{A}\n{A.replace('-', '')}", [A], [(2, "Samma som rad 1.")]),
        (f"\n {A} \n\n{B}\n", [A, B], []),
        (f"16{A.replace('-', '')}", [A], []),
        ("556677-8890", [], [(1, "Kontrollsiffran stämmer inte")]),
        ("55667788", [], [(1, "Ett organisationsnummer har 10 siffror")]),
        ("Alfa AB", [], []),  # a header line: skipped
        (f"Alfa AB\n{A}x", [], [(2, "Ett organisationsnummer består bara av siffror")]),
        (f"Företagsnamn;Org.nr\nAlfa AB;{A}\nBeta;{B}", [A, B], []),
        (f"{A}\tAlfa AB\n{B}\tBeta", [A, B], []),
        (f"Namn,Organisationsnummer\nAlfa,{A}\nBeta,", [A], [(3, "Ange ett organisationsnummer")]),
    ],
)
def test_a_list_gives_each_number_once_and_every_problem_with_its_line(
    app, text, numbers, problems
) -> None:
    with app.test_request_context():
        parsed = recipient_lists.parse(text)
    assert list(parsed.numbers) == numbers
    assert [(p.line, p.reason[: len(r)]) for p, (_, r) in zip(parsed.problems, problems,
            strict=True)] == problems  # fmt: skip


def test_a_pasted_list_is_previewed_then_confirmed(app, login_as, make_survey, register) -> None:
    survey_id = make_survey()
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    pasted = "\n".join([A, B.replace("-", ""), C, D, "556677-8890", A, number("559999999")])
    response = post_form(official, f"{choose}/list", {"org_numbers": pasted}, form_url=choose)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 företag bjuds in." in html and "2 företag undantas." in html
    assert _rows(html, "Företag som bjuds in") == [f"Alfa AB {A}", f"Beta Bygg AB {B}"]
    assert _rows(html, "Företag som undantas") == [
        f"Ceres Café {C} Saknar e-postadress",
        f"Delta Däck AB {D} Har avböjt enkätutskick",
    ]
    problems = _rows(html, "Rader som inte kunde användas")
    assert [row.split(" ", 2)[:2] for row in problems] == [
        ["5", "556677-8890"], ["6", A], ["7", number("559999999")]
    ]  # fmt: skip
    assert "3 rader kunde inte användas" in html
    assert _invited(app) == set()  # the preview writes nothing

    ids = re.search(r'name="company_ids" value="([\d,]*)"', html).group(1)
    response = post_form(official, f"{choose}/confirm", {"company_ids": ids}, form_url=choose)
    assert response.status_code == 302
    assert _invited(app) == {register["A"], register["B"]}
    page = official.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 företag har bjudits in." in page

    again = post_form(official, f"{choose}/list", {"org_numbers": A}, form_url=choose)
    again_html = again.get_data(as_text=True)
    assert "0 företag bjuds in." in again_html
    assert "Redan inbjudet till den här enkäten" in again_html
    assert "Bekräfta och bjud in" not in again_html


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("lista.txt", f"{A}\n{B.replace('-', '')}\n".encode()),
        ("Företag.csv", f"Org.nr;Företagsnamn;E-post\n{A};Alfa;a@x.se\n{B};Beta;\n".encode()),
        ("excel.csv", f"Företagsnamn;Org.nr\r\nÅkes;{A}\r\nBeta;{B}\r\n".encode("cp1252")),
        ("bom.csv", b"\xef\xbb\xbf" + f"orgnr\n{A}\n{B}\n".encode()),
    ],
)
def test_an_uploaded_list_is_read_as_text_or_csv(
    app, login_as, make_survey, register, filename, content
) -> None:
    survey_id = make_survey()
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    data = {"org_numbers": "", "org_file": (io.BytesIO(content), filename)}
    response = post_form(
        official, f"{choose}/list", data, form_url=choose, content_type="multipart/form-data"
    )
    html = response.get_data(as_text=True)
    assert "2 företag bjuds in." in html, html[:3000]
    assert "kunde inte användas" not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"org_numbers": "  "}, "org_numbers", "Klistra in organisationsnummer eller välj en fil"),
        (
            {"org_numbers": "", "org_file": (b"x", "lista.xlsx")},
            "org_file",
            "Välj en .txt- eller .csv-fil",
        ),
    ],
)
def test_a_list_without_numbers_is_an_error_beside_the_field(
    app, login_as, make_survey, data, field, message
) -> None:
    survey_id = make_survey()
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    if "org_file" in data:  # a fresh file object for each run
        data = {**data, "org_file": (io.BytesIO(data["org_file"][0]), data["org_file"][1])}
    response = post_form(
        official, f"{choose}/list", data, form_url=choose, content_type="multipart/form-data"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html and message in html


def test_search_finds_by_name_or_number_and_ticked_companies_are_previewed(
    app, login_as, make_survey, register, invite
) -> None:
    survey_id = make_survey()
    invite(survey_id, register["B"])
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    by_name = official.get(f"{choose}?q=däck").get_data(as_text=True)
    assert "1 företag hittades" in by_name and "Delta Däck AB" in by_name
    assert "Har avböjt enkätutskick" in by_name
    by_number = official.get(f"{choose}?q={A.replace('-', '')[:8]}").get_data(as_text=True)
    assert "1 företag hittades" in by_number and "Alfa AB" in by_number
    every = official.get(f"{choose}?q=a").get_data(as_text=True)
    assert "4 företag hittades" in every
    assert "Redan inbjudet till den här enkäten" in every and "Saknar e-postadress" in every

    none = post_form(official, f"{choose}/picked", {}, form_url=choose)
    assert "Kryssa i minst ett företag." in none.get_data(as_text=True)
    ticked = [str(register[k]) for k in "ABC"]
    preview = post_form(official, f"{choose}/picked", {"company_id": ticked}, form_url=choose)
    html = preview.get_data(as_text=True)
    assert "1 företag bjuds in." in html and "2 företag undantas." in html
    assert _rows(html, "Företag som undantas") == [
        f"Beta Bygg AB {B} Redan inbjudet till den här enkäten",
        f"Ceres Café {C} Saknar e-postadress",
    ]
    assert _invited(app) == {register["B"]}


def test_confirm_excludes_a_company_that_opted_out_after_the_preview(
    app, login_as, make_survey, register
) -> None:
    from survey.services.register import companies

    survey_id = make_survey()
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    ids = f"{register['A']},{register['B']}"
    with app.app_context():
        companies.set_opted_out(register["B"], True, actor_id=None)
    post_form(official, f"{choose}/confirm", {"company_ids": ids}, form_url=choose)
    assert _invited(app) == {register["A"]}
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_picked_companies_cannot_be_invited_when_the_texts_name_the_visit_date(
    app, login_as, make_survey, register
) -> None:
    survey_id = make_survey(invitation_body_sv="Tack för besöket {visit_date}: {link}")
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    response = post_form(official, f"{choose}/list", {"org_numbers": A}, form_url=choose)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "{visit_date}" in html
    assert _invited(app) == set()


def test_a_rule_is_previewed_and_the_same_rule_confirmed(
    app, login_as, make_survey, register
) -> None:
    survey_id = make_survey()
    official = login_as("official")
    choose = f"/surveys/{survey_id}/recipients"
    rule = {"mode": "all", "service_area_id": "", "sni_section": ""}
    html = post_form(official, choose, rule).get_data(as_text=True)
    assert "2 företag bjuds in." in html and "2 företag undantas." in html
    assert 'name="mode" value="all"' in html
    post_form(official, f"{choose}/confirm", rule, form_url=choose)
    assert _invited(app) == {register["A"], register["B"]}
