"""Two officers claiming the same referral at the same moment, over real connections: exactly one wins."""

import threading

from portal.auth.service import create_staff
from portal.extensions import db as _db
from portal.models import EventType, Referral, StaffRole, StaffUser
from portal.triage.service import AlreadyClaimed, claim_referral
from tests.conftest import STAFF_PASSWORD, make_referral

ROUNDS = 25


def _claim_at_once(app, referral_id: int, officer_ids: list[int]) -> list[str]:
    barrier = threading.Barrier(len(officer_ids))
    results: list[str] = []

    def claim(officer_id):
        with app.app_context():  # its own database session and connection, as a request would have
            referral = _db.session.get(Referral, referral_id)
            officer = _db.session.get(StaffUser, officer_id)
            barrier.wait()
            try:
                claim_referral(referral, officer)
                _db.session.commit()
                results.append("won")
            except AlreadyClaimed as lost:
                results.append(f"lost to {lost.holder.name}")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=claim, args=(officer_id,)) for officer_id in officer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_exactly_one_claim_wins_every_time(app, db, demo_config):
    officers = [
        create_staff(f"officer{n}@example.org", f"Officer {n}", STAFF_PASSWORD, StaffRole.TRIAGER) for n in (1, 2)
    ]
    db.session.commit()
    officer_ids = [officer.id for officer in officers]
    for _ in range(ROUNDS):
        referral_id = make_referral().id
        results = _claim_at_once(app, referral_id, officer_ids)
        db.session.expire_all()
        referral = db.session.get(Referral, referral_id)
        assert referral.assigned_to_id in officer_ids
        # One won; the other was told who has it.
        assert sorted(results) == [f"lost to {referral.assigned_to.name}", "won"], results
        assert [e.type for e in referral.events].count(EventType.CLAIMED) == 1
