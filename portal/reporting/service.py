"""Business rules of the reporting journey: drafts kept on the server, and turning one into a referral."""

import secrets
from datetime import date

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import update

from portal.content import localised
from portal.extensions import db
from portal.forms import choices
from portal.models import (
    Area,
    EqualityMonitoring,
    EventType,
    HateIncidentReport,
    Referral,
    ReferralKind,
    ReportDraft,
)
from portal.models._types import utcnow
from portal.models.draft import DRAFT_LIFETIME
from portal.models.referral import generate_reference
from portal.reporting.journey import (
    STEPS,
    Answers,
    Step,
    applicable_steps,
    checked_form,
    first_incomplete_step,
    summary_rows,
)
from portal.statistics import record_statistic


class IncompleteReport(Exception):
    """The draft lacks an answer that applies: the resident is sent back to that page."""

    def __init__(self, step: Step):
        super().__init__(step.slug)
        self.step = step


def area_options(*, include_retired: bool = False):
    """The areas a resident can choose from, in the order admins set, after a blank first option. Staff
    summaries include retired areas, so an old answer still shows its area."""
    query = db.select(Area).order_by(Area.position, Area.name)
    areas = db.session.execute(query if include_retired else query.filter_by(active=True)).scalars()
    return choices([("", _("Choose an area"))] + [(area.id, localised(area, "name")) for area in areas])


def areas_for_page(step, *, changing: bool):
    """The areas a question page needs: the list for the page that asks for one, or for a change, which is checked
    against every answer; otherwise none (the list costs a query, and each area's name in the resident's language)."""
    return area_options() if changing or step.asks_area else ()


def find_draft(draft_id: str | None) -> ReportDraft | None:
    """The resident's draft, if it exists and has not expired."""
    if not draft_id or len(draft_id) > 64:
        return None
    draft = db.session.get(ReportDraft, draft_id)
    return draft if draft is not None and not draft.expired else None


def start_draft() -> ReportDraft:
    draft = ReportDraft(id=secrets.token_urlsafe(32), answers={})
    db.session.add(draft)
    db.session.flush()
    return draft


def save_answers(draft: ReportDraft, step: Step, answers: dict[str, list[str]]) -> None:
    """Keep one page's answers. The draft lives a few more hours from now."""
    draft.answers = {**draft.answers, step.slug: answers}
    draft.expires_at = utcnow() + DRAFT_LIFETIME
    db.session.flush()


def new_referral(kind: ReferralKind) -> Referral:
    """A referral with a reference no other referral has, in the language the resident is using the form in."""
    while True:
        reference = generate_reference(kind)
        taken = db.session.execute(db.select(Referral.id).filter_by(reference=reference)).first()
        if not taken:
            return Referral(reference=reference, kind=kind, language=str(get_locale() or "en"))


def submit_draft(draft: ReportDraft, areas) -> Referral:
    """Turn a complete draft into a referral for the triage queue, once: a second submit of the same draft
    (a double click, or send again after Back) returns the referral the first one made."""
    if draft.referral_id is not None:
        return db.session.get(Referral, draft.referral_id)
    missing = first_incomplete_step(draft.answers, areas)
    if missing is not None:
        raise IncompleteReport(missing)
    return commit_draft_once(draft, build_referral(draft.answers, areas))


def commit_draft_once(draft: ReportDraft, referral: Referral) -> Referral:
    """Tie a new referral to the draft it came from, emptying the draft, with one conditional UPDATE.
    If a simultaneous submit of the same draft got there first, ours is undone and theirs returned."""
    db.session.add(referral)
    db.session.flush()
    claimed = db.session.execute(
        update(ReportDraft)
        .where(ReportDraft.id == draft.id, ReportDraft.referral_id.is_(None))
        .values(referral_id=referral.id, answers={})
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(draft)
        return db.session.get(Referral, draft.referral_id)
    record_statistic(referral)
    db.session.flush()
    return referral


def build_referral(answers: Answers, areas) -> Referral:
    """A new referral holding exactly the answers that apply."""
    referral = new_referral(ReferralKind.HATE_INCIDENT)
    report = HateIncidentReport(referral=referral)
    equality = EqualityMonitoring()
    for step in applicable_steps(answers):
        target = equality if step.target == "equality" else report
        form, _valid = checked_form(step, answers, areas)
        for question in step.questions(form):
            setattr(target, question.name, question.data if step.asked(form, question) else None)
    referral.area_id = report.area_id
    if any(getattr(equality, column) for column in EQUALITY_COLUMNS):
        referral.equality = equality
    actor = "Third-party reporting centre (online form)" if report.reporter_role == "organisation" else None
    referral.record(EventType.CREATED, actor_label=actor or "Resident (online form)")
    return referral


EQUALITY_COLUMNS = (
    "age_group",
    "sex",
    "gender_same_as_birth",
    "ethnicity",
    "religion",
    "sexual_orientation",
    "disability",
)


def answers_from_referral(referral: Referral) -> Answers:
    """A committed report's answers in the journey's shape, so staff see them grouped and worded exactly
    as the resident saw them on the check-answers page."""
    answers: Answers = {}
    for step in STEPS:
        target = referral.equality if step.target == "equality" else referral.hate_incident
        if target is None:
            continue
        page = {}
        for name in _question_names(step):
            values = _as_raw(getattr(target, name))
            if values:
                page[name] = values
        if page:
            answers[step.slug] = page
    return answers


_QUESTION_NAMES: dict[str, tuple[str, ...]] = {}


def _question_names(step) -> tuple[str, ...]:
    """The report's columns a page asks for, found once per process: building a page's form to learn them cost
    every referral page fourteen forms."""
    names = _QUESTION_NAMES.get(step.slug)
    if names is None:
        names = _QUESTION_NAMES[step.slug] = tuple(question.name for question in step.questions(step.make_form()))
    return names


def report_summary(referral: Referral):
    """A committed report's answers grouped and worded as on the resident's check-answers page."""
    if referral.hate_incident is None:
        return []
    return summary_rows(answers_from_referral(referral), area_options(include_retired=True), sent=True)


def _as_raw(value) -> list[str]:
    if value is None or value is False or value == "" or value == []:
        return []
    if value is True:
        return ["y"]
    if isinstance(value, date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def purge_expired_drafts() -> int:
    """Delete drafts past their expiry (answers never sent, and the marker of sent ones)."""
    result = db.session.execute(db.delete(ReportDraft).where(ReportDraft.expires_at <= utcnow()))
    return result.rowcount


def support_categories(report: HateIncidentReport) -> list[str]:
    """The kinds of help to suggest on the confirmation page, from what the resident told us."""
    wanted = ["hate_crime", "victim_support"]
    if report.place_type == "home" and report.perpetrator_known == "yes":
        wanted.append("domestic_abuse")  # hostility at home from someone known may be domestic abuse
    if report.place_type == "home" or report.consent_council_housing:
        wanted.append("housing")
    return wanted


def suggested_support(reference: str) -> list:
    """Services that fit this report, from the signposting directory (emergency numbers are on the page)."""
    from portal.signposting.service import active_services

    referral = db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one_or_none()
    if referral is None or referral.hate_incident is None:
        return active_services(["hate_crime", "victim_support"])
    return active_services(support_categories(referral.hate_incident))


def reporter_update_email(referral: Referral, message: str) -> tuple[str, str]:
    """The subject and text of an officer's update to a reporter, in the language the reporter used the form in
    (the officer's own words are sent as written)."""
    from flask import render_template

    with force_locale(referral.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("An update on your report %(reference)s", reference=referral.reference)
        return subject, render_template("emails/reporter_update.txt", referral=referral, message=message)


def send_confirmation_email(reference: str, email: str) -> None:
    """A confirmation the resident asked for: the reference and nothing else about the report."""
    from flask import render_template

    from portal.routing.outbox import enqueue_email

    enqueue_email(
        recipient=email,
        subject=_("Your report reference %(reference)s", reference=reference),
        body_text=render_template("emails/report_confirmation.txt", reference=reference),
    )
    db.session.flush()
