"""accounts: a username and password that keep a learner's work

Revision ID: 5a1e3c9d7b20
Revises: 0c889ed9c1de
Create Date: 2026-11-27 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5a1e3c9d7b20'
down_revision = '0c889ed9c1de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=40), nullable=False),
        sa.Column('username_key', sa.String(length=160), nullable=False),
        sa.Column('password_hash', sa.String(length=256), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('session_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['learners.id'],
                                name=op.f('fk_accounts_learner_id_learners'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
        sa.UniqueConstraint('learner_id', name=op.f('uq_accounts_learner_id')),
        sa.UniqueConstraint('username_key', name=op.f('uq_accounts_username_key')),
    )


def downgrade():
    op.drop_table('accounts')
