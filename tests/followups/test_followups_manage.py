"""Follow-ups by hand and from a visit, assignment mail, the overdue mail exactly once, measures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import AuditEvent, FollowUp, OutboxMessage
from survey.services.followups import followups
from survey.services.followups.followups import FollowUpInput
from survey.services.followups.measures import loop_measures
from survey.services.privacy.retention import apply_retention
from survey.services.surveys.invitations import local_today
from tests.factories import delivered_mail, login, plain_text, post_form


@pytest.fixture
def official(make_user):  # noqa: ANN001, ANN201
    return make_user("official", name="Karin Berg")


def _create(app, company_id: int, **fields) -> int:  # noqa: ANN001
    actor = fields.pop("actor", None)
    with app.app_context():
        data = FollowUpInput(topic=fields.pop("topic", "Ringde om bygglov"), **fields)
        return followups.create_followup(company_id, data, actor_id=actor).id


def _mails(app, kind: str) -> list[OutboxMessage]:  # noqa: ANN001
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_an_official_makes_a_followup_from_a_visit_with_errors_beside_the_fields(
    app, make_company, make_visit, official
) -> None:
    company_id = make_company("Bageriet AB")
    visit_id = make_visit(company_id, date.today() - timedelta(days=2))
    client = app.test_client()
    login(client, official)
    url = f"/companies/{company_id}/followups/new?visit={visit_id}"
    form = client.get(url).get_data(as_text=True)
    assert str(followups_due(app)) in form  # the default due date is filled in
    empty = post_form(client, url, {"topic": "", "owner": str(official.id)})
    assert empty.status_code == 200 and 'id="topic-error"' in empty.get_data(as_text=True)
    made = post_form(client, url, {"topic": "Lovade att skicka kontakt", "owner": str(official.id)})
    assert made.status_code == 302
    with app.app_context():
        (followup,) = db.session.scalars(select(FollowUp)).all()
        assert (followup.source, followup.visit_id, followup.status) == (
            "visit",
            visit_id,
            "assigned",
        )
        assert followup.due_on == followups.due_date()
    assert _mails(app, "followup_assigned") == []  # she assigned it to herself
    company_page = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "Utlovad vid ett besök" in company_page and "Tilldelad" in company_page


def followups_due(app) -> date:  # noqa: ANN001
    with app.app_context():
        return followups.due_date()


def test_analysts_see_no_followups(app, login_as, make_company) -> None:
    followup_id = _create(app, make_company(), contact_phone="070-1")
    analyst = login_as("analyst")
    assert analyst.get("/followups/").status_code == 403
    assert analyst.get(f"/followups/{followup_id}").status_code == 403


def test_the_owner_is_mailed_when_someone_else_assigns_it(app, make_company, make_user) -> None:
    boss, owner = make_user("official"), make_user("official", name="Omar Said")
    followup_id = _create(app, make_company("Åkeriet AB"), topic="Hemligt ämne")
    with app.app_context():
        followups.assign(followup_id, owner.id, actor_id=boss.id)
    (mail,) = _mails(app, "followup_assigned")
    assert mail.to_addr == owner.email and "Åkeriet AB" in mail.subject
    text = plain_text(delivered_mail(app)[-1])
    assert f"/followups/{followup_id}" in text and "Hemligt ämne" not in text


def test_the_overdue_mail_goes_once_to_the_owner_of_each_overdue_followup(
    app, runner, make_company, make_user
) -> None:
    boss, owner = make_user("official"), make_user("official")
    company = make_company("Sågverket AB")
    late = _create(app, company, owner_id=owner.id, actor=boss.id)
    closed = _create(app, company, owner_id=owner.id, actor=boss.id)
    nobodys = _create(app, company)  # overdue but nobody's: nobody to mail yet
    _create(app, company, owner_id=owner.id, actor=boss.id)  # not yet due
    with app.app_context():
        followups.close(closed, "Klart", actor_id=owner.id)
        past = local_today() - timedelta(days=1)
        overdue = FollowUp.id.in_([late, closed, nobodys])
        db.session.execute(update(FollowUp).where(overdue).values(due_on=past))
        db.session.commit()

    first = runner.invoke(args=["followups", "remind"])
    assert first.exit_code == 0 and first.output.strip() == "queued 1 overdue follow-up mail(s)"
    again = runner.invoke(args=["followups", "remind"])
    assert again.output.strip() == "queued 0 overdue follow-up mail(s)"

    (mail,) = _mails(app, "followup_overdue")
    assert mail.to_addr == owner.email and mail.subject == "Försenad uppföljning: Sågverket AB"
    with app.app_context():
        assert db.session.get(FollowUp, late).overdue_notified_at is not None
        events = db.session.scalars(
            select(AuditEvent.object_id).where(AuditEvent.action == "followup.overdue_mail")
        ).all()
        assert events == [str(late)]


def test_a_closed_followup_cannot_change(app, make_company, official) -> None:
    followup_id = _create(app, make_company())
    with app.app_context():
        followups.close(followup_id, "Löst i telefon", actor_id=official.id)
        for change in (
            lambda: followups.mark_contacted(followup_id, actor_id=official.id),
            lambda: followups.close(followup_id, "igen", actor_id=official.id),
            lambda: followups.assign(followup_id, official.id, actor_id=official.id),
        ):
            with pytest.raises(followups.DomainError, match="avslutad"):
                change()


def test_closing_needs_a_note_shown_beside_the_field(app, make_company, official) -> None:
    followup_id = _create(app, make_company())
    client = app.test_client()
    login(client, official)
    url = f"/followups/{followup_id}/close"
    page = post_form(client, url, {"note": "  "}, form_url=f"/followups/{followup_id}")
    assert page.status_code == 200 and 'id="note-error"' in page.get_data(as_text=True)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_the_measures_of_the_loop_worked_by_hand(app, make_company) -> None:
    """Three follow-ups in 2026Q1 (two contact requests), one in 2026Q2 (a contact request):
    contacted after 1 and 3 days (median 2), one closed on time, one late, one open past due,
    one open not yet due (undecided): 1 of 3 decided on time."""
    company = make_company()
    today = date(2026, 5, 20)
    plan = [
        # came in, source, contacted after (days), closed on, due on
        (date(2026, 1, 12), "contact_request", 1, date(2026, 1, 14), date(2026, 1, 19)),
        (date(2026, 2, 2), "contact_request", 3, date(2026, 2, 20), date(2026, 2, 9)),
        (date(2026, 3, 2), "manual", None, None, date(2026, 3, 9)),
        (date(2026, 5, 18), "contact_request", None, None, date(2026, 5, 25)),
    ]
    with app.app_context():
        for came, source, after, closed, due in plan:
            db.session.add(
                FollowUp(
                    company_id=company,
                    source=source,
                    created_at=_at(came),
                    contacted_at=_at(came + timedelta(days=after)) if after else None,
                    closed_at=_at(closed, 14) if closed else None,
                    status="closed" if closed else "new",
                    due_on=due,
                    topic="",
                    closing_note="",
                )
            )
        db.session.commit()
        found = loop_measures(by="quarter", today=today)
        assert found.requests == [("2026Q1", 2), ("2026Q2", 1)]
        assert (found.contacted, found.median_days_to_contact) == (2, 2.0)
        assert (found.on_time, found.decided) == (1, 3)
        assert found.on_time_share == pytest.approx(100 / 3)
        spring = loop_measures(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31), today=today)
        assert (spring.requests, spring.median_days_to_contact) == ([("2026Q1", 1)], 3.0)
        assert loop_measures(date_from=date(2027, 1, 1), today=today).on_time_share is None


def test_retention_clears_the_texts_of_followups_closed_long_ago(app, make_company) -> None:
    company = make_company()
    old = _create(app, company, topic="Gammal fråga", contact_phone="070-9")
    new = _create(app, company, topic="Ny fråga", contact_phone="070-8")
    with app.app_context():
        followups.close(old, "Löst", actor_id=None)
        followups.close(new, "Löst", actor_id=None)
        long_ago = datetime.now(UTC) - timedelta(days=400)
        db.session.execute(update(FollowUp).where(FollowUp.id == old).values(closed_at=long_ago))
        db.session.commit()
        report = apply_retention(12)
        assert report.followups == 1
        kept, cleared = db.session.get(FollowUp, new), db.session.get(FollowUp, old)
        assert (kept.topic, kept.contact_phone, kept.closing_note) == ("Ny fråga", "070-8", "Löst")
        assert (cleared.topic, cleared.contact_phone, cleared.closing_note) == ("", None, "")
        assert cleared.status == "closed" and cleared.closed_at is not None


def test_the_demo_has_open_overdue_and_closed_followups(app, make_company, make_user) -> None:
    import random

    from survey.demo.followups import create_demo_followups
    from survey.demo.municipality import DemoContext

    officials = [make_user("official"), make_user("official")]
    with app.app_context():
        ctx = DemoContext(rng=random.Random(1), officials=officials)
        ctx.company_ids = [make_company() for _ in range(3)]
        create_demo_followups(ctx)
        db.session.commit()
        found = db.session.scalars(select(FollowUp)).all()
        today = local_today()
        open_ = [f for f in found if f.status != "closed"]
        assert any(f.due_on >= today for f in open_), "an open one not yet due"
        assert any(f.due_on < today for f in open_), "an overdue one"
        assert {f.status for f in found} == {"new", "assigned", "contacted", "closed"}
        closed = [f for f in found if f.status == "closed"]
        assert any(f.closed_at.date() <= f.due_on for f in closed)
        assert any(f.closed_at.date() > f.due_on for f in closed)
        assert all(f.closing_note for f in closed)
