"""The stretch of time an insight is about: whole days in the partnership's time zone, with the period just
before it to compare against."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _


def local_zone() -> ZoneInfo:
    """The partnership's time zone, in which days and months begin."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shift_months(day: date, months: int) -> date:
    """The same day `months` months later (or earlier); a month's last day stays the last day of its month."""
    first = add_months(day, months)
    last = add_months(first, 1) - timedelta(days=1)
    if (day + timedelta(days=1)).day == 1:
        return last
    return first.replace(day=min(day.day, last.day))


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period must end on or after the day it starts")

    @classmethod
    def last_months(cls, months: int, today: date) -> "Period":
        """The `months` whole months before this one, and this month so far."""
        return cls(add_months(today, -(months - 1)), today)

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        """Calendar quarter 1 (January to March) to 4."""
        if number not in (1, 2, 3, 4):
            raise ValueError("A quarter is 1, 2, 3 or 4")
        start = date(year, 3 * number - 2, 1)
        return cls(start, add_months(start, 3) - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    def previous(self) -> "Period":
        """The period just before to compare with. One that starts on the 1st is compared with the same stretch
        of the calendar as many months earlier (1 April to 15 June with 1 January to 15 March; a whole quarter
        with the quarter before); any other with the same number of days just before it."""
        if self.start.day == 1:
            count = len(self.months())
            return Period(add_months(self.start, -count), shift_months(self.end, -count))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list[str]:
        """Each month the period touches, as "2026-11" (the key the statistics are grouped by)."""
        keys, month = [], month_start(self.start)
        while month <= self.end:
            keys.append(month.strftime("%Y-%m"))
            month = add_months(month, 1)
        return keys

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The instants the period starts and ends (exclusive): local midnights, as UTC."""
        zone = local_zone()
        start = datetime.combine(self.start, time(), zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), zone).astimezone(UTC)
        return start, end

    @property
    def label(self) -> str:
        return _(
            "%(start)s to %(end)s",
            start=format_date(self.start, "d MMMM yyyy"),
            end=format_date(self.end, "d MMMM yyyy"),
        )


def month_label(key: str) -> str:
    """ "2026-11" as "Nov 2026" (short, for charts and tables)."""
    return format_date(date.fromisoformat(key + "-01"), "MMM yyyy")


QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$", re.ASCII)


def quarter_of(day: date) -> tuple[int, int]:
    """The calendar quarter a day is in, as (year, 1 to 4)."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_before(year: int, number: int) -> tuple[int, int]:
    return (year, number - 1) if number > 1 else (year - 1, 4)


def quarters_back(newest: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """This quarter, then each one before it, without end."""
    quarter = newest
    while True:
        yield quarter
        quarter = quarter_before(*quarter)


def last_whole_quarter(today: date) -> tuple[int, int]:
    """The most recent quarter that has ended."""
    return quarter_before(*quarter_of(today))


def quarter_key(year: int, number: int) -> str:
    """(2026, 3) as "2026-Q3", as it appears in addresses."""
    return f"{year}-Q{number}"


def parse_quarter(text: str | None) -> tuple[int, int] | None:
    """ "2026-Q3" as (2026, 3); None for anything else."""
    match = QUARTER_KEY.match(text or "")
    return (int(match[1]), int(match[2])) if match else None
