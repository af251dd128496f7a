"""try-it runs stored once; learners' last visit; rate windows by start time

Revision ID: b7d2c4e81f03
Revises: 980a96e91ade
Create Date: 2026-11-27 01:40:00.000000

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d2c4e81f03'
down_revision = '980a96e91ade'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.create_index(batch_op.f('ix_learners_last_seen_at'), ['last_seen_at'],
                              unique=False)
    with op.batch_alter_table('tryit_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('whole', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))

    # "Follow redirects" was kept in request_json, which repeated the exchange's request.
    runs = sa.table('tryit_runs', sa.column('id', sa.Integer), sa.column('follow', sa.Boolean),
                    sa.column('request_json', sa.Text))
    connection = op.get_bind()
    for run_id, request_json in connection.execute(
            sa.select(runs.c.id, runs.c.request_json)).all():
        if json.loads(request_json).get('follow'):
            connection.execute(runs.update().where(runs.c.id == run_id).values(follow=True))

    with op.batch_alter_table('tryit_runs', schema=None) as batch_op:
        batch_op.drop_column('request_json')
    # Windows were numbered per length; now they are start times. Old counts just expire.
    op.execute(sa.text('DELETE FROM rate_counters'))
    with op.batch_alter_table('rate_counters', schema=None) as batch_op:
        batch_op.alter_column('window', existing_type=sa.Integer(), type_=sa.BigInteger(),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('rate_counters', schema=None) as batch_op:
        batch_op.alter_column('window', existing_type=sa.BigInteger(), type_=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('tryit_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_json', sa.Text(), nullable=False,
                                      server_default='{}'))
    runs = sa.table('tryit_runs', sa.column('id', sa.Integer), sa.column('follow', sa.Boolean),
                    sa.column('request_json', sa.Text), sa.column('exchange_json', sa.Text))
    connection = op.get_bind()
    for run_id, follow, exchange_json in connection.execute(
            sa.select(runs.c.id, runs.c.follow, runs.c.exchange_json)).all():
        request = {**json.loads(exchange_json)['request'], 'follow': bool(follow)}
        connection.execute(runs.update().where(runs.c.id == run_id).values(
            request_json=json.dumps(request)))
    with op.batch_alter_table('tryit_runs', schema=None) as batch_op:
        batch_op.drop_column('whole')
        batch_op.drop_column('follow')
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learners_last_seen_at'))
        batch_op.drop_column('last_seen_at')
