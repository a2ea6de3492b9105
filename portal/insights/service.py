"""The partnership's indicators for a period, compared with the period before, as charts with their data.

Every number comes from `queries` (SQL aggregations); the indicator modules only put them side by side and name
them.
"""

from dataclasses import dataclass
from datetime import datetime

from portal.insights import queries
from portal.insights.cache import worked_out
from portal.insights.charts import Chart
from portal.insights.indicators import Section
from portal.insights.periods import Period
from portal.insights.report_indicators import reports_section
from portal.insights.work_indicators import partners_section, speed_section, volunteering_section
from portal.models._types import utcnow


@dataclass
class Dashboard:
    """The period, the period before, each section of indicators, and what is overdue now."""

    period: Period
    previous: Period
    sections: list[Section]
    overdue: queries.Overdue
    worked_out_at: datetime

    def chart(self, slug: str) -> Chart | None:
        return next((chart for section in self.sections for chart in section.charts if chart.slug == slug), None)


def build_dashboard(period: Period, now: datetime) -> Dashboard:
    """Every indicator for `period`, each beside its value for the period just before."""
    previous = period.previous()
    sections = [
        reports_section(period, previous),
        volunteering_section(period, previous),
        speed_section(period, previous),
        partners_section(period, now),
    ]
    return Dashboard(period, previous, sections, overdue=queries.overdue(now), worked_out_at=now)


def dashboard_for(period: Period) -> Dashboard:
    """build_dashboard for now, or as worked out in the last few minutes (see cache.py)."""
    return worked_out(f"dashboard/{period.start}/{period.end}", lambda: build_dashboard(period, utcnow()))
