"""Working-time arithmetic for the triage queue's service-level agreements.

Standard library only, so the rules can be tested without the app or a database. Every instant must be
timezone-aware: a naive datetime raises ValueError rather than being guessed at.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Bank holidays moved or added by royal proclamation: announced months ahead, so each must be added here (or an
# operator lists every holiday in SLA_BANK_HOLIDAYS). The rules below give every other one.
PROCLAIMED = {
    2020: {"moved": {date(2020, 5, 4): date(2020, 5, 8)}, "added": ()},  # VE Day's 75th anniversary
    2022: {"moved": {date(2022, 5, 30): date(2022, 6, 2)}, "added": (date(2022, 6, 3), date(2022, 9, 19))},
    2023: {"moved": {}, "added": (date(2023, 5, 8),)},  # the coronation
}


def england_and_wales_bank_holidays(years: range) -> frozenset[date]:
    """The bank holidays of England and Wales in `years`, with a weekday given in lieu of any that falls on a
    weekend, and the proclaimed changes since 2020."""
    return frozenset(day for year in years for day in _bank_holidays(year))


def _bank_holidays(year: int) -> list[date]:
    easter = _easter_sunday(year)
    days = [
        _weekday_on_or_after(date(year, 1, 1)),
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _monday_on_or_after(date(year, 5, 1)),  # early May
        _monday_on_or_after(date(year, 5, 25)),  # spring: the last Monday in May
        _monday_on_or_after(date(year, 8, 25)),  # summer: the last Monday in August
    ]
    christmas = _weekday_on_or_after(date(year, 12, 25))
    days += [christmas, _weekday_on_or_after(date(year, 12, 26), taken=(christmas,))]  # Boxing Day
    proclaimed = PROCLAIMED.get(year, {"moved": {}, "added": ()})
    return [proclaimed["moved"].get(day, day) for day in days] + list(proclaimed["added"])


def _easter_sunday(year: int) -> date:
    """Easter Day in the Gregorian calendar (the "anonymous" algorithm, Nature 1876)."""
    golden, century, rest = year % 19, year // 100, year % 100
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - correction + 15) % 30
    weekday = (32 + 2 * century_rest + 2 * (rest // 4) - epact - rest % 4) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _weekday_on_or_after(day: date, taken=()) -> date:
    """`day`, or the first weekday after it not already `taken` (a holiday on a weekend is given in lieu)."""
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


ENGLAND_AND_WALES_BANK_HOLIDAYS = england_and_wales_bank_holidays(range(2020, 2100))

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingHours:
    """When the triage team works: weekdays (0 is Monday), opening times local to ``timezone``, and holidays."""

    timezone: str = "Europe/London"
    days: frozenset[int] = frozenset(range(5))
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = ENGLAND_AND_WALES_BANK_HOLIDAYS

    def __post_init__(self) -> None:
        # Coerce so a list still gives a hashable, comparable value.
        object.__setattr__(self, "days", frozenset(self.days))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        _zone(self.timezone)
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("Working days must be one or more weekday numbers from 0 (Monday) to 6 (Sunday)")
        if self.start.tzinfo or self.end.tzinfo:
            raise ValueError("Opening times are local to the working time zone, so give them without a zone")
        if self.start >= self.end:
            raise ValueError(f"The working day must end after it starts, not {self.start:%H:%M} to {self.end:%H:%M}")

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> "WorkingHours":
        """Working hours from the ``SLA_*`` config keys; a missing or blank key keeps the default."""
        settings = {}
        for key, (name, parse) in _CONFIG_KEYS.items():
            value = config.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if not isinstance(value, str):
                raise ValueError(f"{key} must be text, not {type(value).__name__}")
            try:
                settings[name] = parse(value)
            except ValueError as error:
                raise ValueError(f"{key} is {value!r}: {error}") from None
        return cls(**settings)

    @property
    def zone(self) -> ZoneInfo:
        """The working time zone."""
        return _zone(self.timezone)


@dataclass(frozen=True)
class SlaTarget:
    """A named service level measured in working time, e.g. ``SlaTarget("acknowledge", 16.0)`` for two days."""

    name: str
    working_hours: float

    def __post_init__(self) -> None:
        if self.working_hours < 0:
            raise ValueError(f"The {self.name} target cannot be a negative number of working hours")

    @property
    def allowance(self) -> timedelta:
        """The working time allowed."""
        return timedelta(hours=self.working_hours)

    def due_at(self, start: datetime, hours: WorkingHours) -> datetime:
        """The UTC instant the target falls due for something that arrived at ``start``."""
        return add_business_time(start, self.allowance, hours)

    def is_overdue(self, start: datetime, now: datetime, hours: WorkingHours) -> bool:
        """Whether ``now`` is past the due instant."""
        return _utc(now, "now") > self.due_at(start, hours)

    def remaining(self, start: datetime, now: datetime, hours: WorkingHours) -> timedelta:
        """Working time left before the target falls due; negative by the working time elapsed since, once overdue.

        Outside working hours the clock is stopped, so just after a deadline at closing time this is zero
        even though ``is_overdue`` is already true.
        """
        due = self.due_at(start, hours)
        if _utc(now, "now") <= due:
            return timedelta(seconds=business_seconds_between(now, due, hours))
        return -timedelta(seconds=business_seconds_between(due, now, hours))


def business_seconds_between(start: datetime, end: datetime, hours: WorkingHours) -> int:
    """Whole seconds of working time between two aware instants; 0 if ``end`` is not after ``start``."""
    start, end = _utc(start, "start"), _utc(end, "end")
    if end <= start:
        return 0
    total = timedelta()
    for opens, closes in _working_periods(start, hours):
        if opens >= end:
            break
        total += max(timedelta(), min(closes, end) - max(opens, start))
    return total // timedelta(seconds=1)


def add_business_time(start: datetime, duration: timedelta, hours: WorkingHours) -> datetime:
    """The aware UTC instant by which ``duration`` of working time after ``start`` has elapsed.

    A start outside working hours counts from the next opening, so a zero duration gives that opening.
    """
    if duration < timedelta():
        raise ValueError(f"The working time to add cannot be negative, got {duration}")
    start = _utc(start, "start")
    left = duration
    for opens, closes in _working_periods(start, hours):
        begins = max(opens, start)
        if begins >= closes:
            continue
        if left <= closes - begins:
            return begins + left
        left -= closes - begins
    raise AssertionError("unreachable: working periods never run out")


def _working_periods(since: datetime, hours: WorkingHours) -> Iterator[tuple[datetime, datetime]]:
    """Opening and closing UTC instants of each working day, from the local day containing ``since`` onwards."""
    zone = hours.zone
    day = since.astimezone(zone).date()
    while True:
        if day.weekday() in hours.days and day not in hours.holidays:
            # Arithmetic happens in UTC: subtracting two datetimes sharing a ZoneInfo ignores a DST change between them.
            opens = datetime.combine(day, hours.start, zone).astimezone(UTC)
            closes = datetime.combine(day, hours.end, zone).astimezone(UTC)
            yield opens, closes
        day += timedelta(days=1)


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, but {moment.isoformat()} has no zone")
    return moment.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a known time zone, e.g. Europe/London") from error


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_zone(text: str) -> str:
    return _zone(text.strip()).key


def _parse_days(text: str) -> frozenset[int]:
    days = set()
    for name in _split(text):
        if name.lower() not in WEEKDAYS:
            raise ValueError(f"{name!r} is not a day; use {', '.join(WEEKDAYS)}")
        days.add(WEEKDAYS.index(name.lower()))
    return frozenset(days)


def _parse_time(text: str) -> time:
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError("use a 24-hour HH:MM time, e.g. 09:00") from None


def _parse_dates(text: str) -> frozenset[date]:
    try:
        return frozenset(date.fromisoformat(part) for part in _split(text))
    except ValueError as error:
        raise ValueError(f"use comma-separated YYYY-MM-DD dates ({error})") from None


_CONFIG_KEYS = {
    "SLA_TIMEZONE": ("timezone", _parse_zone),
    "SLA_WORKING_DAYS": ("days", _parse_days),
    "SLA_DAY_START": ("start", _parse_time),
    "SLA_DAY_END": ("end", _parse_time),
    "SLA_BANK_HOLIDAYS": ("holidays", _parse_dates),
}
