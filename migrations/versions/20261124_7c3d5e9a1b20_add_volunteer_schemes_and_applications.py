"""Add volunteer schemes and volunteer applications

Revision ID: 7c3d5e9a1b20
Revises: 11709a08f591
Create Date: 2026-11-24 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7c3d5e9a1b20"
down_revision = "11709a08f591"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('what_volunteers_do', sa.Text(), nullable=True),
    sa.Column('time_commitment', sa.String(length=200), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('carer_consent_under_18', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('vetting_notes', sa.Text(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('auto_route', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('signpost_only', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('external_url', sa.String(length=500), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_volunteer_scheme_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_scheme')),
    sa.UniqueConstraint('slug', name=op.f('uq_volunteer_scheme_slug'))
    )
    op.create_table('volunteer_application',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('age_at_application', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('postcode', sa.String(length=16), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('carer_name', sa.String(length=200), nullable=True),
    sa.Column('carer_relationship', sa.String(length=100), nullable=True),
    sa.Column('carer_email', sa.String(length=254), nullable=True),
    sa.Column('carer_phone', sa.String(length=40), nullable=True),
    sa.Column('carer_consent', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('available_days', sa.JSON(), nullable=False),
    sa.Column('available_times', sa.JSON(), nullable=False),
    sa.Column('interests', sa.Text(), nullable=True),
    sa.Column('relevant_experience', sa.Text(), nullable=True),
    sa.Column('languages_spoken', sa.String(length=200), nullable=True),
    sa.Column('access_needs', sa.Text(), nullable=True),
    sa.Column('how_heard', sa.String(length=32), nullable=True),
    sa.Column('how_heard_other', sa.String(length=200), nullable=True),
    sa.Column('consent_share', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_volunteer_application_area_id_area')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_volunteer_application_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['volunteer_scheme.id'], name=op.f('fk_volunteer_application_scheme_id_volunteer_scheme')),
    sa.PrimaryKeyConstraint('referral_id', name=op.f('pk_volunteer_application'))
    )
    with op.batch_alter_table('volunteer_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_application_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_application_scheme_id'), ['scheme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_application_scheme_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_application_outcome'))

    op.drop_table('volunteer_application')
    op.drop_table('volunteer_scheme')
