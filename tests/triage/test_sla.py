from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.triage.sla import (
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
    SlaTarget,
    WorkingHours,
    add_business_time,
    business_seconds_between,
    england_and_wales_bank_holidays,
)

LONDON = ZoneInfo("Europe/London")
OFFICE = WorkingHours()
HOUR = 3600


def london(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        pytest.param(london(2026, 1, 14, 10), timedelta(hours=3), london(2026, 1, 14, 13), id="within-one-day"),
        pytest.param(london(2026, 1, 14, 16), timedelta(hours=2), london(2026, 1, 15, 10), id="overnight"),
        pytest.param(london(2026, 1, 16, 16), timedelta(hours=1), london(2026, 1, 16, 17), id="due-at-closing"),
        pytest.param(london(2026, 1, 16, 16, 30), timedelta(hours=1), london(2026, 1, 19, 9, 30), id="over-weekend"),
        pytest.param(london(2026, 1, 17, 11), timedelta(hours=1), london(2026, 1, 19, 10), id="starts-on-saturday"),
        pytest.param(london(2026, 1, 19, 7), timedelta(hours=1), london(2026, 1, 19, 10), id="starts-before-opening"),
        pytest.param(london(2026, 1, 15, 18), timedelta(minutes=30), london(2026, 1, 16, 9, 30), id="after-closing"),
        pytest.param(london(2026, 1, 16, 17), timedelta(0), london(2026, 1, 19, 9), id="zero-waits-for-opening"),
        pytest.param(london(2026, 1, 19, 9), timedelta(hours=16), london(2026, 1, 20, 17), id="two-working-days"),
        pytest.param(london(2026, 4, 2, 16), timedelta(hours=2), london(2026, 4, 7, 10), id="easter-2026"),
        pytest.param(london(2026, 12, 24, 16), timedelta(hours=2), london(2026, 12, 29, 10), id="christmas-2026"),
        pytest.param(london(2026, 12, 31, 16), timedelta(hours=2), london(2027, 1, 4, 10), id="new-year-2027"),
        pytest.param(london(2027, 12, 24, 16), timedelta(hours=2), london(2027, 12, 29, 10), id="christmas-2027"),
        pytest.param(london(2026, 3, 27, 16), timedelta(hours=2), london(2026, 3, 30, 10), id="spring-forward"),
        pytest.param(london(2026, 10, 23, 16), timedelta(hours=2), london(2026, 10, 26, 10), id="autumn-back"),
        pytest.param(
            datetime(2026, 7, 1, 8, 30, tzinfo=UTC), timedelta(hours=1), london(2026, 7, 1, 10, 30), id="utc-start"
        ),
    ],
)
def test_add_business_time(start, duration, due):
    result = add_business_time(start, duration, OFFICE)

    assert result == due
    assert result.tzinfo is UTC
    assert business_seconds_between(start, result, OFFICE) == duration.total_seconds()


def test_due_times_keep_local_opening_hours_either_side_of_a_clock_change():
    assert add_business_time(london(2026, 3, 27, 16), timedelta(hours=2), OFFICE) == datetime(
        2026, 3, 30, 9, tzinfo=UTC
    )
    assert add_business_time(london(2026, 10, 23, 16), timedelta(hours=2), OFFICE) == datetime(
        2026, 10, 26, 10, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        pytest.param(london(2026, 1, 14, 10), london(2026, 1, 14, 12, 30), 2.5 * HOUR, id="within-one-day"),
        pytest.param(london(2026, 1, 16, 15), london(2026, 1, 19, 10), 3 * HOUR, id="across-weekend"),
        pytest.param(london(2026, 1, 17, 9), london(2026, 1, 18, 17), 0, id="all-weekend"),
        pytest.param(london(2026, 1, 14, 18), london(2026, 1, 15, 8), 0, id="overnight-only"),
        pytest.param(london(2026, 1, 14, 12), london(2026, 1, 14, 10), 0, id="end-before-start"),
        pytest.param(london(2026, 1, 14, 12), london(2026, 1, 14, 12), 0, id="same-instant"),
        pytest.param(london(2026, 1, 19), london(2026, 1, 26), 40 * HOUR, id="whole-week"),
        pytest.param(london(2026, 12, 24, 9), london(2026, 12, 29, 17), 16 * HOUR, id="christmas-and-substitute"),
        pytest.param(london(2026, 3, 27, 12), london(2026, 3, 30, 12), 8 * HOUR, id="spring-forward-weekend"),
        pytest.param(london(2026, 10, 23, 12), london(2026, 10, 26, 12), 8 * HOUR, id="autumn-back-weekend"),
        pytest.param(london(2026, 1, 1), london(2027, 1, 1), 253 * 8 * HOUR, id="all-of-2026"),
        pytest.param(datetime(2026, 7, 1, 8, tzinfo=UTC), london(2026, 7, 1, 11), 2 * HOUR, id="mixed-zones-in-summer"),
    ],
)
def test_business_seconds_between(start, end, seconds):
    assert business_seconds_between(start, end, OFFICE) == seconds


class TestClockChangesInsideWorkingHours:
    """A working day of 00:30 to 03:00 spans the hour the clocks skip or repeat."""

    night_shift = WorkingHours(days=range(7), start=time(0, 30), end=time(3, 0), holidays=frozenset())

    @pytest.mark.parametrize(
        ("day", "seconds"),
        [
            pytest.param(date(2026, 3, 22), 2.5 * HOUR, id="ordinary-sunday"),
            pytest.param(date(2026, 3, 29), 1.5 * HOUR, id="spring-forward-loses-an-hour"),
            pytest.param(date(2026, 10, 25), 3.5 * HOUR, id="autumn-back-gains-an-hour"),
        ],
    )
    def test_length_of_working_day(self, day, seconds):
        midnight = datetime.combine(day, time(0), LONDON)

        assert business_seconds_between(midnight, midnight + timedelta(hours=12), self.night_shift) == seconds

    def test_due_time_counts_real_elapsed_time(self):
        due = add_business_time(london(2026, 3, 29), timedelta(hours=1), self.night_shift)

        assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert due.astimezone(LONDON).time() == time(2, 30)


class TestCustomWorkingWeek:
    hours = WorkingHours.from_config(
        {
            "SLA_TIMEZONE": "Europe/London",
            "SLA_WORKING_DAYS": "tue, wed, thu, fri, SAT",
            "SLA_DAY_START": "08:00",
            "SLA_DAY_END": "16:00",
            "SLA_BANK_HOLIDAYS": "2026-06-02",
        }
    )

    def test_reads_every_setting(self):
        assert self.hours == WorkingHours(
            timezone="Europe/London",
            days=frozenset({1, 2, 3, 4, 5}),
            start=time(8),
            end=time(16),
            holidays=frozenset({date(2026, 6, 2)}),
        )

    @pytest.mark.parametrize(
        ("start", "duration", "due"),
        [
            pytest.param(london(2026, 5, 30, 15), timedelta(hours=2), london(2026, 6, 3, 9), id="saturday-to-holiday"),
            pytest.param(london(2026, 6, 8, 10), timedelta(hours=1), london(2026, 6, 9, 9), id="monday-is-off"),
            pytest.param(london(2026, 6, 13, 7), timedelta(hours=8), london(2026, 6, 13, 16), id="saturday-works"),
            pytest.param(london(2026, 12, 25, 15), timedelta(hours=1), london(2026, 12, 25, 16), id="christmas-worked"),
        ],
    )
    def test_due_times(self, start, duration, due):
        assert add_business_time(start, duration, self.hours) == due


@pytest.mark.parametrize("config", [{}, {"SLA_TIMEZONE": None, "SLA_WORKING_DAYS": "", "SLA_BANK_HOLIDAYS": "  "}])
def test_missing_or_blank_config_keeps_the_defaults(config):
    assert WorkingHours.from_config(config) == WorkingHours()
    assert WorkingHours().days == frozenset({0, 1, 2, 3, 4})
    assert WorkingHours().holidays == ENGLAND_AND_WALES_BANK_HOLIDAYS


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param({"SLA_TIMEZONE": "Mars/Olympus"}, "SLA_TIMEZONE .* not a known time zone", id="zone"),
        pytest.param({"SLA_TIMEZONE": "../etc/passwd"}, "SLA_TIMEZONE .* not a known time zone", id="zone-path"),
        pytest.param({"SLA_WORKING_DAYS": "mon,funday"}, "SLA_WORKING_DAYS .* 'funday' is not a day", id="day-name"),
        pytest.param({"SLA_WORKING_DAYS": ","}, "one or more weekday", id="no-days"),
        pytest.param({"SLA_WORKING_DAYS": ["mon"]}, "SLA_WORKING_DAYS must be text, not list", id="not-text"),
        pytest.param({"SLA_DAY_START": "9am"}, "SLA_DAY_START .* HH:MM", id="start-format"),
        pytest.param({"SLA_DAY_END": "25:00"}, "SLA_DAY_END .* HH:MM", id="end-out-of-range"),
        pytest.param({"SLA_DAY_START": "17:00", "SLA_DAY_END": "09:00"}, "end after it starts", id="end-before-start"),
        pytest.param({"SLA_DAY_START": "17:00"}, "not 17:00 to 17:00", id="empty-day"),
        pytest.param({"SLA_BANK_HOLIDAYS": "2026-12-25,25/12/2026"}, "SLA_BANK_HOLIDAYS .* YYYY-MM-DD", id="date"),
    ],
)
def test_from_config_rejects_malformed_values(config, message):
    with pytest.raises(ValueError, match=message):
        WorkingHours.from_config(config)


@pytest.mark.parametrize(
    "settings_",
    [{"days": frozenset()}, {"days": {0, 7}}, {"start": time(9, tzinfo=UTC)}, {"timezone": "Europe"}],
)
def test_working_hours_rejects_impossible_settings(settings_):
    with pytest.raises(ValueError):
        WorkingHours(**settings_)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda: business_seconds_between(datetime(2026, 1, 14, 9), london(2026, 1, 14, 10), OFFICE), id="b"
        ),
        pytest.param(lambda: business_seconds_between(london(2026, 1, 14, 9), datetime(2026, 1, 14), OFFICE), id="e"),
        pytest.param(lambda: add_business_time(datetime(2026, 1, 14, 9), timedelta(hours=1), OFFICE), id="add"),
        pytest.param(lambda: SlaTarget("triage", 8).due_at(datetime(2026, 1, 14, 9), OFFICE), id="due_at"),
        pytest.param(
            lambda: SlaTarget("triage", 8).is_overdue(london(2026, 1, 14, 9), datetime(2026, 1, 15), OFFICE),
            id="is_overdue",
        ),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="must be timezone-aware"):
        call()


def test_negative_durations_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        add_business_time(london(2026, 1, 14, 9), timedelta(hours=-1), OFFICE)
    with pytest.raises(ValueError, match="negative number of working hours"):
        SlaTarget("acknowledge", -1)


class TestSlaTarget:
    acknowledge = SlaTarget("acknowledge", 16.0)
    received = london(2026, 1, 16, 16, 30)

    def test_due_two_working_days_later(self):
        assert self.acknowledge.due_at(self.received, OFFICE) == london(2026, 1, 20, 16, 30)

    @pytest.mark.parametrize(
        ("now", "overdue", "remaining"),
        [
            pytest.param(london(2026, 1, 17, 12), False, timedelta(hours=15.5), id="weekend-clock-stopped"),
            pytest.param(london(2026, 1, 20, 16), False, timedelta(minutes=30), id="half-an-hour-left"),
            pytest.param(london(2026, 1, 20, 16, 30), False, timedelta(0), id="due-now"),
            pytest.param(london(2026, 1, 21, 9, 30), True, -timedelta(hours=1), id="an-hour-overdue"),
            pytest.param(london(2026, 1, 23, 17), True, -timedelta(hours=24.5), id="days-overdue"),
        ],
    )
    def test_overdue_and_remaining(self, now, overdue, remaining):
        assert self.acknowledge.is_overdue(self.received, now, OFFICE) is overdue
        assert self.acknowledge.remaining(self.received, now, OFFICE) == remaining

    def test_overdue_after_closing_with_no_working_time_lost_yet(self):
        received = london(2026, 1, 15, 9)
        now = london(2026, 1, 16, 18)

        assert self.acknowledge.is_overdue(received, now, OFFICE)
        assert self.acknowledge.remaining(received, now, OFFICE) == timedelta(0)


# The dates GOV.UK published (https://www.gov.uk/bank-holidays), with the substitute days and the proclaimed ones.
PUBLISHED = {
    2020: "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",
    2021: "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
    2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    2028: "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
}


@pytest.mark.parametrize("year", PUBLISHED)
def test_bank_holidays_are_the_published_ones(year):
    published = {date.fromisoformat(f"{year}-{day}") for day in PUBLISHED[year].split()}
    assert england_and_wales_bank_holidays(range(year, year + 1)) == published


@pytest.mark.parametrize(
    "good_friday", [date(2030, 4, 19), date(2035, 3, 23), date(2038, 4, 23), date(2099, 4, 10)], ids=str
)
def test_easter_moves_with_the_moon(good_friday):
    """Easter Day 2035 is on 25 March and 2038 on 25 April, near the earliest and latest it can be."""
    assert good_friday in ENGLAND_AND_WALES_BANK_HOLIDAYS
    assert good_friday + timedelta(days=3) in ENGLAND_AND_WALES_BANK_HOLIDAYS


def test_bank_holidays_run_for_decades_and_fall_on_weekdays():
    for year in range(2020, 2100):
        days = england_and_wales_bank_holidays(range(year, year + 1))
        assert len(days) >= 8, year
        assert all(day.weekday() < 5 and day.year == year for day in days), year
    assert date(2027, 12, 25) not in ENGLAND_AND_WALES_BANK_HOLIDAYS  # a Saturday: 27 and 28 December instead
    assert {date(2060, 12, 27), date(2060, 12, 28)} <= ENGLAND_AND_WALES_BANK_HOLIDAYS  # 25 December 2060 is a Saturday


instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59),
    timezones=st.sampled_from([LONDON, UTC, ZoneInfo("America/New_York")]),
).map(lambda moment: moment.replace(microsecond=0))
working_durations = st.integers(min_value=0, max_value=10 * 8 * HOUR).map(lambda seconds: timedelta(seconds=seconds))


@settings(database=None)
@given(start=instants, duration=working_durations)
def test_adding_then_measuring_gives_back_the_duration(start, duration):
    assert (
        business_seconds_between(start, add_business_time(start, duration, OFFICE), OFFICE) == duration.total_seconds()
    )


@settings(database=None)
@given(start=instants, end=instants)
def test_measuring_then_adding_reaches_the_last_working_moment_before_end(start, end):
    seconds = business_seconds_between(start, end, OFFICE)
    reached = add_business_time(start, timedelta(seconds=seconds), OFFICE)

    assert business_seconds_between(reached, end, OFFICE) == 0
    assert reached <= end or seconds == 0
