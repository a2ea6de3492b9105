"""Triage decisions, deadlines, response templates and the audit trail

Revision ID: 07cbc02a70dc
Revises: 7c3d5e9a1b20
Create Date: 2026-11-24 01:10:21.646029

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07cbc02a70dc'
down_revision = '7c3d5e9a1b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('response_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_template')),
    sa.UniqueConstraint('name', name=op.f('uq_response_template_name'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_audit_event_actor_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('classification', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('triage_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('triaged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('close_outcome', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_referral_kind_created', ['kind', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_priority'), ['priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_triage_due_at'), ['triage_due_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_referral_duplicate_of_id_referral'), 'referral', ['duplicate_of_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_referral_duplicate_of_id'), ['duplicate_of_id'], unique=False)

    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_route_ack_due_at'), ['ack_due_at'], unique=False)



def downgrade():
    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_ack_due_at'))
        batch_op.drop_column('ack_due_at')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_duplicate_of_id'))
        batch_op.drop_constraint(batch_op.f('fk_referral_duplicate_of_id_referral'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_referral_triage_due_at'))
        batch_op.drop_index(batch_op.f('ix_referral_priority'))
        batch_op.drop_index('ix_referral_kind_created')
        batch_op.drop_index(batch_op.f('ix_referral_assigned_to_id'))
        batch_op.drop_column('close_reason')
        batch_op.drop_column('close_outcome')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('triaged_at')
        batch_op.drop_column('triage_due_at')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('classification')
        batch_op.drop_column('version')
        batch_op.drop_column('priority_reason')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('response_template')
