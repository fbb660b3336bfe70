"""Swedish working days: weekends and public holidays (helgdagar) are not counted.

The public holidays of lagen (1989:253) om allmänna helgdagar, plus the three eves that
Swedish workplaces, municipal offices among them, keep closed like a Sunday (midsommarafton,
julafton, nyårsafton):

- fixed: nyårsdagen 1/1, trettondedag jul 6/1, första maj 1/5, nationaldagen 6/6,
  julafton 24/12, juldagen 25/12, annandag jul 26/12, nyårsafton 31/12;
- from Easter Sunday E: långfredagen E-2, påskdagen E, annandag påsk E+1, Kristi
  himmelsfärdsdag E+39, pingstdagen E+49 (a Sunday);
- midsommardagen: the Saturday from 20 to 26 June, midsommarafton the day before;
- alla helgons dag: the Saturday from 31 October to 6 November.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of a Gregorian year (the anonymous Gregorian computus,
    Meeus/Jones/Butcher, in Meeus: Astronomical Algorithms, 1991, ch. 8)."""
    if not 1583 <= year <= 9999:
        raise ValueError(f"year must be a Gregorian year 1583-9999, got {year}")
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_from(day: date) -> date:
    """Return the first Saturday on or after `day`."""
    return day + timedelta(days=(5 - day.weekday()) % 7)


@cache
def holidays(year: int) -> dict[date, str]:
    """Return the Swedish public holidays and closed eves of a year, date -> Swedish name."""
    easter = easter_sunday(year)
    midsummer = _saturday_from(date(year, 6, 20))
    days = {
        date(year, 1, 1): "Nyårsdagen",
        date(year, 1, 6): "Trettondedag jul",
        easter - timedelta(days=2): "Långfredagen",
        easter: "Påskdagen",
        easter + timedelta(days=1): "Annandag påsk",
        date(year, 5, 1): "Första maj",
        easter + timedelta(days=39): "Kristi himmelsfärdsdag",
        easter + timedelta(days=49): "Pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        midsummer - timedelta(days=1): "Midsommarafton",
        midsummer: "Midsommardagen",
        _saturday_from(date(year, 10, 31)): "Alla helgons dag",
        date(year, 12, 24): "Julafton",
        date(year, 12, 25): "Juldagen",
        date(year, 12, 26): "Annandag jul",
        date(year, 12, 31): "Nyårsafton",
    }
    return days


def is_working_day(day: date) -> bool:
    """Tell whether a date is a working day: Monday to Friday and no holiday or closed eve."""
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (`start` itself is not counted).

    Five working days from Wednesday 24 March 2027 end on Friday 2 April: Good Friday, the
    weekend and Easter Monday are skipped. Zero days is `start` itself.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    day = start
    for _step in range(days):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day
