"""Admin pages for volunteering schemes: add one, change what residents read, who can join, open or close
it, which partner its applications go to and whether they go there automatically."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional, ValidationError

from portal.admin import bp
from portal.extensions import db
from portal.forms import (
    CharacterCount,
    MaxLength,
    OnlyWhen,
    Required,
    Select,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choice_values,
    choices,
)
from portal.models import SchemeStatus, VolunteerScheme
from portal.reporting.forms import radios
from portal.volunteering.options import STATUS_CLASSES, STATUS_LABELS
from portal.volunteering.schemes import (
    SchemeAnswers,
    SchemeError,
    all_partners,
    create_scheme,
    find_scheme_by_id,
    next_scheme_position,
    update_scheme,
)
from portal.volunteering.service import listed_schemes

SUMMARY_LIMIT = 500
TEXT_LIMIT = 2000
OLDEST = 120
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


def whole_number(field, *, limit: int) -> int | None:
    """A typed whole number, or a GOV.UK error."""
    if not field.data:
        return None
    if not (field.data.isascii() and field.data.isdigit()):
        raise ValidationError(_l("%(thing)s must be a whole number, like 18", thing=field.label.text))
    if int(field.data) > limit:
        raise ValidationError(_l("%(thing)s must be %(limit)s or less", thing=field.label.text, limit=limit))
    return int(field.data)


def long_text(label, *, limit, required=None, hint=None) -> TextAreaField:
    validators = [Required(thing=required)] if required else [Optional()]
    return TextAreaField(
        label,
        description=hint or "",
        validators=[*validators, MaxLength(limit, thing=label)],
        widget=CharacterCount(),
    )


class SchemeForm(StripWhitespaceForm):
    """A volunteering scheme: presence and format only; the service checks the name is free."""

    name = StringField(
        _l("Name of the scheme"),
        validators=[Required(thing=_l("the name of the scheme")), MaxLength(200, thing=_l("Name"))],
        widget=TextInput(),
    )
    summary = long_text(
        _l("Summary"),
        limit=SUMMARY_LIMIT,
        required=_l("a summary of the scheme"),
        hint=_l("A sentence or two residents see in the list of schemes."),
    )
    what_volunteers_do = long_text(_l("What volunteers do (optional)"), limit=TEXT_LIMIT)
    time_commitment = StringField(
        _l("Time commitment (optional)"),
        description=_l("For example, about 2 hours a week."),
        validators=[Optional(), MaxLength(200, thing=_l("Time commitment"))],
        widget=TextInput(),
    )
    min_age = StringField(_l("Minimum age (optional)"), validators=[Optional()], widget=TextInput())
    max_age = StringField(
        _l("Maximum age (optional)"),
        description=_l("Volunteers can join up to the day before they are a year older: 17 means under 18."),
        validators=[Optional()],
        widget=TextInput(),
    )
    carer_consent_under_18 = radios(
        _l("Do applicants under 18 need a parent or carer’s consent?"),
        YES_NO,
        required=_l("whether applicants under 18 need a parent or carer’s consent"),
    )
    vetting_notes = long_text(
        _l("Checks before volunteers start (optional)"),
        limit=TEXT_LIMIT,
        hint=_l("For example, police vetting or a DBS check, and how long it takes."),
    )
    partner_id = SelectField(
        _l("Which partner runs it?"),
        description=_l("Applications go to this partner."),
        validators=[Optional()],
        widget=Select(),
        validate_choice=False,
    )
    auto_route = radios(
        _l("Send applications to the partner automatically?"),
        [("yes", _l("Yes, as soon as they are sent")), ("no", _l("No, an officer checks them first"))],
        required=_l("whether to send applications automatically"),
    )
    status = radios(
        _l("Is it taking volunteers?"),
        [
            (SchemeStatus.OPEN, _l("Yes, open")),
            (SchemeStatus.WAITING_LIST, _l("Yes, for a waiting list")),
            (SchemeStatus.CLOSED, _l("No, closed")),
        ],
        required=_l("whether the scheme is taking volunteers"),
    )
    signpost_only = radios(
        _l("Do people sign up on another website?"),
        [("yes", _l("Yes, only link to that website")), ("no", _l("No, they sign up here"))],
        required=_l("whether people sign up on another website"),
    )
    external_url = StringField(
        _l("Web address where people sign up (for a scheme on another website)"),
        description=_l("For example, https://do-it.org"),
        validators=[
            OnlyWhen("signpost_only", "yes"),
            Required(thing=_l("the web address where people sign up")),
            MaxLength(500, thing=_l("Web address")),
        ],
        widget=TextInput(),
    )
    position = StringField(
        _l("Position"),
        description=_l("Schemes are listed by this number, lowest first."),
        validators=[Required(thing=_l("a position"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Save scheme"), widget=SubmitInput())

    def validate_min_age(self, field):
        whole_number(field, limit=OLDEST)

    def validate_max_age(self, field):
        highest = whole_number(field, limit=OLDEST)
        try:
            lowest = whole_number(self.min_age, limit=OLDEST)
        except ValidationError:
            return
        if highest is not None and lowest is not None and highest < lowest:
            raise ValidationError(_l("Maximum age must be the same as or more than the minimum age"))

    def validate_partner_id(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select a partner from the list"))

    def validate_auto_route(self, field):
        if field.data == "yes" and not self.partner_id.data and self.signpost_only.data != "yes":
            raise ValidationError(_l("Select which partner runs the scheme, or choose not to send automatically"))

    def validate_external_url(self, field):
        if field.data and (not field.data.startswith(("https://", "http://")) or any(c.isspace() for c in field.data)):
            raise ValidationError(_l("Enter a web address that starts with https://"))

    def validate_position(self, field):
        whole_number(field, limit=9999)

    @staticmethod
    def data_from(scheme: VolunteerScheme) -> dict:
        """What the edit page shows before the admin changes anything."""
        data = {name: "" if getattr(scheme, name) is None else str(getattr(scheme, name)) for name in TYPED}
        data.update({name: "yes" if getattr(scheme, name) else "no" for name in YES_OR_NO})
        data["status"] = scheme.status
        return data

    def answers(self) -> SchemeAnswers:
        signpost = self.signpost_only.data == "yes"
        return SchemeAnswers(
            name=self.name.data,
            summary=self.summary.data,
            what_volunteers_do=self.what_volunteers_do.data or None,
            time_commitment=self.time_commitment.data or None,
            min_age=int(self.min_age.data) if self.min_age.data else None,
            max_age=int(self.max_age.data) if self.max_age.data else None,
            carer_consent_under_18=self.carer_consent_under_18.data == "yes",
            vetting_notes=self.vetting_notes.data or None,
            partner_id=int(self.partner_id.data) if self.partner_id.data else None,
            auto_route=self.auto_route.data == "yes",
            status=self.status.data,
            signpost_only=signpost,
            external_url=self.external_url.data if signpost else None,
            position=int(self.position.data),
        )


TYPED = (
    "name",
    "summary",
    "what_volunteers_do",
    "time_commitment",
    "min_age",
    "max_age",
    "vetting_notes",
    "partner_id",
    "external_url",
    "position",
)
YES_OR_NO = ("carer_consent_under_18", "auto_route", "signpost_only")


def _form(data=None) -> SchemeForm:
    form = SchemeForm(data=data)
    form.partner_id.choices = choices(
        [("", _("No partner"))]
        + [(p.id, p.name if p.active else _("%(name)s (not taking referrals)", name=p.name)) for p in all_partners()]
    )
    return form


def _render_form(form: SchemeForm, scheme=None):
    return render_template(
        "admin/scheme.html", form=form, scheme=scheme, summary_limit=SUMMARY_LIMIT, text_limit=TEXT_LIMIT
    )


@bp.route("/schemes")
def volunteer_schemes():
    """Every volunteering scheme: whether it is taking volunteers, its partner, and automatic routing."""
    return render_template(
        "admin/schemes.html", schemes=listed_schemes(), status_labels=STATUS_LABELS, status_classes=STATUS_CLASSES
    )


@bp.route("/schemes/new", methods=["GET", "POST"])
def new_volunteer_scheme():
    """Add a volunteering scheme."""
    first_visit = request.method == "GET"
    form = _form(
        {"position": str(next_scheme_position()), "status": SchemeStatus.OPEN, "signpost_only": "no"}
        if first_visit
        else None
    )
    if form.validate_on_submit():
        try:
            scheme = create_scheme(form.answers())
        except SchemeError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=scheme.name), "success")
            return redirect(url_for("admin.volunteer_schemes"))
    return _render_form(form)


@bp.route("/schemes/<int(max=2147483647):scheme_id>", methods=["GET", "POST"])
def edit_volunteer_scheme(scheme_id: int):
    """Change a scheme, open or close it, or change where its applications go."""
    scheme = find_scheme_by_id(scheme_id) or abort(404)
    form = _form(SchemeForm.data_from(scheme) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_scheme(scheme, form.answers())
        except SchemeError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your changes to %(name)s have been saved.", name=scheme.name), "success")
            return redirect(url_for("admin.volunteer_schemes"))
    return _render_form(form, scheme)
