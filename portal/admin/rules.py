"""Admin pages for routing rules: which partners officers are offered for which referrals, in what order.
Rules only suggest; an officer confirms each route, and consent still decides where a report may go."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.partner_forms import ButtonForm
from portal.admin.rule_forms import NAME_LIMIT, RuleForm
from portal.admin.rule_service import (
    create_rule,
    delete_rule,
    find_rule,
    listed_rules,
    next_rule_position,
    rule_facts,
    rule_options,
    update_rule,
)
from portal.extensions import db
from portal.labels import CLASSIFICATION_LABELS, KIND_LABELS, STRAND_LABELS
from portal.reporting.options import CONSENTS
from portal.routing.rules import rule_reason

CONSENT_LABELS = dict(CONSENTS)


@bp.route("/routing-rules")
def routing_rules():
    """Every rule in order, its conditions and partners, and the reason an officer reads with its suggestion."""
    rules = [(rule, rule_reason(rule_facts(rule))) for rule in listed_rules()]
    return render_template(
        "admin/rules.html",
        rules=rules,
        kind_labels=KIND_LABELS,
        strand_labels=STRAND_LABELS,
        classification_labels=CLASSIFICATION_LABELS,
        consent_labels=CONSENT_LABELS,
    )


def _form(data=None) -> RuleForm:
    form = RuleForm(data=data)
    form.set_options(*rule_options())
    return form


def _render_form(form: RuleForm, rule=None):
    return render_template("admin/rule.html", form=form, rule=rule, name_limit=NAME_LIMIT)


@bp.route("/routing-rules/new", methods=["GET", "POST"])
def new_routing_rule():
    """Add a rule."""
    form = _form({"active": True, "position": str(next_rule_position())} if request.method == "GET" else None)
    if form.validate_on_submit():
        rule = create_rule(form.answers(), current_user)
        db.session.commit()
        flash(_("The rule %(name)s has been added.", name=rule.name), "success")
        return redirect(url_for("admin.routing_rules"))
    return _render_form(form)


@bp.route("/routing-rules/<int(max=2147483647):rule_id>", methods=["GET", "POST"])
def edit_routing_rule(rule_id: int):
    """Change a rule's conditions, its partners or its place in the order, or stop using it."""
    rule = find_rule(rule_id) or abort(404)
    form = _form(RuleForm.data_from(rule) if request.method == "GET" else None)
    if form.validate_on_submit():
        update_rule(rule, form.answers(), current_user)
        db.session.commit()
        flash(_("Your changes to the rule %(name)s have been saved.", name=rule.name), "success")
        return redirect(url_for("admin.routing_rules"))
    return _render_form(form, rule)


@bp.route("/routing-rules/<int(max=2147483647):rule_id>/delete", methods=["POST"])
def delete_routing_rule(rule_id: int):
    """Delete a rule (the button is on the rule's page). Routes it suggested are not changed."""
    rule = find_rule(rule_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        flash(_("We could not check that the button was pressed on this page. Press it again."))
        return redirect(url_for("admin.edit_routing_rule", rule_id=rule.id))
    name = rule.name
    delete_rule(rule, current_user)
    db.session.commit()
    flash(_("The rule %(name)s has been deleted.", name=name), "success")
    return redirect(url_for("admin.routing_rules"))
