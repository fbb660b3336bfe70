"""The contact request in the battery format: roles, the types they fit, one of each, round trip."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from survey.questionnaires import (
    BatteryFileError,
    canonical_json,
    content_hash,
    dump_battery,
    parse_battery,
)


def _battery(*extra: dict[str, Any], request: bool = True) -> dict[str, Any]:
    questions: list[dict[str, Any]] = [
        {"key": "BETYG", "type": "scale", "text": {"sv": "Betyg"}, "scale": {"min": 1, "max": 5}}
    ]
    if request:
        questions.append(
            {"key": "KONTAKT", "type": "yes_no", "text": {"sv": "Kontakt?"}, "contact": "request"}
        )
    questions += list(extra)
    return {
        "key": "kontakt-test",
        "title": {"sv": "Test"},
        "sections": [{"key": "forsta", "title": {"sv": "Första"}, "questions": questions}],
    }


def _text(key: str, role: str | None, kind: str = "short_text") -> dict[str, Any]:
    question = {"key": key, "type": kind, "text": {"sv": key.title()}}
    if role is not None:
        question["contact"] = role
        question["show_if"] = {"question": "KONTAKT", "equals": "yes"}
    return question


def _parse(data: dict[str, Any]):  # noqa: ANN202
    return parse_battery(yaml.safe_dump(data, allow_unicode=True), source="t.yaml")


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(BatteryFileError) as caught:
        _parse(data)
    return [f"{p.location}: {p.message}" for p in caught.value.errors]


def test_a_full_contact_request_round_trips_and_is_found_by_role() -> None:
    data = _battery(
        _text("OM", "about", "long_text"), _text("TEL", "phone"), _text("EPOST", "email")
    )
    battery = _parse(data)
    assert {role: q.key for role, q in battery.contact_questions().items()} == {
        "request": "KONTAKT",
        "about": "OM",
        "phone": "TEL",
        "email": "EPOST",
    }
    assert parse_battery(dump_battery(battery), source="dump") == battery
    assert "contact: request" in dump_battery(battery)


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            {"key": "NPS", "type": "nps", "text": {"sv": "N"}, "contact": "request"},
            "(NPS).contact: `contact: request` is only allowed for yes_no questions",
        ),
        (
            {"key": "TEL", "type": "long_text", "text": {"sv": "T"}, "contact": "phone"},
            "(TEL).contact: `contact: phone` is only allowed for short_text questions",
        ),
        (
            {"key": "TEL", "type": "short_text", "text": {"sv": "T"}, "contact": "fax"},
            "(TEL).contact: unknown contact role 'fax'; use request, about, phone, email",
        ),
        (
            {"key": "IGEN", "type": "yes_no", "text": {"sv": "I"}, "contact": "request"},
            "(IGEN).contact: only one question has `contact: request`; KONTAKT already does",
        ),
    ],
)
def test_a_misplaced_contact_role_is_reported_at_its_question(
    question: dict[str, Any], problem: str
) -> None:
    found = _problems(_battery(question))
    assert any(line.endswith(problem) for line in found), found


def test_a_part_without_a_request_is_reported() -> None:
    phone = {"key": "TEL", "type": "short_text", "text": {"sv": "T"}, "contact": "phone"}
    found = _problems(_battery(phone, request=False))
    assert found == [
        "sections[0].questions[1] (TEL).contact: the battery has no yes/no question with "
        "`contact: request` for this to go with"
    ]


def test_a_battery_without_contact_keeps_its_fingerprint() -> None:
    """Versions stored before `contact` existed keep their fingerprints."""
    plain = _parse(_battery(request=False))
    assert "contact" not in canonical_json(plain)
    asking = _parse(_battery())
    assert '"contact":"request"' in canonical_json(asking)
    assert content_hash(asking) != content_hash(_parse(_battery(request=False)))
