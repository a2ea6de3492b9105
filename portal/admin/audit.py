"""Admin page: the audit log, filtered, paged and exported as CSV. Admins only; read only."""

from flask import Response, abort, render_template, request, stream_with_context, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional, ValidationError

from portal.admin import bp
from portal.admin.audit_log import (
    AuditFilters,
    Cursor,
    action_choices,
    export_audit_log,
    list_audit_log,
    staff_choices,
)
from portal.audit import record_audit
from portal.extensions import db
from portal.forms import (
    GovukDateField,
    MaxLength,
    Select,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choice_values,
    choices,
)
from portal.models._types import utcnow
from portal.models.referral import looks_like_reference


class AuditFilterForm(StripWhitespaceForm):
    """The filters, read from the URL: presence and format only."""

    date_from = GovukDateField(_l("From"), thing=_l("The date to show events from"), validators=[Optional()])
    date_to = GovukDateField(_l("To"), thing=_l("The date to show events to"), validators=[Optional()])
    actor = SelectField(_l("Staff member"), validators=[Optional()], widget=Select(), validate_choice=False)
    action = SelectField(_l("What happened"), validators=[Optional()], widget=Select(), validate_choice=False)
    reference = StringField(
        _l("Referral reference"),
        description=_l("For example, HC-7K3QX9"),
        validators=[Optional(), MaxLength(16, thing=_l("Reference"))],
        widget=TextInput(),
    )
    client = StringField(
        _l("Client address"),
        description=_l("The IP address the action came from, for example 192.0.2.10"),
        validators=[Optional(), MaxLength(64, thing=_l("Client address"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Show events"), widget=SubmitInput())

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The date to show events to must be the same as or after the date from"))

    def validate_actor(self, field):
        if field.data and field.data not in choice_values(field):
            raise ValidationError(_l("Select a staff member from the list"))

    def validate_action(self, field):
        if field.data and field.data not in choice_values(field):
            raise ValidationError(_l("Select what happened from the list"))

    def validate_reference(self, field):
        if field.data and not looks_like_reference(field.data.upper()):
            raise ValidationError(_l("Enter a reference in the correct format, like HC-7K3QX9"))

    def validate_client(self, field):
        if field.data and not all(c.isalnum() or c in ".:" for c in field.data):
            raise ValidationError(_l("Enter a client address in the correct format, like 192.0.2.10"))

    def filters(self) -> AuditFilters:
        return AuditFilters(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            actor_id=int(self.actor.data) if self.actor.data else None,
            action=self.action.data or None,
            reference=self.reference.data.upper() if self.reference.data else None,
            client=self.client.data or None,
        )


def action_label(action: str) -> str:
    return action.replace("_", " ").capitalize()


def _filter_form(data) -> AuditFilterForm:
    form = AuditFilterForm(formdata=data, meta={"csrf": False})
    form.actor.choices = choices([("", _l("Anyone"))] + staff_choices())
    form.action.choices = choices([("", _l("Anything"))] + [(a, action_label(a)) for a in action_choices()])
    return form


def _url_args(filters: AuditFilters) -> dict:
    """The filters as the form posts them (a date as its day, month and year boxes)."""
    args = filters.as_args()
    for name in ("date_from", "date_to"):
        day = getattr(filters, name)
        if day:
            args[name] = [str(day.day), str(day.month), str(day.year)]
    return args


def _checked_filters(data) -> tuple[AuditFilterForm, AuditFilters | None]:
    form = _filter_form(data)
    if not any(value for name, value in data.items(multi=True) if name != "before"):
        return form, AuditFilters()
    return form, (form.filters() if form.validate() else None)


@bp.route("/audit")
def audit_log():
    """Who did what, when and from where: newest first, 50 a page, with filters and a CSV export."""
    form, filters = _checked_filters(request.args)
    rows, next_cursor = (
        ([], None) if filters is None else list_audit_log(filters, Cursor.parse(request.args.get("before")))
    )
    older = url_for("admin.audit_log", before=next_cursor.token(), **_url_args(filters)) if next_cursor else None
    return render_template(
        "admin/audit_log.html",
        form=form,
        rows=rows,
        older=older,
        newest=url_for("admin.audit_log", **_url_args(filters)) if filters and request.args.get("before") else None,
        export_args=_url_args(filters) if filters is not None else {},
        action_label=action_label,
    )


@bp.route("/audit/export", methods=["POST"])
def export_audit_log_csv():
    """The filtered log as CSV; the export itself is recorded first."""
    if not FlaskForm(meta={"csrf": True}).validate_on_submit():
        abort(400)
    _form, filters = _checked_filters(request.form)
    if filters is None:
        abort(400)
    record_audit("audit_exported", actor=current_user, filters=filters.as_args())
    db.session.commit()
    name = f"audit-log-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        stream_with_context(export_audit_log(filters)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
