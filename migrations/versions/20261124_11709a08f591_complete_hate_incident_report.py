"""Complete hate incident report, equality monitoring and drafts

Revision ID: 11709a08f591
Revises: 5b1e2f0c9a01
Create Date: 2026-11-24 00:48:37.802890

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '11709a08f591'
down_revision = '5b1e2f0c9a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('equality_monitoring',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('age_group', sa.String(length=32), nullable=True),
    sa.Column('sex', sa.String(length=32), nullable=True),
    sa.Column('gender_same_as_birth', sa.String(length=32), nullable=True),
    sa.Column('ethnicity', sa.String(length=64), nullable=True),
    sa.Column('religion', sa.String(length=64), nullable=True),
    sa.Column('sexual_orientation', sa.String(length=64), nullable=True),
    sa.Column('disability', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_equality_monitoring_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('referral_id', name=op.f('pk_equality_monitoring'))
    )
    op.create_table('report_draft',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_report_draft_referral_id_referral'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_draft')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_report_draft_referral_id'))
    )
    with op.batch_alter_table('report_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_draft_expires_at'), ['expires_at'], unique=False)

    op.create_table('hate_incident_type',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['hate_incident_report.referral_id'], name=op.f('fk_hate_incident_type_report_id_hate_incident_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'type', name=op.f('pk_hate_incident_type'))
    )
    with op.batch_alter_table('hate_incident_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hate_incident_type_type'), ['type'], unique=False)

    with op.batch_alter_table('hate_incident_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporter_role', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('organisation_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('date_is_approximate', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('time_of_day', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('still_happening', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('place_type', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('online_platform', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('online_link', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('anyone_hurt', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('hurt_details', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('property_damaged', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('damage_details', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('perpetrator_known', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('perpetrator_description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('vehicle', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('witnesses', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('witness_details', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reported_to_police', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('crime_reference', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('consent_police', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('consent_victim_support', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('consent_council_housing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('just_record', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('victim_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('victim_age_group', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('victim_aware', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('preferred_contact', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('safe_times', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('voicemail_ok', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('interpreter_language', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('access_needs', sa.Text(), nullable=True))
        batch_op.alter_column('location',
               existing_type=sa.TEXT(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_hate_incident_report_area_id'), ['area_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hate_incident_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hate_incident_report_area_id'))
        batch_op.alter_column('location',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.drop_column('access_needs')
        batch_op.drop_column('interpreter_language')
        batch_op.drop_column('voicemail_ok')
        batch_op.drop_column('safe_times')
        batch_op.drop_column('preferred_contact')
        batch_op.drop_column('victim_aware')
        batch_op.drop_column('victim_age_group')
        batch_op.drop_column('victim_name')
        batch_op.drop_column('just_record')
        batch_op.drop_column('consent_council_housing')
        batch_op.drop_column('consent_victim_support')
        batch_op.drop_column('consent_police')
        batch_op.drop_column('crime_reference')
        batch_op.drop_column('reported_to_police')
        batch_op.drop_column('witness_details')
        batch_op.drop_column('witnesses')
        batch_op.drop_column('vehicle')
        batch_op.drop_column('perpetrator_description')
        batch_op.drop_column('perpetrator_known')
        batch_op.drop_column('damage_details')
        batch_op.drop_column('property_damaged')
        batch_op.drop_column('hurt_details')
        batch_op.drop_column('anyone_hurt')
        batch_op.drop_column('online_link')
        batch_op.drop_column('online_platform')
        batch_op.drop_column('postcode')
        batch_op.drop_column('place_type')
        batch_op.drop_column('still_happening')
        batch_op.drop_column('time_of_day')
        batch_op.drop_column('date_is_approximate')
        batch_op.drop_column('organisation_name')
        batch_op.drop_column('reporter_role')

    with op.batch_alter_table('hate_incident_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hate_incident_type_type'))

    op.drop_table('hate_incident_type')
    with op.batch_alter_table('report_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_draft_expires_at'))

    op.drop_table('report_draft')
    op.drop_table('equality_monitoring')
