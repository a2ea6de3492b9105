"""Partner addresses (confirmed by link), partner types, acknowledgement SLAs, routing rules, and the
follow-up of each route (consent override, hand back, reminder, escalation)

Revision ID: f6ca6aabf8ab
Revises: 07cbc02a70dc
Create Date: 2026-11-24 03:02:04.333765

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6ca6aabf8ab'
down_revision = '07cbc02a70dc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_partner_address_partner_id_partner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_address')),
    sa.UniqueConstraint('partner_id', 'email', name='uq_partner_address_email')
    )
    with op.batch_alter_table('partner_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_address_partner_id'), ['partner_id'], unique=False)

    # The one address each partner had is moved over as confirmed: referrals were already going to it.
    now = datetime.now(timezone.utc)
    partner = sa.table('partner', sa.column('id', sa.Integer), sa.column('email', sa.String))
    address = sa.table(
        'partner_address',
        sa.column('partner_id', sa.Integer),
        sa.column('email', sa.String),
        sa.column('confirmed_at', sa.DateTime(timezone=True)),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    rows = [(id_, email) for id_, email in op.get_bind().execute(sa.select(partner.c.id, partner.c.email)) if email]
    if rows:
        op.bulk_insert(address, [
            {'partner_id': id_, 'email': email, 'confirmed_at': now, 'created_at': now} for id_, email in rows
        ])

    op.create_table('routing_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('strand', sa.String(length=32), nullable=True),
    sa.Column('classification', sa.String(length=32), nullable=True),
    sa.Column('consent', sa.String(length=32), nullable=True),
    sa.Column('scheme_id', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_routing_rule_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['volunteer_scheme.id'], name=op.f('fk_routing_rule_scheme_id_volunteer_scheme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rule'))
    )
    op.create_table('routing_rule_partner',
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_routing_rule_partner_partner_id_partner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['routing_rule.id'], name=op.f('fk_routing_rule_partner_rule_id_routing_rule'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rule_id', 'partner_id', name=op.f('pk_routing_rule_partner'))
    )
    # Existing partners get the type "other", which no consent covers: a report goes to them only with an
    # officer's reason until an admin sets the right type (police, victim support...).
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_type', sa.String(length=32), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('ack_sla_hours', sa.Integer(), nullable=True))
        batch_op.drop_column('email')

    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_override_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('handed_back_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hand_back_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))

    # Routes already waiting for an acknowledgement count as reminded: the first reminder run escalates
    # the overdue ones to the triage team instead of emailing every partner at once.
    route = sa.table('route', sa.column('status', sa.String), sa.column('reminded_at', sa.DateTime(timezone=True)))
    op.execute(route.update().where(route.c.status == 'sent').values(reminded_at=now))


def downgrade():
    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('hand_back_reason')
        batch_op.drop_column('handed_back_at')
        batch_op.drop_column('consent_override_reason')

    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))
        batch_op.drop_column('ack_sla_hours')
        batch_op.drop_column('partner_type')

    # Each partner keeps its first address (the older schema had room for one).
    op.execute(
        "UPDATE partner SET email = COALESCE((SELECT email FROM partner_address "
        "WHERE partner_address.partner_id = partner.id ORDER BY partner_address.id LIMIT 1), '')"
    )
    op.drop_table('routing_rule_partner')
    op.drop_table('routing_rule')
    with op.batch_alter_table('partner_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_address_partner_id'))

    op.drop_table('partner_address')
