"""Statistics services: filters, distributions, comments, response rates, company links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, Invitation, Response, ServiceArea, Survey, Visit
from survey.services.batteries import batteries
from survey.services.errors import DomainError
from survey.services.statistics import statistics
from tests.statistics.conftest import TEN, nki_rows


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({}, "battery"),
        ({"battery": "b", "colour": "red"}, "colour"),
        ({"battery": "b", "survey_id": "x"}, "survey_id"),
        ({"battery": "b", "industry": "Z"}, "industry"),
        ({"battery": "b", "size": "huge"}, "size"),
        ({"battery": "b", "mode": "paper"}, "mode"),
        ({"battery": "b", "date_to": "31/12"}, "date_to"),
        ({"battery": "b", "date_from": "2024-02-01", "date_to": "2024-01-01"}, "date_from"),
    ],
)
def test_filters_name_the_bad_field(app, args, field) -> None:
    with app.app_context(), pytest.raises(DomainError) as caught:
        statistics.Filters.from_args(args)
    assert caught.value.field == field


def test_filters_parse_values_and_ignore_empty_ones(app) -> None:
    with app.app_context():
        filters = statistics.Filters.from_args(
            {"battery": "b", "industry": "g", "date_from": "2024-01-01", "area": "", "size": "1-9"}
        )
    assert filters == statistics.Filters(
        battery="b", industry="G", date_from=date(2024, 1, 1), size="1-9"
    )


def test_distribution_counts_every_option_and_dont_know(app, mixed_battery, import_csv) -> None:
    header = ["submitted_at", "BETYG", "BETYG__dont_know", "FLERA__x", "FLERA__y", "VAL"]
    rows = [["2024-01-01", "5", "0", "1", "1", "a"]] * 5 + [
        ["2024-01-01", "", "1", "0", "1", "b"]
    ] * 3
    import_csv(header, rows, battery=mixed_battery)

    with app.app_context():
        filters = statistics.Filters(battery=mixed_battery)
        scale = statistics.distribution(filters, "BETYG")
        multiple = statistics.distribution(filters, "FLERA")
        small = statistics.distribution(filters, "VAL", min_n=9)

    assert scale["n"] == 8 and scale["dont_know"] == 3
    assert scale["counts"] == [{"value": v, "count": 5 if v == 5 else 0} for v in range(1, 6)]
    assert multiple["counts"] == [{"value": "x", "count": 5}, {"value": "y", "count": 8}]
    assert small == {
        "question": "VAL",
        "type": "single_choice",
        "n": 8,
        "dont_know": None,
        "counts": [],
        "suppressed": True,
    }


def test_comments_newest_first_with_search_and_paging(app, mixed_battery, import_csv) -> None:
    header = ["submitted_at", "KOMMENTAR"]
    rows = [[f"2024-01-{day:02d}T12:00:00Z", f"Svar {day} om bygglov"] for day in range(1, 8)]
    import_csv(header, [*rows, ["2024-12-31T23:30:00Z", "Sent SVAR"]], battery=mixed_battery)

    with app.app_context():
        filters = statistics.Filters(battery=mixed_battery)
        page = statistics.comments(filters, limit=3, offset=0)
        found = statistics.comments(filters, search="svar 7", limit=10)
        percent = statistics.comments(filters, search="100%", limit=10)

    assert page.total == 8
    assert [c.text for c in page.items] == ["Sent SVAR", "Svar 7 om bygglov", "Svar 6 om bygglov"]
    assert page.items[0].period == "2025"
    assert page.items[0].question_key == "KOMMENTAR"
    assert [c.text for c in found.items] == ["Svar 7 om bygglov"]
    assert percent.total == 0


def test_org_number_links_company_visit_and_official_filter(
    app, nki_battery, import_csv, make_user, stats_json
) -> None:
    official = make_user("official")
    with app.app_context():
        area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == "bygglov"))
        company = Company(
            org_number="556036-0793", name="Test AB", sni_section="C", size_class="10-49"
        )
        db.session.add(company)
        db.session.flush()
        visit = Visit(company_id=company.id, visit_date=date(2024, 2, 1), service_area_id=area.id)
        visit.officials.append(db.session.get(type(official), official.id))
        db.session.add(visit)
        db.session.commit()
    numbers = ["5560360793"] * 7 + ["212000-0142"] * 3  # the second is valid but not registered
    header, rows = nki_rows(TEN, "2024-02-02", org_number=numbers, visit_date=["2024-02-01"] * 10)
    import_csv(header, rows)

    with app.app_context():
        linked = db.session.execute(
            select(
                Response.company_id, Response.visit_id, Response.sni_section, Response.size_class
            )
        ).all()
    assert sorted(linked, key=str).count((company.id, visit.id, "C", "10-49")) == 7
    assert linked.count((None, None, None, None)) == 3
    groups = stats_json("--where", f"official_id={official.id}")["groups"]
    assert [g["n"] for g in groups] == [7]


def test_response_rate_of_a_survey(app, nki_battery) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        version = batteries.get_version(nki_battery)
        survey = Survey(
            name="Vår 2024",
            battery_version_id=version.id,
            opens_on=date(2024, 3, 1),
            closes_on=date(2024, 4, 1),
            sender_name="Kommunen",
            invitation_subject_sv="Enkät",
            invitation_body_sv="Hej",
        )
        db.session.add(survey)
        # Six invitations: four delivered (0-3), one not sent yet (4), one failed (5);
        # three of the delivered answered: 3 / 4 = 75 %, the other two are not in the rate.
        for i in range(6):
            company = Company(org_number=f"55600000{i}0"[:10], name=f"AB {i}")
            db.session.add(company)
            db.session.flush()
            db.session.add(
                Invitation(
                    survey=survey,
                    company_id=company.id,
                    token_hash=f"{i:064d}",
                    token_nonce=f"{i:032d}",
                    expires_at=now + timedelta(days=30),
                    sent_at=now if i < 4 or i == 5 else None,
                    failed_at=now if i == 5 else None,
                    submitted_at=now if i < 3 else None,
                )
            )
        db.session.commit()
        rate = statistics.response_rates(survey.id)
    assert (rate.responded, rate.invited, rate.rate) == (3, 4, 75.0)
