"""The insights pages: the staff dashboard and board report, their CSV downloads, and the public figures."""

from datetime import date
from functools import lru_cache
from itertools import islice, takewhile

from flask import Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import SubmitField
from wtforms.validators import Optional, ValidationError

from portal.forms import GovukDateField, StripWhitespaceForm, SubmitInput, local_today
from portal.insights import bp, queries
from portal.insights.cache import worked_out
from portal.insights.charts import render_svg
from portal.insights.figures import published_figures
from portal.insights.periods import (
    Period,
    add_months,
    last_whole_quarter,
    parse_quarter,
    quarter_key,
    quarter_of,
    quarters_back,
)
from portal.insights.service import dashboard_for
from portal.insights.tables import chart_csv, suppressed_csv

LONGEST_PERIOD_MONTHS = 36
FIRST_YEAR = 2000


class PeriodForm(StripWhitespaceForm):
    """The dates of the period to show, read from the URL: presence and format only."""

    date_from = GovukDateField(_l("From"), thing=_l("The date the period starts"), validators=[Optional()])
    date_to = GovukDateField(_l("To"), thing=_l("The date the period ends"), validators=[Optional()])
    submit = SubmitField(_l("Show this period"), widget=SubmitInput())

    def validate_date_from(self, field):
        _check_year(field)

    def validate_date_to(self, field):
        _check_year(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The date the period ends must be the same as or after the date it starts"))

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the length of the period they make (a missing end is today)."""
        if not super().validate(extra_validators):
            return False
        period = self.period(local_today())
        if period.end >= add_months(period.start, LONGEST_PERIOD_MONTHS):
            self.date_from.errors = [*self.date_from.errors, _l("The period can be up to 3 years long")]
            return False
        return True

    def period(self, today: date) -> Period:
        """The period asked for; a missing end is today, a missing start 12 months before the end."""
        end = self.date_to.data or today
        start = self.date_from.data or add_months(end, -11)
        return Period(min(start, end), end)


def _check_year(field) -> None:
    """Dates from 2000 to next year: anything else is a typing mistake (and year 1 or 9999 breaks the sums)."""
    latest = local_today().year + 1
    if field.data and not FIRST_YEAR <= field.data.year <= latest:
        raise ValidationError(_l("Enter a year from %(first)s to %(last)s", first=FIRST_YEAR, last=latest))


def _period_form() -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(formdata=request.args, meta={"csrf": False})
    asked = any(name.startswith(("date_from", "date_to")) for name in request.args)
    if asked and not form.validate():
        return form, None
    return form, form.period(local_today())


def _period_args(period: Period) -> dict:
    """The period as the form sends it (a date as its day, month and year boxes)."""
    args = {}
    for name, day in (("date_from", period.start), ("date_to", period.end)):
        args[name] = [str(day.day), str(day.month), str(day.year)]
    return args


def _presets(today: date) -> list[tuple[str, Period]]:
    last_quarter = last_whole_quarter(today)
    return [
        (_l("Last 3 months"), Period.last_months(3, today)),
        (_l("Last 12 months"), Period.last_months(12, today)),
        (_l("This year so far"), Period(date(today.year, 1, 1), today)),
        (_l("Last quarter"), Period.quarter(*last_quarter)),
    ]


@bp.app_template_filter("chart_svg")
def chart_svg(chart):
    """The chart drawn as SVG, once per chart and language in each process: the figures change at most every
    INSIGHTS_CACHE_SECONDS, and drawing them took half the time of a dashboard whose figures were kept."""
    return _drawn(chart, str(get_locale()))


@lru_cache(maxsize=256)
def _drawn(chart, locale: str):
    return render_svg(chart)


@bp.route("/staff/insights")
@login_required
def dashboard():
    """The partnership's indicators for a period, compared with the period before, as charts with tables."""
    form, period = _period_form()
    today = local_today()
    dashboard = dashboard_for(period) if period else None
    return render_template(
        "insights/dashboard.html",
        form=form,
        dashboard=dashboard,
        period_args=_period_args(period) if period else {},
        presets=[(label, _period_args(preset)) for label, preset in _presets(today)],
        board_quarter=quarter_key(*last_whole_quarter(today)),
        cache_minutes=current_app.config["INSIGHTS_CACHE_SECONDS"] // 60,
    )


@bp.route("/staff/insights/<slug>.csv")
@login_required
def chart_data(slug: str):
    """One chart's data, for the period the dashboard showed, as CSV."""
    form, period = _period_form()
    if period is None:
        abort(404)
    chart = dashboard_for(period).chart(slug)
    if chart is None:
        abort(404)
    name = f"{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    return _csv(chart_csv(chart), name)


@bp.route("/staff/insights/board-report")
@login_required
def board_report():
    """One printable page for the partnership board: a quarter's indicators, each with a short table."""
    today = local_today()
    year, number = parse_quarter(request.args.get("quarter")) or last_whole_quarter(today)
    if not FIRST_YEAR <= year or (year, number) > quarter_of(today):
        abort(404)
    period = Period.quarter(year, number)
    return render_template(
        "insights/board_report.html",
        dashboard=dashboard_for(period),
        quarter=(year, number),
        quarters=[(quarter_key(*quarter), quarter) for quarter in islice(quarters_back(quarter_of(today)), 8)],
        period_args=_period_args(period),
    )


def _published_quarter() -> tuple[int, int]:
    """The quarter asked for, or the last whole one. Figures are published only for whole calendar quarters:
    periods that never overlap, so one publication's suppression cannot be undone by subtracting another's."""
    latest = last_whole_quarter(local_today())
    asked = request.args.get("quarter")
    if asked is None:
        return latest
    quarter = parse_quarter(asked)
    if quarter is None or quarter[0] < FIRST_YEAR or quarter > latest:
        abort(404)
    return quarter


def _published_quarters() -> list[tuple[int, int]]:
    """Every whole quarter from the first report's to the last, newest first."""
    first_day = queries.first_report_on()
    if first_day is None:
        return []
    first = quarter_of(first_day)
    return list(takewhile(lambda quarter: quarter >= first, quarters_back(last_whole_quarter(local_today()))))


def published_for(quarter: tuple[int, int]):
    """The quarter's published figures, as worked out in the last few minutes (see cache.py)."""
    return worked_out(f"figures/{quarter_key(*quarter)}", lambda: published_figures(Period.quarter(*quarter)))


@bp.route("/figures")
def figures():
    """Published figures for a quarter: reports each month by strand and by area, small numbers suppressed."""
    quarter = _published_quarter()
    return render_template(
        "insights/figures.html",
        figures=published_for(quarter),
        quarter=quarter,
        quarters=[(quarter_key(*other), other) for other in _published_quarters() if other != quarter],
    )


@bp.route("/figures/<table>.csv")
def figures_data(table: str):
    """A published table as CSV, suppressed exactly as on the page."""
    if table not in ("by-strand", "by-area"):
        abort(404)
    quarter = _published_quarter()
    period, figures = Period.quarter(*quarter), published_for(quarter)
    suppressed = figures.by_strand if table == "by-strand" else figures.by_area
    total_label = _l("All reports") if table == "by-strand" else _l("Total")
    name = f"hate-incident-reports-{table}-{period.start:%Y%m}-{period.end:%Y%m}.csv"
    return _csv(suppressed_csv(suppressed, total_label=str(total_label)), name)


def _csv(text: str, name: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})
