"""Each chart's text alternative states its main figures, from periods that can be reported."""

from __future__ import annotations

import re


def _alternatives(html: str) -> list[str]:
    return re.findall(r'<p class="chart-alt">.*?</span>(.*?)</p>', html, re.S)


def test_priority_matrix_alternative_states_index_and_effect(demo, login_as) -> None:
    html = login_as("analyst").get("/dashboard/priority").get_data(as_text=True)
    (text,) = _alternatives(html)
    parts = text.split("; ")
    assert len(parts) == 6
    sentence = re.compile(r"[\wåäöÅÄÖ ]+: [\wåäö ]+ \(index \d+, effekt [−-]?\d+,\d\)")
    for part in parts:
        assert sentence.fullmatch(part), part


def test_factor_trends_alternative_uses_the_latest_reportable_period(demo, login_as) -> None:
    # The latest quarter (2025Q3) has three answers only: it is suppressed for every factor,
    # and so is 2025's smallest other quarter (2025Q2), or the year 2025 minus Q1 and Q2
    # would give Q3 (complementary suppression).
    html = login_as("analyst").get("/dashboard/factors?by=quarter").get_data(as_text=True)
    text = _alternatives(html)[0]  # the second is Cronbach's alpha per index
    assert "2025Q3" not in text and "2025Q2" not in text
    assert text.startswith("Information 2025Q1: ") and "för få svar" not in text
