"""The due-date rule: working days skip weekends, Swedish public holidays and closed eves."""

from __future__ import annotations

from datetime import date

import pytest

from survey.workdays import add_working_days, easter_sunday, holidays, is_working_day


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1943, date(1943, 4, 25)),  # the latest possible Easter
        (2008, date(2008, 3, 23)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2285, date(2285, 3, 22)),  # the earliest possible Easter
    ],
)
def test_easter_sunday_matches_the_published_dates(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_holidays_of_2027_worked_by_hand() -> None:
    assert sorted(holidays(2027)) == [
        date(2027, 1, 1),  # nyårsdagen
        date(2027, 1, 6),  # trettondedag jul
        date(2027, 3, 26),  # långfredagen (Easter 28 March)
        date(2027, 3, 28),  # påskdagen
        date(2027, 3, 29),  # annandag påsk
        date(2027, 5, 1),  # första maj
        date(2027, 5, 6),  # Kristi himmelsfärdsdag: Easter + 39, a Thursday
        date(2027, 5, 16),  # pingstdagen: Easter + 49
        date(2027, 6, 6),  # nationaldagen
        date(2027, 6, 25),  # midsommarafton: the Friday from 19 to 25 June
        date(2027, 6, 26),  # midsommardagen: the Saturday from 20 to 26 June
        date(2027, 11, 6),  # alla helgons dag: the Saturday from 31 October to 6 November
        date(2027, 12, 24),  # julafton
        date(2027, 12, 25),  # juldagen
        date(2027, 12, 26),  # annandag jul
        date(2027, 12, 31),  # nyårsafton
    ]


@pytest.mark.parametrize(
    ("year", "eve", "day", "all_saints"),
    [
        (2026, date(2026, 6, 19), date(2026, 6, 20), date(2026, 10, 31)),  # both at the start
        (2027, date(2027, 6, 25), date(2027, 6, 26), date(2027, 11, 6)),  # both at the end
        (2029, date(2029, 6, 22), date(2029, 6, 23), date(2029, 11, 3)),
    ],
)
def test_midsummer_and_all_saints_fall_on_their_saturdays(
    year: int, eve: date, day: date, all_saints: date
) -> None:
    found = holidays(year)
    assert (found[eve], found[day], found[all_saints]) == (
        "Midsommarafton",
        "Midsommardagen",
        "Alla helgons dag",
    )


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 12, 7), 5, date(2026, 12, 14)),  # Monday: a plain week, the weekend skipped
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1: Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # from a Saturday: Monday is the first
        (date(2027, 3, 24), 5, date(2027, 4, 2)),  # Easter 2027: Good Friday to Easter Monday out
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Maundy Thursday + 1: Tuesday after Easter
        (date(2027, 5, 5), 1, date(2027, 5, 7)),  # Ascension Day (Thursday 6 May) skipped
        (date(2027, 6, 24), 1, date(2027, 6, 28)),  # midsommarafton and the weekend skipped
        (date(2027, 6, 21), 5, date(2027, 6, 29)),  # midsummer week: Friday is not a workday
        (date(2026, 12, 18), 5, date(2026, 12, 29)),  # Christmas 2026: 24-27 December out
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # nyårsafton, nyårsdagen, weekend out
        (date(2027, 1, 5), 1, date(2027, 1, 7)),  # trettondedag jul (Wednesday) out
        (date(2027, 3, 24), 0, date(2027, 3, 24)),  # no days: the day itself
    ],
)
def test_add_working_days_worked_by_hand(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due


def test_a_holiday_on_a_weekday_is_no_working_day() -> None:
    assert not is_working_day(date(2027, 3, 26))  # Good Friday
    assert not is_working_day(date(2027, 6, 25))  # midsommarafton
    assert is_working_day(date(2027, 3, 30))


@pytest.mark.parametrize("bad", [-1])
def test_negative_days_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(date(2027, 1, 4), bad)


def test_a_year_outside_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="Gregorian"):
        easter_sunday(1500)
