"""The area on the referral, for the queue's area filter

The queue filtered by area by looking up each queued referral's report or application: at a million referrals,
thousands of look-ups for every count, and the slowest of the queue's filters. The referral now keeps its own copy of
the area the resident chose (neither a report's nor an application's area changes once sent), filled in here from
the report or application, and the queue index ends with it, so the count for an area reads index entries alone.
Purged referrals have no report or application left, so their area stays empty, as a purge now leaves it.

Revision ID: fa347af12fd1
Revises: 1901ba91ad2d
Create Date: 2026-11-25 03:28:13.868822

"""

import sqlalchemy as sa
from alembic import op

revision = "fa347af12fd1"
down_revision = "1901ba91ad2d"
branch_labels = None
depends_on = None

QUEUE_COLUMNS = [
    "status",
    "created_at",
    "triaged_at",
    "triage_due_at",
    "kind",
    "priority",
    "assigned_to_id",
    "language",
]

FROM_ANSWERS = {
    "hate_incident": "hate_incident_report",
    "volunteer": "volunteer_application",
}


def upgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_referral_area_id_area"), "area", ["area_id"], ["id"])

    for kind, table in FROM_ANSWERS.items():
        op.execute(
            sa.text(
                f"UPDATE referral SET area_id = (SELECT {table}.area_id FROM {table} "  # noqa: S608 - our own names
                f"WHERE {table}.referral_id = referral.id) WHERE referral.kind = :kind"
            ).bindparams(kind=kind)
        )

    # Rebuilt after the copy, so that filling the column in did not have to keep the index too.
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_queue")
        batch_op.create_index("ix_referral_queue", [*QUEUE_COLUMNS, "area_id"], unique=False)


def downgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_queue")
        batch_op.create_index("ix_referral_queue", QUEUE_COLUMNS, unique=False)

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_referral_area_id_area"), type_="foreignkey")
        batch_op.drop_column("area_id")
