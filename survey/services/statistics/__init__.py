"""Statistics of the answers: fetched data, indices per period, rollups, funnel."""
