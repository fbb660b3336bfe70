"""The funnel counts invitations only; the response rate is answered of delivered invitations.

Hand-worked: thirteen invitations of one survey (S sent, F failed, O opened, T started,
A answered, X opted out), and three imported responses that came without an invitation.

    0-3   S O T A          four answered
    4       O T A          no recorded send, but the link was used: it reached the company
    5     S O T            started only
    6     S O     X        opted out
    7-8   S                delivered, nothing more
    9-10                   not sent yet
    11      F              failed
    12    S F              sent, then bounced: failed

    invited 13, delivered 9 (0-8), opened 7, started 6, answered 5;
    not sent 2, failed 2, opted out 1 (of the delivered);
    response rate 5 / 9 = 55.56 % (shown 56 %); opened 7 / 9 = 77.8 %, started 66.7 %,
    answered 55.6 %, opted out 11.1 % of delivered. Before: "5 of 13 invited", 38 %.
    Imported 3: beside the funnel, never in it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from survey.extensions import db
from survey.models import Company, Invitation, Survey
from survey.services.batteries import batteries
from tests.dashboard.helpers import csv_rows
from tests.statistics.conftest import nki_rows

STATES = ["SOTA"] * 4 + ["OTA", "SOT", "SOX", "S", "S", "", "", "F", "SF"]


def _invite(app, states: list[str] = STATES) -> int:  # noqa: ANN001
    """Invite one company per state (letters as in the table above); return the survey's id."""
    now = datetime(2025, 6, 1, tzinfo=UTC)
    with app.app_context():
        version = batteries.get_version("nki-myndighetsutovning")
        survey = Survey(
            name="Vår 2025",
            battery_version_id=version.id,
            opens_on=date(2025, 5, 1),
            closes_on=date(2025, 7, 1),
            sender_name="Kommunen",
            invitation_subject_sv="Enkät",
            invitation_body_sv="Hej",
        )
        db.session.add(survey)
        for i, state in enumerate(states):
            company = Company(org_number=f"{5560000000 + 10 * i}", name=f"AB {i}")
            db.session.add(company)
            db.session.flush()
            db.session.add(
                Invitation(
                    survey=survey,
                    company_id=company.id,
                    token_hash=f"{i:064d}",
                    token_nonce=f"{i:032d}",
                    expires_at=now + timedelta(days=30),
                    sent_at=now if "S" in state else None,
                    failed_at=now if "F" in state else None,
                    opened_at=now if "O" in state else None,
                    started_at=now if "T" in state else None,
                    submitted_at=now if "A" in state else None,
                    opted_out_at=now if "X" in state else None,
                )
            )
        db.session.commit()
        return survey.id


def test_funnel_and_rate_count_delivered_invitations_only(
    app, nki_battery, import_csv, login_as
) -> None:
    _invite(app)
    import_csv(*nki_rows([(5, 5, 5)] * 3, "2025-06-02T10:00:00+02:00"))
    client = login_as("analyst")
    query = "battery=nki-myndighetsutovning"

    response = client.get(f"/dashboard/data/funnel.csv?{query}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Steg", "Inbjudningar", "Andel av levererade, procent"],
        ["Inbjudna", "13", ""],
        ["Levererade", "9", "100.0"],
        ["Öppnade", "7", "77.8"],
        ["Påbörjade", "6", "66.7"],
        ["Inskickade", "5", "55.6"],
        ["Ännu inte skickade", "2", ""],
        ["Utskick misslyckades", "2", ""],
        ["Avböjde enkäten", "1", "11.1"],
    ]

    page = client.get(f"/dashboard/responses?{query}").get_data(as_text=True)
    assert "5 av 9 levererade inbjudningar besvarades (svarsfrekvens 56 %)" in page
    assert "Importerade svar, inte med i trattan: 3" in page
    assert "Alla svar som matchar filtren, alla insamlingssätt: 3." in page

    overview = client.get(f"/dashboard?{query}").get_data(as_text=True)
    assert 'data-testid="response-rate">56 %<' in overview.replace("\u00a0", " ")
    assert "5 av 9 levererade inbjudningar" in overview
    assert "varav importerade 3, intervjuer 0" in overview


def test_imported_answers_only_give_an_empty_funnel(app, nki_battery, import_csv, login_as) -> None:
    _invite(app)
    import_csv(*nki_rows([(5, 5, 5)] * 3, "2025-06-02T10:00:00+02:00"))
    client = login_as("analyst")
    page = client.get("/dashboard/responses?battery=nki-myndighetsutovning&mode=import")
    text = page.get_data(as_text=True)
    assert "0 av 0 levererade inbjudningar besvarades" in text
    assert "Importerade svar, inte med i trattan: 3" in text


def test_stages_count_history_a_one_page_answer_was_opened_and_started(
    app, nki_battery, login_as
) -> None:
    # The one-page form stores its answers in one request: only sent and submitted stamped.
    survey_id = _invite(app, ["SA", "SA", "SA", "SOT", "S"])
    client = login_as("official")
    rows = csv_rows(client, "/dashboard/data/funnel.csv?battery=nki-myndighetsutovning")
    counts = {row["Steg"]: int(row["Inbjudningar"]) for row in rows}
    assert [counts[s] for s in ("Levererade", "Öppnade", "Påbörjade", "Inskickade")] == [
        5,
        4,
        4,
        3,
    ]
    page = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd><span class=\"figure-value\">(\d+)<", page))
    assert (figures["Skickade"], figures["Öppnade"], figures["Påbörjade"]) == ("5", "4", "4")
    assert figures["Inskickade"] == "3"
    assert "95 %" not in page  # no bare interval beside the response rate
    assert "3 av 5 levererade inbjudningar" in page
