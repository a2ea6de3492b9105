"""Translations of what admins write for residents

Scheme names and descriptions, Get help services, area names and partner names, one row per field and language,
marked as needing review until a native speaker has checked them. A new table only; no data changes.

Revision ID: b6887916fb70
Revises: e2ac66e1236a
Create Date: 2026-11-24 12:08:39.450750

"""

import sqlalchemy as sa
from alembic import op

import portal.models._types

revision = "b6887916fb70"
down_revision = "e2ac66e1236a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("updated_at", portal.models._types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
            name=op.f("fk_content_translation_updated_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_translation")),
        sa.UniqueConstraint("subject", "subject_id", "field", "locale", name=op.f("uq_content_translation_subject")),
    )
    with op.batch_alter_table("content_translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_translation_locale"), ["locale"], unique=False)


def downgrade():
    with op.batch_alter_table("content_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_translation_locale"))
    op.drop_table("content_translation")
