"""Each planned referral as the rows the app would have written: its answers, events, routes, the emails those
caused and its statistic, in the columns of TABLES."""

import json
import operator
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from bench.planning import (
    AGO,
    CLOSE_REASON,
    CONFIRMATION,
    EQUALITY,
    EQUALITY_SHARE,
    HAND_BACK_REASON,
    PENDING,
    UNSIGNED_LINK,
    Partner,
    Planned,
    PlannedRoute,
    _between,
    _one_of,
)
from portal.demo_referrals import PLACES, WHAT_HAPPENED
from portal.helpers import format_datetime
from portal.labels import KIND_LABELS, PRIORITY_LABELS, STRAND_LABELS
from portal.models import RouteStatus
from portal.retention.service import KEPT_EVENT_DETAIL
from portal.routing.links import route_link

if TYPE_CHECKING:
    from bench.history import History

# The columns each table is loaded with, in an order that satisfies the foreign keys.
TABLES = {
    "referral": tuple(
        (
            "id reference kind status priority assigned_to_id created_at updated_at version classification "
            "triage_due_at triaged_at closed_at close_outcome close_reason language purged_at area_id "
            "route_waiting route_awaiting route_ack_due_at route_attention"
        ).split()
    ),
    "hate_incident_report": tuple(
        (
            "referral_id reporter_role organisation_name description incident_date date_is_approximate "
            "time_of_day still_happening place_type location area_id online_platform anyone_hurt "
            "property_damaged perpetrator_known witnesses reported_to_police consent_police "
            "consent_victim_support consent_council_housing just_record victim_name victim_aware anonymous "
            "contact_name contact_email contact_phone preferred_contact"
        ).split()
    ),
    "hate_incident_strand": tuple("report_id strand".split()),
    "hate_incident_type": tuple("report_id type".split()),
    "equality_monitoring": tuple(
        "referral_id age_group sex gender_same_as_birth ethnicity religion sexual_orientation disability".split()
    ),
    "volunteer_application": tuple(
        (
            "referral_id scheme_id full_name date_of_birth age_at_application email phone area_id carer_name "
            "carer_relationship carer_email carer_consent available_days available_times interests how_heard "
            "consent_share outcome"
        ).split()
    ),
    "referral_event": tuple("id referral_id type actor_id actor_label client detail created_at".split()),
    "route": tuple(
        (
            "id referral_id partner_id status routed_by_id created_at sent_at acknowledged_at ack_due_at "
            "handed_back_at hand_back_reason reminded_at escalated_at ack_working_minutes"
        ).split()
    ),
    "outbox_message": tuple(
        (
            "id route_id message_id recipient subject body_text body_html status attempts next_attempt_at "
            "created_at sent_at"
        ).split()
    ),
    "referral_statistic": tuple(
        (
            "referral_id kind received_on received_month area_id reporter_role anonymous consent_police "
            "scheme_id volunteer_outcome triage_working_minutes created_at"
        ).split()
    ),
    "referral_statistic_strand": tuple("referral_id strand".split()),
}


class Rows:
    """One planned referral as the rows the app would have written (less what a purge deleted)."""

    def __init__(self, history: "History", referral: Planned, rows: dict):
        self.history, self.referral, self.rows, self.rng = history, referral, rows, history.rng
        self.stamp = history.stamp

    def add(self) -> None:
        referral, stamp = self.referral, self.stamp
        events = sorted(referral.events, key=operator.itemgetter(0))
        changes = [event for event in events if event[1] in VERSIONED]  # what changed the referral itself
        version = 1 + len(changes)
        changed = max(event[0] for event in changes) if changes else referral.created
        self.rows["referral"].append(
            (
                referral.id,
                referral.reference,
                referral.kind,
                referral.status,
                referral.priority,
                referral.assigned,
                stamp(referral.created),
                stamp(changed),
                version,
                referral.classification,
                stamp(referral.triage_due),
                stamp(referral.triaged),
                stamp(referral.closed),
                referral.close_outcome,
                CLOSE_REASON if referral.closed and not referral.purged else None,
                referral.language,
                stamp(referral.purged),
                None if referral.purged else referral.area_id,
                *self.route_state(),
            )
        )
        if referral.purged is None and referral.kind == "hate_incident":
            self.report()
        elif referral.purged is None:
            self.application()
        self.events(events)
        self.routes()
        self.statistic()
        if referral.purged is None:
            self.emails()

    def report(self) -> None:
        referral, rng, rows = self.referral, self.rng, self.rows
        number, types, role = referral.id, referral.types, referral.role
        online, centre, named = "online" in types, role == "organisation", not referral.anonymous
        consents = referral.consents
        rows["hate_incident_report"].append(
            (
                number,
                role,
                "Bench Community Centre (made-up example)" if centre else None,
                f"Bench report: {_one_of(rng, WHAT_HAPPENED[types[0]])} (made-up example).",
                (self.history.local_day(referral.created) - timedelta(days=_one_of(rng, AGO))).isoformat(),
                False,
                _one_of(rng, ("morning", "afternoon", "evening", "evening", "night", "not_sure")),
                _one_of(rng, ("no", "no", "no", "yes", "not_sure")),
                "online" if online else _one_of(rng, PLACES),
                None if online else "Bench location (made-up example)",
                referral.area_id,
                "Bench social network (made-up example)" if online else None,
                "yes" if "physical" in types else "no",
                "yes" if {"property_damage", "graffiti"} & set(types) else "no",
                _one_of(rng, ("no", "no", "not_sure", "yes")),
                _one_of(rng, ("no", "yes", "not_sure")),
                "no",
                "police" in consents,
                "victim_support" in consents,
                "council_housing" in consents,
                "just_record" in consents,
                f"Bench Person {number}" if role in ("on_behalf", "organisation") else None,
                "yes" if role in ("on_behalf", "organisation") else None,
                referral.anonymous,
                f"Bench Resident {number}" if named else None,
                f"bench.resident{number}@example.org" if named else None,
                f"07700 900{number % 1000:03d}" if named else None,
                "email" if named else None,  # Ofcom's drama range
            )
        )
        rows["hate_incident_strand"] += [(number, strand) for strand in referral.strands]
        rows["hate_incident_type"] += [(number, kind) for kind in types]
        if rng.random() < EQUALITY_SHARE:
            rows["equality_monitoring"].append((number, *(_one_of(rng, choices) for choices in EQUALITY)))

    def application(self) -> None:
        referral, rng, scheme = self.referral, self.rng, self.referral.scheme
        number, applied_on = referral.id, self.history.local_day(referral.created)
        age = _between(rng, scheme.min_age or 18, scheme.max_age or 74)
        born = applied_on - timedelta(days=round(365.25 * age) + _between(rng, 20, 340))
        age = applied_on.year - born.year - ((applied_on.month, applied_on.day) < (born.month, born.day))
        carer = age < 18
        days = sorted(rng.sample(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"], 2))
        self.rows["volunteer_application"].append(
            (
                number,
                scheme.id,
                f"Bench Volunteer {number}",
                born.isoformat(),
                age,
                f"bench.volunteer{number}@example.org",
                f"07700 900{number % 1000:03d}",
                referral.area_id,
                f"Bench Carer {number}" if carer else None,
                "Parent (made-up example)" if carer else None,
                f"bench.carer{number}@example.org" if carer else None,
                carer,
                json.dumps(days),
                json.dumps([_one_of(rng, ["morning", "afternoon", "evening"])]),
                "Bench application: would like to help people in their neighbourhood (made-up example).",
                _one_of(rng, ["friend_or_family", "social_media", "website", "event_or_leaflet", "police_or_council"]),
                True,
                referral.outcome,
            )
        )

    def events(self, events: list) -> None:
        referral, stamp, history = self.referral, self.stamp, self.history
        purged = referral.purged is not None
        rows, first = self.rows["referral_event"], history.next_id["referral_event"]
        history.next_id["referral_event"] += len(events)
        for event_id, (when, kind, actor, label, client, detail) in enumerate(events, start=first):
            rows.append((event_id, referral.id, kind, actor, label, client, self.detail(detail, purged), stamp(when)))

    def detail(self, pairs: tuple | None, purged: bool) -> str | None:
        """The event's detail as JSON; a purge keeps only names and codes (portal.retention's KEPT_EVENT_DETAIL)."""
        if pairs is not None and purged:
            pairs = tuple(pair for pair in pairs if pair[0] in KEPT_EVENT_DETAIL) or None
        if pairs is None:
            return None
        route = None
        if pairs[-1][0] == "route":  # a route's id is one of a kind: added to the rest, which is remembered
            route, pairs = pairs[-1][1], pairs[:-1]
        written = DETAILS.get(pairs) or DETAILS.setdefault(pairs, json.dumps(dict(pairs)))
        return written if route is None else f'{written[:-1]}, "route": {route}}}'

    def route_state(self) -> tuple:
        """What the referral's routes say, as portal.models.route_state keeps it on the referral."""
        routes = self.referral.routes
        sent = [route for route in routes if route.status == RouteStatus.SENT]
        undelivered = [route for route in routes if route.status in (RouteStatus.FAILED, RouteStatus.HELD)]
        return (
            bool(sent or undelivered),
            bool(sent),
            self.stamp(min((route.due for route in sent if route.due is not None), default=None)),
            bool(undelivered) or any(route.escalated is not None for route in sent),
        )

    def routes(self) -> None:
        referral, stamp = self.referral, self.stamp
        for route in referral.routes:
            self.rows["route"].append(
                (
                    route.id,
                    referral.id,
                    route.partner.id,
                    route.status,
                    route.by[0] if route.by else None,
                    stamp(route.created),
                    stamp(route.sent),
                    stamp(route.acknowledged),
                    stamp(route.due),
                    stamp(route.handed_back),
                    HAND_BACK_REASON if route.handed_back and not referral.purged else None,
                    stamp(route.reminded),
                    stamp(route.escalated),
                    route.minutes,
                )
            )

    def statistic(self) -> None:
        referral, stamp = self.referral, self.stamp
        received = self.history.local_day(referral.created)
        hate = referral.kind == "hate_incident"
        self.rows["referral_statistic"].append(
            (
                referral.id,
                referral.kind,
                received.isoformat(),
                received.isoformat()[:7],
                referral.area_id,
                referral.role,
                referral.anonymous,
                "police" in referral.consents if hate else None,
                None if hate else referral.scheme.id,
                referral.outcome,
                referral.triage_minutes,
                stamp(referral.created),
            )
        )
        self.rows["referral_statistic_strand"] += [(referral.id, strand) for strand in sorted(referral.strands)]

    def emails(self) -> None:
        """The partner's email for each route (and its reminder), and the resident's confirmation if they asked."""
        referral, mail, rng = self.referral, self.history.mail, self.rng
        values = {
            "reference": referral.reference,
            "received": self.history.shown_time(referral.created),
            "priority": mail.priority[referral.priority],
        }
        for route in referral.routes:
            values["summary"], summary = mail.summary(referral, route.partner)
            values["link"] = mail.link(route) if referral.closed is None else mail.base + UNSIGNED_LINK
            sends = [("new", route.created, route.sent)]
            if route.reminded is not None:
                sends.append(("reminder", route.reminded, route.reminded + _between(rng, 2, 90)))
            for purpose, written, sent in sends:
                subject, text, html = mail.route_email(route.partner.id, referral.kind, purpose)
                email = subject.format(**values), text.format(**values), html.format(**{**values, "summary": summary})
                for address in route.partner.emails:
                    self.message(route.id, address, email, written, sent)
        if rng.random() < CONFIRMATION[referral.kind] and not referral.anonymous:
            address = f"bench.{'resident' if referral.scheme is None else 'volunteer'}{referral.id}@example.org"
            subject, text = mail.confirmation(referral)
            written = referral.created + _between(rng, 1, 5)
            email = subject.format(**values), text.format(**values), None
            self.message(None, address, email, written, written + _between(rng, 2, 90))

    def message(self, route_id: int | None, address: str, email: tuple, written: int, sent: int | None) -> None:
        """An outbox message: sent by the worker unless it was written in the last few minutes."""
        message_id, mail = self.history._next("outbox_message"), self.history.mail
        if sent is not None and sent > self.history.now - PENDING:
            sent = None
        self.rows["outbox_message"].append(
            (
                message_id,
                route_id,
                f"<bench.{message_id}.{mail.token}@{mail.domain}>",
                address,
                *email,
                "pending" if sent is None else "sent",
                0 if sent is None else 1,
                self.stamp(written),
                self.stamp(written),
                self.stamp(sent),
            )
        )


class Mail:
    """The emails the app writes, as format strings made once from its own templates and words (rendering each
    would take longer than the rest of the load). A secure-email partner's first email would also carry the answers;
    these leave them out."""

    def __init__(self, config, partners: dict, schemes: list, areas: dict):
        self.base = config["PUBLIC_BASE_URL"].rstrip("/")
        self.domain = config["MAIL_FROM"].rpartition("@")[2].rstrip(">") or "localhost"
        self.token = "".join(random.choices("abcdefghijklmnopqrstuvwxyz", k=8))  # noqa: S311 - not a secret
        self.areas = areas
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            self.priority = {str(key): str(label) for key, label in PRIORITY_LABELS.items()}
            self.strands = {str(key): str(label).lower() for key, label in STRAND_LABELS.items()}
            self.nowhere = _("an area not given")
            self.with_strands = _("A hate incident report (%(strands)s) in %(area)s.", strands="{0}", area="{1}")
            self.without_strands = _("A hate incident report in %(area)s.", area="{0}")
            self.schemes = {s.id: _("An application to volunteer with %(scheme)s.", scheme=s.name) for s in schemes}
            self.bodies = {
                (partner.id, str(kind), purpose): self._route_email(config, partner, str(kind), str(label), purpose)
                for partner in partners.values()
                for kind, label in KIND_LABELS.items()
                for purpose in ("new", "reminder")
            }
            self.confirmations = self._confirmations(schemes)
        self.summaries = {}

    def _route_email(self, config, partner: Partner, kind: str, label: str, purpose: str) -> tuple:
        subject = {
            "new": _("New %(kind)s referral %(reference)s", kind=label.lower(), reference="\0reference\0"),
            "reminder": _("Reminder: please acknowledge referral %(reference)s", reference="\0reference\0"),
        }[purpose]
        context = {
            "purpose": purpose,
            "referral": SimpleNamespace(reference="\0reference\0", created_at=PROTOTYPE_TIME, language="en"),
            "partner": SimpleNamespace(name=partner.name, secure_email=partner.secure),
            "kind": label,
            "priority": "\0priority\0",
            "summary": "\0summary\0",
            "link": "\0link\0",
            "link_days": config["PARTNER_LINK_DAYS"],
            "full_details": False,
            "sections": [],
        }
        text = render_template("emails/partner_referral.txt", **context)
        html = render_template("emails/partner_referral.html", **context)
        return _format(subject), _format(text), _format(html)

    def _confirmations(self, schemes: list) -> dict:
        confirmations = {
            None: (
                _format(_("Your report reference %(reference)s", reference="\0reference\0")),
                _format(render_template("emails/report_confirmation.txt", reference="\0reference\0")),
            )
        }
        subject = _format(_("Your volunteer application reference %(reference)s", reference="\0reference\0"))
        for scheme in schemes:
            body = render_template(
                "emails/volunteer_confirmation.txt", reference="\0reference\0", scheme_name=scheme.name
            )
            confirmations[scheme.id] = (subject, _format(body))
        return confirmations

    def route_email(self, partner_id: int, kind: str, purpose: str) -> tuple:
        return self.bodies[partner_id, kind, purpose]

    def confirmation(self, referral: Planned) -> tuple:
        return self.confirmations[referral.scheme.id if referral.scheme is not None else None]

    def summary(self, referral: Planned, partner: Partner) -> tuple[str, str]:
        """As portal.routing.emails.one_line_summary (the strands only for a secure-email partner), as text and as
        HTML."""
        if referral.scheme is not None:
            summary = self.schemes[referral.scheme.id]
            return summary, str(escape(summary))
        key = (referral.area_id, tuple(referral.strands) if partner.secure else ())
        if key not in self.summaries:
            area = self.areas.get(referral.area_id, self.nowhere)
            strands = ", ".join(self.strands.get(strand, strand) for strand in referral.strands)
            summary = self.with_strands.format(strands, area) if partner.secure else self.without_strands.format(area)
            self.summaries[key] = summary, str(escape(summary))
        return self.summaries[key]

    def link(self, route: PlannedRoute) -> str:
        return route_link(SimpleNamespace(id=route.id, partner_id=route.partner.id))


PROTOTYPE_TIME = datetime(2001, 2, 3, 4, 5, tzinfo=UTC)


def _format(rendered: str) -> str:
    """A rendered email with its placeholders as str.format fields (and every other brace doubled)."""
    rendered = rendered.replace("{", "{{").replace("}", "}}").replace(format_datetime(PROTOTYPE_TIME), "{received}")
    for name in ("reference", "priority", "summary", "link"):
        rendered = rendered.replace(f"\0{name}\0", f"{{{name}}}")
    return rendered


DETAILS: dict = {}  # event details as JSON, by their (key, value) pairs
# The events that changed the referral (its version counts them).
VERSIONED = frozenset(
    {"claimed", "classified", "routed", "acknowledged", "handed_back", "closed", "purged", "outcome_set"}
)
