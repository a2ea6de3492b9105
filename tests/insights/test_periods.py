"""Periods: the comparison period, months, and the instants a period covers."""

from datetime import UTC, date, datetime

import pytest

from portal.insights.indicators import Headline
from portal.insights.periods import Period, shift_months


@pytest.mark.parametrize(
    "period, previous",
    [
        # A quarter against the quarter before; a whole year against the year before.
        (Period(date(2026, 7, 1), date(2026, 9, 30)), Period(date(2026, 4, 1), date(2026, 6, 30))),
        (Period(date(2026, 1, 1), date(2026, 12, 31)), Period(date(2025, 1, 1), date(2025, 12, 31))),
        # The last 12 months so far against the same stretch a year earlier.
        (Period(date(2025, 12, 1), date(2026, 11, 24)), Period(date(2024, 12, 1), date(2025, 11, 24))),
        # February's end is still the month's end; 31 May becomes the last of February.
        (Period(date(2026, 3, 1), date(2026, 5, 31)), Period(date(2025, 12, 1), date(2026, 2, 28))),
        # Not from the 1st: as many days, just before.
        (Period(date(2026, 6, 10), date(2026, 6, 19)), Period(date(2026, 5, 31), date(2026, 6, 9))),
    ],
)
def test_the_period_before(period, previous):
    assert period.previous() == previous


def test_shift_months_keeps_the_day_or_the_months_end():
    assert shift_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert shift_months(date(2026, 2, 28), 1) == date(2026, 3, 31)
    assert shift_months(date(2026, 11, 24), -12) == date(2025, 11, 24)
    assert shift_months(date(2026, 1, 30), 1) == date(2026, 2, 28)


def test_months_and_bounds(app):
    period = Period(date(2026, 3, 15), date(2026, 5, 2))
    assert period.months() == ["2026-03", "2026-04", "2026-05"]
    with app.app_context():
        # Local midnights: 15 March is GMT, 3 May is BST (an hour ahead of UTC).
        assert period.utc_bounds() == (datetime(2026, 3, 15, 0, 0, tzinfo=UTC), datetime(2026, 5, 2, 23, 0, tzinfo=UTC))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 5, 2), date(2026, 5, 1))


@pytest.mark.parametrize(
    "value, previous, unit, change",
    [
        (12, 10, "", "up 20%"),
        (8, 10, "", "down 20%"),
        (5, 5, "", "no change"),
        (3, 0, "", "up from none"),
        (0, 0, "", "no change"),
        (42.5, 40.0, "%", "up 2.5 percentage points"),
        (3.0, 4.5, "hours", "down 1.5 hours"),
        (None, 4.5, "hours", ""),
        (12, None, "", ""),
    ],
)
def test_headline_change_in_words(app, value, previous, unit, change):
    with app.test_request_context():
        assert Headline("Figure", value, previous, unit).change == change
