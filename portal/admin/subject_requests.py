"""Admin pages for subject rights requests: find everything held about a person, show it, download it as
JSON, erase it with a reason. Every search, view, download and erasure is in the audit trail."""

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import ValidationError

from portal.admin import bp
from portal.admin.subject_service import (
    IDENTIFIER_LIMIT,
    SubjectSearchError,
    find_referral_for_request,
    find_subject,
    parse_identifier,
    subject_record,
)
from portal.audit import record_audit
from portal.extensions import db
from portal.forms import CharacterCount, MaxLength, Required, StripWhitespaceForm, SubmitInput, TextInput
from portal.models._types import utcnow
from portal.retention.service import erase_referral

REASON_LIMIT = 1000


class SubjectSearchForm(StripWhitespaceForm):
    """What identifies the person: presence and format only (the kind is worked out from the shape)."""

    identifier = StringField(
        _l("Email address, phone number or reference"),
        description=_l("For example, name@example.com, 07700 900123 or HC-7K3QX9"),
        validators=[Required(thing=_l("an email address, a phone number or a reference"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Search"), widget=SubmitInput())

    def validate_identifier(self, field):
        try:
            self.query = parse_identifier(field.data[: IDENTIFIER_LIMIT + 1])
        except SubjectSearchError as error:
            raise ValidationError(str(error)) from None


class EraseForm(StripWhitespaceForm):
    reason = TextAreaField(
        _l("Why are you erasing this person’s data?"),
        description=_l("For example, the request you received and the date. This is kept in the audit log."),
        validators=[Required(thing=_l("why you are erasing this data")), MaxLength(REASON_LIMIT, thing=_l("Reason"))],
        widget=CharacterCount(),
    )
    submit = SubmitField(_l("Erase personal data"), widget=SubmitInput())


def _referral_or_404(reference: str):
    return find_referral_for_request(reference) or abort(404)


@bp.route("/subject-requests", methods=["GET", "POST"])
def subject_requests():
    """Search by email address, phone number or reference. Posted, so the identifier is never in a URL."""
    form = SubjectSearchForm()
    matches = None
    if form.validate_on_submit():
        matches = find_subject(form.query)
        record_audit(
            "subject_searched",
            actor=current_user,
            by=form.query.kind,
            searched_for=form.query.masked,
            matches=[match.referral.reference for match in matches.referrals],
            emails=len(matches.emails),
        )
        db.session.commit()
    return render_template("admin/subject_requests.html", form=form, matches=matches)


@bp.route("/subject-requests/<reference>")
def subject_request(reference: str):
    """Everything held about the person in one referral, readable."""
    referral = _referral_or_404(reference)
    record = subject_record(referral)
    record_audit("subject_viewed", actor=current_user, reference=referral.reference)
    db.session.commit()
    return render_template(
        "admin/subject_request.html", referral=referral, record=record, export_form=FlaskForm(), as_json=json.dumps
    )


@bp.route("/subject-requests/<reference>/export", methods=["POST"])
def export_subject_request(reference: str):
    """Everything held in the referral as a JSON file, for the person who asked."""
    referral = _referral_or_404(reference)
    if not FlaskForm().validate_on_submit():
        abort(400)
    record = subject_record(referral)
    record_audit("subject_exported", actor=current_user, reference=referral.reference)
    db.session.commit()
    body = json.dumps(
        {"exported_at": utcnow().isoformat(), "referral": record}, ensure_ascii=False, indent=2, sort_keys=True
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="subject-request-{referral.reference}.json"'},
    )


@bp.route("/subject-requests/<reference>/erase", methods=["GET", "POST"])
def erase_subject_request(reference: str):
    """Confirm, with a reason, then erase the personal data in the referral at once."""
    referral = _referral_or_404(reference)
    if referral.purged_at is not None:
        flash(_("The personal data in %(reference)s has already been erased.", reference=referral.reference))
        return redirect(url_for("admin.subject_request", reference=referral.reference))
    form = EraseForm()
    if form.validate_on_submit():
        erase_referral(referral, form.reason.data, current_user)
        db.session.commit()
        flash(_("The personal data in %(reference)s has been erased.", reference=referral.reference), "success")
        return redirect(url_for("admin.subject_request", reference=referral.reference))
    return render_template("admin/subject_erase.html", form=form, referral=referral, reason_limit=REASON_LIMIT)
