"""The language a resident used the form in, so the triage team can arrange an interpreter. Every referral
before this came through the English-only forms, so they are recorded as English.

Revision ID: 66c101363fac
Revises: 2549a56d2b25
Create Date: 2026-11-24 06:35:20.891856

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '66c101363fac'
down_revision = '2549a56d2b25'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_language'), ['language'], unique=False)
    op.execute("UPDATE referral SET language = 'en'")


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_language'))
        batch_op.drop_column('language')
