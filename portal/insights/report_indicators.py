"""The hate incident indicators: reports by month, strand, route in, classification and area."""

from flask_babel import gettext as _

from portal.insights import queries
from portal.insights.charts import Chart, Series
from portal.insights.figures import STRAND_SHORT_LABELS
from portal.insights.indicators import Headline, Section, series_pair, share
from portal.insights.periods import Period, month_label
from portal.labels import CLASSIFICATION_LABELS
from portal.models import Area, HateStrand


def reports_section(period: Period, previous: Period) -> Section:
    """Hate incident reports: how many, by month, strand and area, who reported them and how they were classified."""
    by_month = queries.reports_by_month(period)
    total, total_before = sum(by_month.values()), sum(queries.reports_by_month(previous).values())
    routes, routes_before = queries.routes_in(period), queries.routes_in(previous)
    section = Section("reports", _("Hate incident reports"))
    shares = [
        (_("From third-party reporting centres"), "organisation"),
        (_("From witnesses"), "witness"),
        (_("Anonymous"), "anonymous"),
        (_("With consent to tell the police"), "consent_police"),
    ]
    section.headlines = [Headline(_("Reports received"), total, total_before)] + [
        Headline(
            label,
            share(getattr(routes, name), routes.total),
            share(getattr(routes_before, name), routes_before.total),
            "%",
        )
        for label, name in shares
    ]
    section.charts = [
        Chart(
            slug="reports-by-month",
            title=_("Reports by month"),
            description=_(
                "Hate incident reports received each month, %(period)s: %(total)s in all.",
                period=period.label,
                total=total,
            ),
            category_label=_("Month"),
            categories=tuple(month_label(month) for month in by_month),
            series=(Series(_("Reports"), tuple(by_month.values())),),
        ),
        _strand_chart(period, previous),
        _routes_in_chart(routes, routes_before),
        _classification_chart(period, previous),
        area_chart("reports-by-area", _("Reports by area"), queries.reports_by_area, period, previous),
    ]
    section.notes = [
        _("A report can name more than one kind of hostility, so the strands add up to more than the reports."),
        _("Reports an officer linked as a duplicate of another report are not counted."),
    ]
    return section


def _strand_chart(period: Period, previous: Period) -> Chart:
    now, before = queries.reports_by_strand(period), queries.reports_by_strand(previous)
    strands = [strand for strand in HateStrand if now.get(strand) or before.get(strand)]
    current = [now.get(strand, 0) for strand in strands]
    top = max(strands, key=lambda strand: now.get(strand, 0), default=None)
    description = (
        _(
            "Reports by the kind of hostility they name. The most common was %(strand)s.",
            strand=STRAND_SHORT_LABELS[top],
        )
        if top and now.get(top)
        else _("No reports in this period.")
    )
    return Chart(
        slug="reports-by-strand",
        title=_("Reports by kind of hostility (strand)"),
        description=description,
        category_label=_("Strand"),
        categories=tuple(str(STRAND_SHORT_LABELS[strand]) for strand in strands),
        series=series_pair(current, [before.get(strand, 0) for strand in strands]),
    )


def _routes_in_chart(routes: queries.RoutesIn, before: queries.RoutesIn) -> Chart:
    parts = [
        (_("The person it happened to"), "victim"),
        (_("A witness"), "witness"),
        (_("Someone on their behalf"), "on_behalf"),
        (_("A third-party reporting centre"), "organisation"),
        (_("Did not say"), "not_given"),
        (_("Anonymous"), "anonymous"),
        (_("Consent to tell the police"), "consent_police"),
    ]
    return Chart(
        slug="reports-by-route-in",
        title=_("Who reported, anonymity and consent"),
        description=_(
            "The share of reports made by each kind of reporter, made anonymously, and with consent to tell the "
            "police. The last two overlap with the others."
        ),
        category_label=_("Reports"),
        categories=tuple(label for label, _name in parts),
        series=series_pair(
            [share(getattr(routes, name), routes.total) for _label, name in parts],
            [share(getattr(before, name), before.total) for _label, name in parts],
        ),
        unit="%",
    )


def _classification_chart(period: Period, previous: Period) -> Chart:
    now, before = queries.classification_mix(period), queries.classification_mix(previous)
    keys = [*CLASSIFICATION_LABELS, None]
    return Chart(
        slug="classification",
        title=_("How reports were classified"),
        description=_("Reports by the triage team's classification: hate crime, non-crime hate incident, or neither."),
        category_label=_("Classification"),
        categories=tuple(str(CLASSIFICATION_LABELS[key]) if key else _("Not classified yet") for key in keys),
        series=series_pair([now.get(key, 0) for key in keys], [before.get(key, 0) for key in keys]),
    )


def area_chart(slug: str, title: str, count, period: Period, previous: Period) -> Chart:
    """A chart of counts by area (`count` is the query), this period against the period before."""
    now, before = count(period), count(previous)
    ids = [area_id for area_id in {**now, **before} if area_id is not None]
    names = queries.names(Area, ids)
    keys = sorted(ids, key=lambda area_id: names.get(area_id, "")) + [None]
    return Chart(
        slug=slug,
        title=title,
        description=_("Counts for each area of the partnership; \u201cnot given\u201d when no area was chosen."),
        category_label=_("Area"),
        categories=tuple(names.get(key, "") if key is not None else _("Not given") for key in keys),
        series=series_pair([now.get(key, 0) for key in keys], [before.get(key, 0) for key in keys]),
    )
