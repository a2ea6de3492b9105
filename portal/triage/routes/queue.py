"""The queue officers work from: tabs with counts, filters, search, and pages of 50."""

from dataclasses import replace
from typing import NamedTuple

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import literal, select, union_all

from portal.auth.reauth import recent_sign_in_required
from portal.extensions import db
from portal.labels import KIND_LABELS, STRAND_WORDS, strand_label
from portal.languages import language_in_english
from portal.models import Area, ReferralKind, VolunteerScheme
from portal.models._types import utcnow
from portal.triage import bp
from portal.triage.counts import tab_counts
from portal.triage.export import export_queue
from portal.triage.forms import PRIORITIES, ExportForm
from portal.triage.queue import QueueFilters, list_queue

TAB_LABELS = {
    "new": _l("New"),
    "in_triage": _l("In triage"),
    "routed": _l("Routed"),
    "awaiting_acknowledgement": _l("Awaiting acknowledgement"),
    "attention": _l("Needs attention"),
    "handed_back": _l("Handed back"),
    "overdue": _l("Overdue"),
    "closed": _l("Closed"),
}


def queue_summary(row) -> str:
    """One line on what a referral is about: the strands and area of a report, or the scheme applied to."""
    if row.kind == ReferralKind.VOLUNTEER:
        return row.scheme or ""
    return ", ".join([*(strand_label(strand) for strand in row.strands), *([row.area] if row.area else [])])


@bp.route("/queue")
def queue():
    """The chosen tab of the queue, filtered and searched as the officer asked."""
    filters = QueueFilters.from_args(request.args)
    page = list_queue(filters, current_user, cursor=request.args.get("after"))
    return render_template(
        "triage/queue.html",
        filters=filters,
        page=page,
        counts=tab_counts(filters, current_user),
        tab_labels=TAB_LABELS,
        shown_filters=replace(filters, search=""),  # the filter form, drawn once per mix (queue.html)
        filter_choices=filter_choices(),
        queue_summary=queue_summary,
        export_form=ExportForm() if current_user.is_admin else None,
    )


class FilterChoices(NamedTuple):
    """The options of the filter form's selects, as they stand (admins edit areas and schemes)."""

    kinds: tuple
    schemes: tuple
    strands: tuple
    areas: tuple
    priorities: tuple
    languages: tuple


def _names(model, which: str, condition):
    return select(literal(which).label("which"), model.id, model.name, model.position).where(condition)


# The active areas, and the schemes one applies to (not the signposts to volunteering elsewhere), each in the order
# admins set, as plain rows in one query (built once). Their names as admins wrote them, in English: the staff pages
# are in English, so nothing is looked up in another language.
_EDITED = union_all(
    _names(Area, "areas", Area.active.is_(True)),
    _names(VolunteerScheme, "schemes", VolunteerScheme.signpost_only.is_(False)),
).subquery()
EDITED_CHOICES = select(_EDITED.c.which, _EDITED.c.id, _EDITED.c.name).order_by(
    _EDITED.c.which, _EDITED.c.position, _EDITED.c.name
)


def filter_choices() -> FilterChoices:
    def pairs(options):
        return tuple((value, str(label)) for value, label in options)

    edited = {"areas": [], "schemes": []}
    for which, ident, name in db.session.execute(EDITED_CHOICES):
        edited[which].append((ident, name))
    return FilterChoices(
        kinds=pairs(KIND_LABELS.items()),
        schemes=tuple(edited["schemes"]),
        strands=pairs(STRAND_WORDS.resolved().items()),
        areas=tuple(edited["areas"]),
        priorities=pairs(PRIORITIES),
        languages=pairs((code, language_in_english(code)) for code in current_app.config["LANGUAGES"]),
    )


@bp.route("/queue/export", methods=["POST"])
@recent_sign_in_required
def export():
    """The filtered queue as CSV. Admins only; special category data only if they tick the box."""
    if not current_user.is_admin:
        abort(403)
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    filters = QueueFilters.from_args(request.form)
    special = form.special_category.data
    if filters.strand and not special:
        # Which strand of hostility a report is about is special category data, even as a filter.
        flash(
            _(
                "To export referrals filtered by what the hostility was about, tick the box to include "
                "special category data."
            ),
            "error",
        )
        return redirect(url_for("triage.queue", **filters.as_args()))
    name = f"referrals-{utcnow():%Y%m%d-%H%M}{'-special-category' if special else ''}.csv"
    return Response(
        stream_with_context(export_queue(filters, current_user, special=special)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
