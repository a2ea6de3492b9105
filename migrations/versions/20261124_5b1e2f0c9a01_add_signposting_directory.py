"""Add the signposting directory: services and the kinds of help they give

Revision ID: 5b1e2f0c9a01
Revises: 86b5234edce7
Create Date: 2026-11-24 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b1e2f0c9a01"
down_revision = "86b5234edce7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signpost_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('who_it_helps', sa.Text(), nullable=False),
    sa.Column('how_to_contact', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signpost_service')),
    sa.UniqueConstraint('slug', name=op.f('uq_signpost_service_slug'))
    )
    op.create_table('signpost_service_category',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['signpost_service.id'], name=op.f('fk_signpost_service_category_service_id_signpost_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'category', name=op.f('pk_signpost_service_category'))
    )
    with op.batch_alter_table('signpost_service_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signpost_service_category_category'), ['category'], unique=False)


def downgrade():
    with op.batch_alter_table('signpost_service_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signpost_service_category_category'))

    op.drop_table('signpost_service_category')
    op.drop_table('signpost_service')
