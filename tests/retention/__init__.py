"""Builders for the retention and subject-rights tests."""

import uuid
from datetime import date

from portal.extensions import db as _db
from portal.models import EventType, ReferralKind, VolunteerApplication, VolunteerScheme


def make_application(scheme_slug: str = "neighbourhood-watch", **answers):
    """A committed volunteer application, built as the sign-up's service builds one (without the pages, whose
    rate limit a test making many would reach), with the confirmation email the applicant asked for."""
    from portal.reporting.service import new_referral
    from portal.statistics import record_statistic
    from portal.volunteering.service import send_confirmation_email

    scheme = _db.session.execute(_db.select(VolunteerScheme).filter_by(slug=scheme_slug)).scalar_one()
    referral = new_referral(ReferralKind.VOLUNTEER)
    values = {
        "full_name": f"Vol {uuid.uuid4().hex[:6]}",
        "date_of_birth": date(1990, 6, 14),
        "age_at_application": 36,
        "email": f"{uuid.uuid4().hex[:8]}@example.org",
        "available_days": ["tuesday"],
        "available_times": ["evening"],
        "consent_share": True,
        **answers,
    }
    VolunteerApplication(referral=referral, scheme=scheme, **values)
    referral.area_id = values.get("area_id")  # as submit_application copies it
    referral.record(EventType.CREATED, actor_label="Resident (online form)", scheme=scheme.name)
    _db.session.add(referral)
    _db.session.flush()
    record_statistic(referral)
    if values["email"]:
        send_confirmation_email(referral.reference, scheme.name, values["email"])
    _db.session.commit()
    return referral
