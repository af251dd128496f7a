"""try-it cookie jars: the cookies the sandbox set for a learner's panel

Revision ID: c3a7e1f94b26
Revises: 1d9c2e4352a0
Create Date: 2026-11-27 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a7e1f94b26'
down_revision = '1d9c2e4352a0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tryit_cookie_jars',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('cookies_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_tryit_cookie_jars_learner_id_learners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_tryit_cookie_jars'))
    )


def downgrade():
    op.drop_table('tryit_cookie_jars')
