"""Index route status, so the queue counts start from the routes still waiting

The queue's Awaiting acknowledgement, Needs attention and Overdue counts look for referrals with a route that is
sent, failed or held: a few thousand among a region's million routes. An index only; no data changes.

Revision ID: e2ac66e1236a
Revises: 66c101363fac
Create Date: 2026-11-24 09:57:00.219649

"""

from alembic import op

revision = "e2ac66e1236a"
down_revision = "66c101363fac"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("route", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_status"))
