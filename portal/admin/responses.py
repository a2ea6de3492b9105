"""Admin pages for response templates: the words officers start a note or an update to a reporter from."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.admin import bp
from portal.admin.response_forms import BODY_LIMIT, PURPOSE_HEADINGS, ResponseTemplateForm
from portal.admin.response_service import (
    ResponseTemplateError,
    all_response_templates,
    create_response_template,
    find_response_template,
    update_response_template,
)
from portal.extensions import db


@bp.route("/response-templates")
def response_templates():
    """Every template, grouped by what it is for, offered to officers or not."""
    templates = all_response_templates()
    groups = [
        (purpose, heading, [template for template in templates if template.purpose == purpose])
        for purpose, heading in PURPOSE_HEADINGS.items()
    ]
    return render_template("admin/response_templates.html", groups=groups)


def _render_form(form: ResponseTemplateForm, template=None):
    return render_template("admin/response_template.html", form=form, template=template, body_limit=BODY_LIMIT)


@bp.route("/response-templates/new", methods=["GET", "POST"])
def new_response_template():
    """Write a new template for officers to use."""
    form = ResponseTemplateForm(data={"active": True} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            template = create_response_template(form.answers())
        except ResponseTemplateError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=template.name), "success")
            return redirect(url_for("admin.response_templates"))
    return _render_form(form)


@bp.route("/response-templates/<int(max=2147483647):template_id>", methods=["GET", "POST"])
def edit_response_template(template_id: int):
    """Change a template's name or words, or stop offering it to officers."""
    template = find_response_template(template_id) or abort(404)
    form = ResponseTemplateForm(data=ResponseTemplateForm.data_from(template) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_response_template(template, form.answers())
        except ResponseTemplateError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your changes to %(name)s have been saved.", name=template.name), "success")
            return redirect(url_for("admin.response_templates"))
    return _render_form(form, template)
