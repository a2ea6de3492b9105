"""Unfinished reports are deleted once they expire, by the outbox worker's housekeeping."""

from datetime import timedelta

from portal.extensions import db as _db
from portal.models import ReportDraft
from portal.models._types import utcnow
from portal.routing.outbox import run_worker


def test_the_worker_deletes_expired_drafts_and_keeps_the_rest(app, db):
    _db.session.add_all(
        [
            ReportDraft(
                id="old", answers={"who": {"reporter_role": ["victim"]}}, expires_at=utcnow() - timedelta(seconds=1)
            ),
            ReportDraft(id="current", answers={}, expires_at=utcnow() + timedelta(hours=1)),
        ]
    )
    _db.session.commit()
    run_worker(once=True)
    _db.session.expire_all()
    assert [draft.id for draft in _db.session.execute(_db.select(ReportDraft)).scalars()] == ["current"]
