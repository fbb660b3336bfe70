"""Comments: newest first, searchable; company names only for officials and admins."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.conftest import COMMENT_COMPANY


@pytest.mark.parametrize(
    ("role", "sees_names"), [("analyst", False), ("official", True), ("admin", True)]
)
def test_company_names_follow_the_role(demo, login_as, role, sees_names) -> None:
    client = login_as(role)
    for url in ("/dashboard/comments", "/dashboard"):
        html = client.get(url).get_data(as_text=True)
        assert "Kommentar" in html
        assert (COMMENT_COMPANY in html) is sees_names, url


def test_comments_are_newest_first_and_searchable(demo, login_as) -> None:
    client = login_as("official")
    html = client.get("/dashboard/comments").get_data(as_text=True)
    dates = re.findall(r"<td>(\d{4}-\d\d-\d\d \d\d:\d\d)</td>", html)
    assert len(dates) > 5
    assert dates == sorted(dates, reverse=True)
    found = client.get("/dashboard/comments?q=Kommentar+12:").get_data(as_text=True)
    assert "Kommentar 12:" in found and "Kommentar 16:" not in found
    assert "1 kommentarer" in found


def test_anonymous_survey_never_shows_a_company(demo, login_as) -> None:
    client = login_as("admin")
    html = client.get(f"/dashboard/comments?survey_id={demo.anonymous_survey_id}")
    text = html.get_data(as_text=True)
    assert "Kommentar" in text and "Företag " not in text and COMMENT_COMPANY not in text
