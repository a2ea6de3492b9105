"""Staff two-factor (TOTP and recovery codes) and lockout, the client on audit and referral events, an
append-only audit trail on PostgreSQL, and the anonymised statistics kept when personal data is purged

Revision ID: ec65528eca60
Revises: f6ca6aabf8ab
Create Date: 2026-11-24 03:46:58.356627

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ec65528eca60'
down_revision = 'f6ca6aabf8ab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_recovery_code_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_code'))
    )
    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_recovery_code_staff_user_id'), ['staff_user_id'], unique=False)

    op.create_table('referral_statistic',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('strands', sa.JSON(), nullable=True),
    sa.Column('reporter_role', sa.String(length=32), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=True),
    sa.Column('consent_police', sa.Boolean(), nullable=True),
    sa.Column('scheme_id', sa.Integer(), nullable=True),
    sa.Column('volunteer_outcome', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_referral_statistic_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_statistic_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['volunteer_scheme.id'], name=op.f('fk_referral_statistic_scheme_id_volunteer_scheme'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('referral_id', name=op.f('pk_referral_statistic'))
    )
    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_statistic_received_on'), ['received_on'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_label', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('client', sa.String(length=64), nullable=True))

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_purged_at'), ['purged_at'], unique=False)

    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client', sa.String(length=64), nullable=True))

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mfa_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))

    # The audit trail is append-only: the app never changes or deletes a row, and on PostgreSQL the database
    # refuses to as well (TRUNCATE, for tests and a full reset, is still allowed to the owner).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
        """)



def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('mfa_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('password_changed_at')

    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_column('client')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_purged_at'))
        batch_op.drop_column('purged_at')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('client')
        batch_op.drop_column('actor_label')

    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_statistic_received_on'))

    op.drop_table('referral_statistic')
    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_recovery_code_staff_user_id'))

    op.drop_table('staff_recovery_code')
