"""Erasure reaches every copy; the retention run purges login attempts and stale uploads."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import JSON, String, Text, cast, func, select, update

from survey.extensions import db
from survey.models import Answer, AuditEvent, Company, Invitation, LoginAttempt, Question, Visit
from survey.models.base import Base, utcnow
from survey.services.accounts.accounts import THROTTLE_WINDOW
from survey.services.followups import followups
from survey.services.followups.followups import FollowUpInput
from tests.factories import post_form


def _mail_files(app: Flask) -> dict[str, bytes]:
    folder = Path(app.config["SURVEY_INSTANCE_DIR"]) / "mail"
    return {path.name: path.read_bytes() for path in folder.glob("*.eml")}


def _rows_holding(app: Flask, needle: str) -> list[str]:
    """Return table.column for every text column of any row that contains `needle`."""
    found = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                text = cast(column, Text) if isinstance(column.type, JSON) else column
                query = select(func.count()).select_from(table).where(text.contains(needle))
                if db.session.scalar(query):
                    found.append(f"{table.name}.{column.name}")
    return found


def _texts(app: Flask, world) -> dict[str, object]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.execute(
            select(Question.key, Answer.value_text, Answer.value_number)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id == world.response_id)
        ).all()
        answers = {key: number if text is None else text for key, text, number in rows}
        return {
            "notes": db.session.get(Visit, world.visit_id).notes,
            "draft": db.session.get(Invitation, world.invitation_id).draft,
            "answers": answers,
        }


def test_erase_contact_blanks_every_copy_and_deletes_the_mail_files(
    app: Flask, runner, make_world
) -> None:
    alfa, beta = make_world("Alfa"), make_world("Beta")
    with app.app_context():
        db.session.execute(update(Invitation).values(draft={"Q_TEXT": "utkast"}, draft_page=1))
        db.session.commit()
    assert runner.invoke(args=["mail", "send"]).exit_code == 0
    sent = _mail_files(app)
    assert len(sent) == 2
    with app.app_context():
        alfa_address = db.session.get(Company, alfa.company_id).contact_email.encode()
    assert sum(alfa_address in data for data in sent.values()) == 1

    with app.app_context():
        for world, phone in ((alfa, "070-111 11 11"), (beta, "070-222 22 22")):
            data = FollowUpInput(topic=f"Ringa {world.text}", contact_phone=phone)
            followups.create_followup(world.company_id, data, actor_id=None)

    result = runner.invoke(args=["privacy", "erase-contact", alfa.org_number])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"erased the contact person of {alfa.org_number}: 1 invitation addresses, 1 drafts, "
        "1 visit notes blanked, 1 free-text answers blanked, 1 follow-ups blanked, "
        "1 mail recipients, 1 mail files deleted"
    )
    assert _rows_holding(app, "Ringa Beta") == ["followups.topic"]
    assert _rows_holding(app, "070-222 22 22") == ["followups.contact_phone"]

    assert _texts(app, alfa) == {"notes": "", "draft": None, "answers": {
        "Q_SCALE": 4.0, "Q_CHOICE": "a", "Q_TEXT": ""}}  # fmt: skip
    assert _texts(app, beta) == {"notes": "Anteckning Beta", "draft": {"Q_TEXT": "utkast"},
        "answers": {"Q_SCALE": 4.0, "Q_CHOICE": "a", "Q_TEXT": "Svar Beta"}}  # fmt: skip
    left = _mail_files(app)
    assert len(left) == 1 and not any(alfa_address in data for data in left.values())
    needles = ("Kontakt Alfa", "Anteckning Alfa", "Svar Alfa", "Ringa Alfa", "070-111 11 11")
    for needle in (*needles, alfa_address.decode()):
        assert _rows_holding(app, needle) == [], needle
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "company.erase_contact")
        ).one()
    counts = {k: event.details[k] for k in ("visit_notes", "answers", "drafts", "mail_files")}
    assert counts == {"visit_notes": 1, "answers": 1, "drafts": 1, "mail_files": 1}
    assert "visit.notes" in event.details["fields"]


def test_company_report_lists_the_mail_files_of_the_company(
    app: Flask, runner, make_world, tmp_path: Path
) -> None:
    import json

    alfa = make_world("Alfa")
    make_world("Beta")
    assert runner.invoke(args=["mail", "send"]).exit_code == 0
    output = tmp_path / "report.json"
    result = runner.invoke(args=["privacy", "company-report", alfa.org_number, "-o", str(output)])
    assert result.exit_code == 0, result.output
    files = json.loads(output.read_text("utf-8"))["mail_files"]
    assert len(files) == 1 and files[0] in _mail_files(app)
    assert b"Alfa" in _mail_files(app)[files[0]]


def test_retention_run_purges_login_attempts_past_the_throttle_window(
    app: Flask, runner, make_user
) -> None:
    user = make_user("official")
    client = app.test_client()
    for _ in range(2):
        post_form(client, "/login", {"email": user.email, "password": "fel lösenord 123"})
    with app.app_context():
        first = db.session.scalars(select(LoginAttempt.id).order_by(LoginAttempt.id)).first()
        db.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.id == first)
            .values(at=utcnow() - THROTTLE_WINDOW - timedelta(minutes=1))
        )
        db.session.commit()
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert "would remove 1 login attempts" in dry.output, dry.output
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    assert "retention is off" in result.output
    assert "removed 1 login attempts older than the throttle window" in result.output
    with app.app_context():
        assert db.session.scalars(select(LoginAttempt.id)).all() == [first + 1]


def test_retention_run_deletes_company_import_uploads_older_than_an_hour(
    app: Flask, runner, login_as
) -> None:
    client = login_as("official")
    content = "orgnr;namn;kontaktperson\n5560360793;Bolaget AB;Åsa Öberg\n".encode()
    files = {"file": (io.BytesIO(content), "foretag.csv")}
    post_form(client, "/companies/import", files, content_type="multipart/form-data")
    (upload,) = (Path(app.config["SURVEY_INSTANCE_DIR"]) / "imports").glob("*.csv")
    assert runner.invoke(args=["privacy", "retention"]).exit_code == 0
    assert upload.exists()  # still fresh
    hour_ago = time.time() - 3601
    os.utime(upload, (hour_ago, hour_ago))
    result = runner.invoke(args=["privacy", "retention"])
    assert "1 company-import uploads older than an hour" in result.output, result.output
    assert not upload.exists()
