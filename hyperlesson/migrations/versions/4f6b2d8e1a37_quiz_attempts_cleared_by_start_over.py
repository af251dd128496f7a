"""quiz attempts cleared by "Start over" are kept for the teacher

Revision ID: 4f6b2d8e1a37
Revises: ebe0f10d0b42
Create Date: 2026-11-27 10:40:00.000000

"Start over" deleted a learner's attempts, so a wrong first try vanished from the
teacher's figures. Now it sets `cleared_at`; only uncleared attempts must be unique (the
same choice can be made again after starting over), so the unique constraint becomes a
partial unique index, which SQLite and PostgreSQL both enforce and ON CONFLICT honours.
Batch mode copies `quiz_attempts` on SQLite; nothing references it, so no cascade runs.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4f6b2d8e1a37'
down_revision = 'ebe0f10d0b42'
branch_labels = None
depends_on = None

LIVE = sa.text('cleared_at IS NULL')


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_quiz_attempts_once', type_='unique')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('uq_quiz_attempts_once',
                              ['learner_id', 'lesson_key', 'question_id', 'choice'],
                              unique=True, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    # The old schema cannot hold a cleared attempt beside the same choice made again:
    # the cleared ones go, as "Start over" used to delete them.
    op.execute("DELETE FROM quiz_attempts WHERE cleared_at IS NOT NULL")
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempts_once')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_quiz_attempts_once', ['learner_id', 'lesson_key', 'question_id', 'choice'])
        batch_op.drop_column('cleared_at')
