"""The indicators of the partnership's work: volunteer sign-ups and outcomes, how quickly referrals are triaged
and acknowledged, and what each partner was sent."""

from datetime import datetime

from flask_babel import gettext as _

from portal.insights import queries
from portal.insights.charts import Chart, Series
from portal.insights.indicators import Headline, Section, series_pair, share
from portal.insights.periods import Period, month_label
from portal.insights.report_indicators import area_chart
from portal.labels import VOLUNTEER_OUTCOME_LABELS
from portal.models import ReferralKind, VolunteerScheme


def volunteering_section(period: Period, previous: Period) -> Section:
    """Volunteer sign-ups by month, scheme and area, and what became of them."""
    by_month = queries.sign_ups_by_month(period)
    total, total_before = sum(by_month.values()), sum(queries.sign_ups_by_month(previous).values())
    by_scheme, by_scheme_before = queries.sign_ups_by_scheme(period), queries.sign_ups_by_scheme(previous)
    outcomes = queries.sign_up_outcomes(period)
    scheme_ids = {key for key in {**by_scheme, **by_scheme_before} if key is not None}
    scheme_ids |= {scheme_id for scheme_id, _outcome in outcomes if scheme_id is not None}
    names = queries.names(VolunteerScheme, scheme_ids)
    schemes = sorted(scheme_ids, key=lambda scheme_id: names.get(scheme_id, ""))
    accepted = sum(count for (_scheme, outcome), count in outcomes.items() if outcome == "accepted")
    section = Section("volunteering", _("Volunteering"))
    section.headlines = [
        Headline(_("Sign-ups"), total, total_before),
        Headline(_("Accepted so far"), share(accepted, total), None, "%"),
    ]
    outcome_keys = [*VOLUNTEER_OUTCOME_LABELS, None]
    section.charts = [
        Chart(
            slug="sign-ups-by-month",
            title=_("Sign-ups by month"),
            description=_(
                "Volunteer sign-ups each month, %(period)s: %(total)s in all.", period=period.label, total=total
            ),
            category_label=_("Month"),
            categories=tuple(month_label(month) for month in by_month),
            series=(Series(_("Sign-ups"), tuple(by_month.values())),),
        ),
        Chart(
            slug="sign-ups-by-scheme",
            title=_("Sign-ups by scheme"),
            description=_("Volunteer sign-ups to each scheme, this period and the period before."),
            category_label=_("Scheme"),
            categories=tuple(names.get(scheme_id, "") for scheme_id in schemes),
            series=series_pair(
                [by_scheme.get(scheme_id, 0) for scheme_id in schemes],
                [by_scheme_before.get(scheme_id, 0) for scheme_id in schemes],
            ),
        ),
        Chart(
            slug="sign-up-outcomes",
            title=_("What became of this period’s sign-ups"),
            description=_(
                "For each scheme, how many sign-ups were accepted, put on a waiting list, not progressed, withdrawn, "
                "or have no outcome yet."
            ),
            category_label=_("Scheme"),
            categories=tuple(names.get(scheme_id, "") for scheme_id in schemes),
            series=tuple(
                Series(
                    str(VOLUNTEER_OUTCOME_LABELS[outcome]) if outcome else _("No outcome yet"),
                    tuple(outcomes.get((scheme_id, outcome), 0) for scheme_id in schemes),
                )
                for outcome in outcome_keys
            ),
        ),
        area_chart("sign-ups-by-area", _("Sign-ups by area"), queries.sign_ups_by_area, period, previous),
    ]
    return section


def speed_section(period: Period, previous: Period) -> Section:
    """Time to triage a hate incident report and for a partner to acknowledge a referral, median and 90th
    percentile. Sign-ups are left out of triage: a scheme that routes its applications itself does so at once,
    which would make the triage team look quicker than it is."""
    report = ReferralKind.HATE_INCIDENT
    triage, triage_before = queries.triage_times(period, report), queries.triage_times(previous, report)
    ack, ack_before = queries.acknowledgement_times(period), queries.acknowledgement_times(previous)
    section = Section("speed", _("How quickly"))
    section.headlines = [
        Headline(_("Time to triage a report, median"), triage.median_hours, triage_before.median_hours, "hours"),
        Headline(_("Time to triage a report, 90th percentile"), triage.p90_hours, triage_before.p90_hours, "hours"),
        Headline(_("Time for a partner to acknowledge, median"), ack.median_hours, ack_before.median_hours, "hours"),
        Headline(_("Time for a partner to acknowledge, 90th percentile"), ack.p90_hours, ack_before.p90_hours, "hours"),
    ]
    rows = [
        (_("Triage: median"), triage.median_hours, triage_before.median_hours),
        (_("Triage: 90th percentile"), triage.p90_hours, triage_before.p90_hours),
        (_("Acknowledgement: median"), ack.median_hours, ack_before.median_hours),
        (_("Acknowledgement: 90th percentile"), ack.p90_hours, ack_before.p90_hours),
    ]
    section.charts = [
        Chart(
            slug="response-times",
            title=_("Time to triage and to acknowledgement"),
            description=_(
                "Working hours from a hate incident report arriving to its first triage decision (%(triaged)s "
                "reports), and "
                "from a partner being sent a referral to acknowledging it (%(acknowledged)s routes).",
                triaged=triage.count,
                acknowledged=ack.count,
            ),
            category_label=_("Measure"),
            categories=tuple(label for label, _now, _before in rows),
            series=series_pair([now for _label, now, _before in rows], [before for _label, _now, before in rows]),
            unit="hours",
        )
    ]
    section.notes = [
        _(
            "Working hours count only the partnership's working days and opening times. The median is the middle "
            "value; the 90th percentile is the time within which 9 in 10 were done."
        )
    ]
    return section


def partners_section(period: Period, now: datetime) -> Section:
    """What each partner was sent in the period: acknowledged, handed back, waiting, overdue; and the rate."""
    partners = queries.routes_by_partner(period, now)
    section = Section("partners", _("Partners"))
    names = tuple(partner.name for partner in partners)
    section.charts = [
        Chart(
            slug="acknowledgement-rate",
            title=_("Acknowledgement rate by partner"),
            description=_(
                "The share of referrals sent to each partner in this period that the partner has acknowledged."
            ),
            category_label=_("Partner"),
            categories=names,
            series=(Series(_("Acknowledged"), tuple(partner.ack_rate for partner in partners)),),
            unit="%",
        ),
        Chart(
            slug="routes-by-partner",
            title=_("Referrals sent to each partner"),
            description=_(
                "Referrals sent to each partner in this period: acknowledged, handed back, and still waiting "
                "(of which overdue)."
            ),
            category_label=_("Partner"),
            categories=names,
            series=(
                Series(_("Sent"), tuple(partner.sent for partner in partners)),
                Series(_("Acknowledged"), tuple(partner.acknowledged for partner in partners)),
                Series(_("Handed back"), tuple(partner.handed_back for partner in partners)),
                Series(_("Waiting"), tuple(partner.awaiting for partner in partners)),
                Series(_("Overdue"), tuple(partner.overdue for partner in partners)),
            ),
        ),
    ]
    if not partners:
        section.notes = [_("No referrals were sent to partners in this period.")]
    return section
