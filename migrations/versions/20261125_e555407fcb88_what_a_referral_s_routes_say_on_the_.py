"""What a referral's routes say, on the referral, for the queue

The queue counted the referrals with a route still waiting by grouping the waiting routes from their index and then
looking up each of their referrals by key: at a million referrals, most of what the queue page's time grew by. The
referral now keeps what its routes say (a route waiting; one awaiting its acknowledgement, and the earliest such
acknowledgement due; one that needs an officer), kept in step by portal.models.route_state, and a second queue index
starts with the waiting ones. The columns are filled in here from the routes, for the referrals that have a route
waiting (every other referral has none: the defaults), and the index is made after.

Revision ID: e555407fcb88
Revises: fa347af12fd1
Create Date: 2026-11-25 06:15:24.296483

"""

import sqlalchemy as sa
from alembic import op

from portal.models._types import UTCDateTime

revision = "e555407fcb88"
down_revision = "fa347af12fd1"
branch_labels = None
depends_on = None

WAITING = "('sent', 'failed', 'held')"


def upgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route_waiting", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("route_awaiting", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("route_ack_due_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("route_attention", sa.Boolean(), server_default=sa.false(), nullable=False))

    # As portal.models.route_state works it out.
    op.execute(
        sa.text(
            "UPDATE referral SET "
            f"route_waiting = EXISTS (SELECT 1 FROM route WHERE route.referral_id = referral.id "
            f"AND route.status IN {WAITING}), "
            "route_awaiting = EXISTS (SELECT 1 FROM route WHERE route.referral_id = referral.id "
            "AND route.status = 'sent'), "
            "route_ack_due_at = (SELECT min(route.ack_due_at) FROM route WHERE route.referral_id = referral.id "
            "AND route.status = 'sent'), "
            "route_attention = EXISTS (SELECT 1 FROM route WHERE route.referral_id = referral.id "
            "AND (route.status IN ('failed', 'held') OR (route.status = 'sent' AND route.escalated_at IS NOT NULL))) "
            f"WHERE referral.id IN (SELECT route.referral_id FROM route WHERE route.status IN {WAITING})"
        )
    )

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            "ix_referral_route_waiting",
            [
                "route_waiting",
                "status",
                "route_awaiting",
                "route_attention",
                "route_ack_due_at",
                "created_at",
                "triaged_at",
                "triage_due_at",
                "kind",
                "priority",
                "assigned_to_id",
                "language",
                "area_id",
            ],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_route_waiting")
        batch_op.drop_column("route_attention")
        batch_op.drop_column("route_ack_due_at")
        batch_op.drop_column("route_awaiting")
        batch_op.drop_column("route_waiting")
