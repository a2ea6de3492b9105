"""Admin pages for the Get help directory."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.admin import bp
from portal.admin.forms import NAME_LIMIT, TEXT_LIMIT, ServiceForm
from portal.extensions import db
from portal.signposting.labels import CATEGORY_LABELS
from portal.signposting.service import (
    SignpostingError,
    all_services,
    create_service,
    find_service,
    next_position,
    update_service,
)


@bp.route("/signposting")
def signpost_services():
    """Every service in the Get help directory, shown to residents or not."""
    return render_template("admin/signpost_services.html", services=all_services(), category_labels=CATEGORY_LABELS)


def _render_form(form: ServiceForm, service=None):
    return render_template(
        "admin/signpost_service.html", form=form, service=service, name_limit=NAME_LIMIT, text_limit=TEXT_LIMIT
    )


@bp.route("/signposting/new", methods=["GET", "POST"])
def new_signpost_service():
    """Add a service to the Get help page."""
    first_visit = request.method == "GET"
    form = ServiceForm(data={"position": str(next_position()), "active": "yes"} if first_visit else None)
    if form.validate_on_submit():
        try:
            service = create_service(form.answers())
        except SignpostingError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=service.name), "success")
            return redirect(url_for("admin.signpost_services"))
    return _render_form(form)


@bp.route("/signposting/<int(max=2147483647):service_id>", methods=["GET", "POST"])
def edit_signpost_service(service_id: int):
    """Change what the Get help page says about a service, or hide it."""
    service = find_service(service_id) or abort(404)
    form = ServiceForm(data=ServiceForm.data_from(service) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_service(service, form.answers())
        except SignpostingError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your changes to %(name)s have been saved.", name=service.name), "success")
            return redirect(url_for("admin.signpost_services"))
    return _render_form(form, service)
