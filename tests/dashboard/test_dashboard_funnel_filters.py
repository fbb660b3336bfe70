"""The response funnel obeys every dashboard filter, like the answers it stands beside."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from survey.services.dashboards.dashboard import funnel
from survey.services.errors import DomainError
from survey.services.statistics.filters import Filters


@pytest.mark.parametrize(
    ("filters", "invited", "submitted"),
    [
        ({}, 40, 20),
        ({"industry": "F"}, 40, 20),
        ({"industry": "I"}, 0, 0),
        ({"size": "1-9"}, 40, 20),
        ({"size": "10-49"}, 0, 0),
        ({"mode": "web"}, 40, 20),
        ({"mode": "interview"}, 0, 0),
        ({"area": "bygglov"}, 0, 0),
        ({"date_to": date(2024, 12, 31)}, 0, 0),
        ({"date_from": date.today() - timedelta(days=1)}, 40, 20),
    ],
)
def test_funnel_counts_only_the_filtered_invitations(
    app, demo, filters, invited, submitted
) -> None:
    # The demo invites 40 times one company (SNI section F, 1-9 employees), created today,
    # through a survey without a service area and without visits.
    with app.app_context():
        result = funnel(Filters(battery=demo.battery, **filters))
    # The demo sends 38 of the 40: the rate's denominator is the delivered ones.
    delivered = invited - 2 if invited else 0
    assert (result.invited, result.delivered, result.submitted) == (invited, delivered, submitted)
    assert (result.rate.invited, result.rate.responded) == (delivered, submitted)


def test_funnel_names_an_unknown_area(app, demo) -> None:
    with app.app_context(), pytest.raises(DomainError) as caught:
        funnel(Filters(battery=demo.battery, area="finns-inte"))
    assert caught.value.field == "area"
