"""Statistics for every referral (not only purged ones), strands as rows, and the working minutes taken to
triage a referral and to acknowledge a route, so the insights are GROUP BYs on indexed columns

Revision ID: 2549a56d2b25
Revises: ec65528eca60
Create Date: 2026-11-24 05:51:44.986968

Data: every referral that is not purged gets its statistic (day and month in the partnership's time zone,
area, strands, route in, scheme and outcome); existing statistics get their month and their strands as
rows; triage and acknowledgement times are worked out for what has been triaged or acknowledged already.
"""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal.models._types import UTCDateTime
from portal.triage.sla import WorkingHours, business_seconds_between

# revision identifiers, used by Alembic.
revision = '2549a56d2b25'
down_revision = 'ec65528eca60'
branch_labels = None
depends_on = None

referral = sa.table(
    'referral',
    sa.column('id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('created_at', UTCDateTime),
    sa.column('triaged_at', UTCDateTime),
    sa.column('purged_at', UTCDateTime),
)
report = sa.table(
    'hate_incident_report',
    sa.column('referral_id', sa.Integer),
    sa.column('area_id', sa.Integer),
    sa.column('reporter_role', sa.String),
    sa.column('anonymous', sa.Boolean),
    sa.column('consent_police', sa.Boolean),
)
report_strand = sa.table('hate_incident_strand', sa.column('report_id', sa.Integer), sa.column('strand', sa.String))
application = sa.table(
    'volunteer_application',
    sa.column('referral_id', sa.Integer),
    sa.column('area_id', sa.Integer),
    sa.column('scheme_id', sa.Integer),
    sa.column('outcome', sa.String),
)
statistic = sa.table(
    'referral_statistic',
    sa.column('referral_id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('received_on', sa.Date),
    sa.column('received_month', sa.String),
    sa.column('area_id', sa.Integer),
    sa.column('strands', sa.JSON),
    sa.column('reporter_role', sa.String),
    sa.column('anonymous', sa.Boolean),
    sa.column('consent_police', sa.Boolean),
    sa.column('scheme_id', sa.Integer),
    sa.column('volunteer_outcome', sa.String),
    sa.column('triage_working_minutes', sa.Integer),
    sa.column('created_at', UTCDateTime),
)
statistic_strand = sa.table(
    'referral_statistic_strand', sa.column('referral_id', sa.Integer), sa.column('strand', sa.String)
)
route = sa.table(
    'route',
    sa.column('id', sa.Integer),
    sa.column('created_at', UTCDateTime),
    sa.column('sent_at', UTCDateTime),
    sa.column('acknowledged_at', UTCDateTime),
    sa.column('ack_working_minutes', sa.Integer),
)


def upgrade():
    op.create_table('referral_statistic_strand',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('strand', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral_statistic.referral_id'], name=op.f('fk_referral_statistic_strand_referral_id_referral_statistic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('referral_id', 'strand', name=op.f('pk_referral_statistic_strand'))
    )
    with op.batch_alter_table('referral_statistic_strand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_statistic_strand_strand'), ['strand'], unique=False)

    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_month', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('triage_working_minutes', sa.Integer(), nullable=True))

    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ack_working_minutes', sa.Integer(), nullable=True))

    _fill_statistics()

    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.alter_column('received_month', existing_type=sa.String(length=7), nullable=False)
        batch_op.create_index(batch_op.f('ix_referral_statistic_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_referral_statistic_kind_received', ['kind', 'received_on', 'received_month'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_statistic_scheme_id'), ['scheme_id'], unique=False)
        batch_op.drop_column('strands')

    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.create_index('ix_route_partner_sent', ['partner_id', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_sent_at'), ['sent_at'], unique=False)


def _fill_statistics():
    bind = op.get_bind()
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))
    hours = WorkingHours.from_config(current_app.config)

    def minutes(start, end):
        return business_seconds_between(start, end, hours) // 60

    # Statistics written when a referral was purged: their month, and their strands as rows.
    for referral_id, received_on, strands in bind.execute(
        sa.select(statistic.c.referral_id, statistic.c.received_on, statistic.c.strands)
    ).all():
        bind.execute(
            statistic.update()
            .where(statistic.c.referral_id == referral_id)
            .values(received_month=received_on.strftime("%Y-%m"))
        )
        for strand in dict.fromkeys(strands or []):
            bind.execute(statistic_strand.insert().values(referral_id=referral_id, strand=strand))

    # Every other referral: its statistic from its answers.
    counted = sa.select(statistic.c.referral_id)
    rows = bind.execute(
        sa.select(
            referral.c.id,
            referral.c.kind,
            referral.c.created_at,
            referral.c.triaged_at,
            report.c.area_id,
            report.c.reporter_role,
            report.c.anonymous,
            report.c.consent_police,
            application.c.area_id,
            application.c.scheme_id,
            application.c.outcome,
        )
        .select_from(referral)
        .outerjoin(report, report.c.referral_id == referral.c.id)
        .outerjoin(application, application.c.referral_id == referral.c.id)
        .where(referral.c.id.not_in(counted))
    ).all()
    strands_of = {}
    for report_id, strand in bind.execute(sa.select(report_strand.c.report_id, report_strand.c.strand)).all():
        strands_of.setdefault(report_id, []).append(strand)
    for row in rows:
        received_on = row.created_at.astimezone(zone).date()
        bind.execute(
            statistic.insert().values(
                referral_id=row.id,
                kind=row.kind,
                received_on=received_on,
                received_month=received_on.strftime("%Y-%m"),
                area_id=row[4] if row[4] is not None else row[8],
                reporter_role=row.reporter_role,
                anonymous=row.anonymous,
                consent_police=row.consent_police,
                scheme_id=row.scheme_id,
                volunteer_outcome=row.outcome,
                created_at=row.created_at,
            )
        )
        for strand in sorted(strands_of.get(row.id, [])):
            bind.execute(statistic_strand.insert().values(referral_id=row.id, strand=strand))

    for referral_id, created_at, triaged_at in bind.execute(
        sa.select(referral.c.id, referral.c.created_at, referral.c.triaged_at).where(referral.c.triaged_at.is_not(None))
    ).all():
        bind.execute(
            statistic.update()
            .where(statistic.c.referral_id == referral_id)
            .values(triage_working_minutes=minutes(created_at, triaged_at))
        )
    for route_id, created_at, sent_at, acknowledged_at in bind.execute(
        sa.select(route.c.id, route.c.created_at, route.c.sent_at, route.c.acknowledged_at).where(
            route.c.acknowledged_at.is_not(None)
        )
    ).all():
        bind.execute(
            route.update()
            .where(route.c.id == route_id)
            .values(ack_working_minutes=minutes(sent_at or created_at, acknowledged_at))
        )


def downgrade():
    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_sent_at'))
        batch_op.drop_index('ix_route_partner_sent')
        batch_op.drop_column('ack_working_minutes')

    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strands', sa.JSON(), nullable=True))

    # Before this revision only purged referrals had a statistic: the others' go, the purged keep their strands.
    bind = op.get_bind()
    purged = sa.select(referral.c.id).where(referral.c.purged_at.is_not(None))
    bind.execute(statistic_strand.delete().where(statistic_strand.c.referral_id.not_in(purged)))
    bind.execute(statistic.delete().where(statistic.c.referral_id.not_in(purged)))
    strands_of = {}
    for referral_id, strand in bind.execute(sa.select(statistic_strand.c.referral_id, statistic_strand.c.strand)).all():
        strands_of.setdefault(referral_id, []).append(strand)
    for referral_id, strands in strands_of.items():
        bind.execute(statistic.update().where(statistic.c.referral_id == referral_id).values(strands=sorted(strands)))

    with op.batch_alter_table('referral_statistic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_statistic_scheme_id'))
        batch_op.drop_index('ix_referral_statistic_kind_received')
        batch_op.drop_index(batch_op.f('ix_referral_statistic_area_id'))
        batch_op.drop_column('triage_working_minutes')
        batch_op.drop_column('received_month')

    with op.batch_alter_table('referral_statistic_strand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_statistic_strand_strand'))

    op.drop_table('referral_statistic_strand')
