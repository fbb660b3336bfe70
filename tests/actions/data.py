"""Answers whose Treatment (bemötande) index is hand-worked, around one action's dates.

Every scale answer of a respondent is 4, except the three Treatment items: all ``b``, so the
respondent's Treatment index is ``(b - 1)/5 · 100``. The action runs 2024-01-15 to
2024-03-20, so its periods are 2023-01 – 2023-12 (before) and 2024-04 – 2025-03 (after):

- before, March 2023: b = 3 4 4 5 3 4 5 4 → 40 60 60 80 40 60 80 60 (n 8, mean 60);
- after, June 2024:   b = 4 5 5 6 4 5 6 5 → 60 80 80 100 60 80 100 80 (n 8, mean 80);
- later, June 2025 (outside both periods): 8 respondents with b = 4.

Each period's respondents answered in one month, and the other figures differ from them by
8 or more: the disclosure rule hides nothing. See test_action_effect for the hand-worked
figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from survey.extensions import db
from survey.services.batteries import batteries
from survey.services.respondents.answers import store_response
from tests.factories import shipped_battery

BATTERY = "nki-myndighetsutovning"
FACTOR = "bemotande"
TREATMENT = ("BEMOT_LYSSNA", "BEMOT_SATT", "BEMOT_LOSNING")
BEFORE = (3, 4, 4, 5, 3, 4, 5, 4)
AFTER = (4, 5, 5, 6, 4, 5, 6, 5)
LATER = (4,) * 8
STARTS_ON, ENDS_ON = date(2024, 1, 15), date(2024, 3, 20)


def build_answers(area: str = "bygglov") -> None:
    """Load the NKI battery and store the respondents above, in one service area (their
    answer to OMRADE), inside an app context."""
    batteries.load_definition(shipped_battery(BATTERY), actor_id=None)
    version = batteries.get_version(BATTERY)
    scale = [q.key for q in shipped_battery(BATTERY).questions() if q.type == "scale"]
    for year, month, levels in ((2023, 3, BEFORE), (2024, 6, AFTER), (2025, 6, LATER)):
        for day, level in enumerate(levels, start=1):
            answers = {key: level if key in TREATMENT else 4 for key in scale}
            store_response(
                version,
                {"OMRADE": area, **answers},
                collection_mode="web",
                language="sv",
                submitted_at=datetime(year, month, day, 10, tzinfo=UTC),
            )
    db.session.commit()
