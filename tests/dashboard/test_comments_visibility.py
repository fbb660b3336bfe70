"""Comments: newest first and searchable; never beside a company or an exact time, and only
for groups that no neighbouring choice of filters narrows to fewer than seven respondents."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.conftest import COMMENT_COMPANY

COMMENT = re.compile(r"Kommentar \d+:")


@pytest.mark.parametrize("role", ["analyst", "official", "admin"])
def test_nobody_sees_company_names_beside_comments(demo, login_as, role) -> None:
    client = login_as(role)
    for url in ("/dashboard/comments", "/dashboard"):
        html = client.get(url).get_data(as_text=True)
        assert COMMENT.search(html), url
        assert COMMENT_COMPANY not in html and "Företag " not in html, url
        assert not re.search(r"\d\d:\d\d</td>", html), url  # no time of day either


def test_comments_are_newest_first_and_searchable(demo, login_as) -> None:
    client = login_as("official")
    html = client.get("/dashboard/comments?by=month").get_data(as_text=True)
    months = re.findall(r"<td>(\d{4}-\d\d)</td>", html)
    assert len(months) > 5
    assert months == sorted(months, reverse=True)
    found = client.get("/dashboard/comments?q=Kommentar+12:").get_data(as_text=True)
    assert "Kommentar 12:" in found and "Kommentar 16:" not in found
    assert "1 kommentar<" in found  # one comment, not "1 kommentarer"


def test_anonymous_survey_never_shows_a_company(demo, login_as) -> None:
    client = login_as("admin")
    html = client.get(f"/dashboard/comments?survey_id={demo.anonymous_survey_id}")
    text = html.get_data(as_text=True)
    assert COMMENT.search(text) and "Företag " not in text and COMMENT_COMPANY not in text


def test_a_group_of_three_shows_no_comments(demo, login_as) -> None:
    """The "miljö" area has three responses (one with a comment): its comments stay hidden."""
    client = login_as("official")
    area = demo.areas["miljo_halsoskydd"]
    html = client.get(f"/dashboard/comments?area={area}").get_data(as_text=True)
    assert not COMMENT.search(html)
    assert "Kommentarer visas bara för grupper med minst 7 svar" in html
    overview = client.get(f"/dashboard?area={area}").get_data(as_text=True)
    assert not COMMENT.search(overview) and "Kommentarerna döljs" in overview


def test_a_date_range_three_responses_short_of_all_shows_no_comments(demo, login_as) -> None:
    """Up to July 2025 leaves out only the three August answers: comparing the two pages
    would show their comments, so the shorter range shows none."""
    client = login_as("official")
    cut = client.get("/dashboard/comments?date_to=2025-07-31").get_data(as_text=True)
    assert not COMMENT.search(cut) and "Kommentarer visas bara" in cut
    whole = client.get("/dashboard/comments?date_to=2025-08-31").get_data(as_text=True)
    assert COMMENT.search(whole)
