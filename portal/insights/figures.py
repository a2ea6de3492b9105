"""The figures the partnership publishes: reports each month by strand and by area, with small numbers
suppressed so that nobody can be picked out (see `suppression`). Purged referrals still count: the figures
come from the statistics retention keeps."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.content import localised
from portal.extensions import db
from portal.insights import queries
from portal.insights.periods import Period, month_label
from portal.insights.suppression import FixedTotals, SuppressedTable, protect_together, suppress_table
from portal.models import Area, HateStrand

# Short enough for a chart on a phone; the reporting form's own wording is longer.
STRAND_SHORT_LABELS = {
    HateStrand.RACE: _l("Race"),
    HateStrand.RELIGION: _l("Religion or belief"),
    HateStrand.SEXUAL_ORIENTATION: _l("Sexual orientation"),
    HateStrand.DISABILITY: _l("Disability"),
    HateStrand.TRANSGENDER: _l("Transgender identity"),
    HateStrand.SEX_OR_GENDER: _l("Sex or gender"),
    HateStrand.AGE: _l("Age"),
    HateStrand.ALTERNATIVE_SUBCULTURE: _l("Alternative subculture"),
    HateStrand.OTHER: _l("Something else"),
    HateStrand.NOT_SURE: _l("Not sure"),
}


@dataclass(frozen=True)
class PublishedFigures:
    """What /figures shows for a period: its two suppressed tables."""

    period: Period
    by_strand: SuppressedTable
    by_area: SuppressedTable


def published_figures(period: Period) -> PublishedFigures:
    """Monthly reports by strand and by area for `period`, suppressed for publication."""
    months = period.months()
    by_month = queries.reports_by_month(period)
    strand_counts = queries.reports_by_month_and_strand(period)
    strands = list(HateStrand)
    area_counts = queries.reports_by_month_and_area(period)
    areas = _areas(area_id for _month, area_id in area_counts)
    by_strand, by_area = suppress_figures(
        [month_label(month) for month in months],
        [str(STRAND_SHORT_LABELS[strand]) for strand in strands],
        [[strand_counts.get((month, strand), 0) for strand in strands] for month in months],
        [name for _area_id, name in areas] + [_("Not given")],
        [
            [area_counts.get((month, area_id), 0) for area_id, _name in areas] + [area_counts.get((month, None), 0)]
            for month in months
        ],
        [by_month.get(month, 0) for month in months],
    )
    return PublishedFigures(period=period, by_strand=by_strand, by_area=by_area)


def suppress_figures(
    month_labels, strand_labels, strand_counts, area_labels, area_counts, month_reports
) -> tuple[SuppressedTable, SuppressedTable]:
    """The tables by strand and by area, suppressed together: they share the month totals and the grand total,
    so those are hidden in both or in neither. Each report is in one area, so the area table's rows add up to
    the month's reports; it goes first and decides the shared totals. A report names one or more strands, so
    each month's strands add up to at least its reports; that table keeps the shared totals as decided and hides
    other numbers where it has to."""
    by_area = suppress_table(month_labels, area_labels, area_counts)
    by_strand = suppress_table(
        month_labels,
        strand_labels,
        strand_counts,
        row_totals=month_reports,
        rows_at_least=True,
        fixed_totals=FixedTotals.of(by_area),
    )
    by_area, by_strand = protect_together(by_area, by_strand)
    return by_strand, by_area


def _areas(ids_with_reports) -> list[tuple[int, str]]:
    """Every active area (a column of zeros says something too), and any retired one that has reports."""
    ids = {area_id for area_id in ids_with_reports if area_id is not None}
    areas = db.session.execute(
        db.select(Area).where(Area.active.is_(True) | Area.id.in_(ids)).order_by(Area.position, Area.name)
    ).scalars()
    return [(area.id, localised(area, "name")) for area in areas]
