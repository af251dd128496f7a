"""timestamps aware UTC everywhere: the main tables' times become timestamptz

Revision ID: 0c889ed9c1de
Revises: b7d2c4e81f03
Create Date: 2026-11-27 01:10:00.000000

The main tables stored naive UTC in `timestamp without time zone`; the sandbox tables
were already `DateTime(timezone=True)`. The stored values are UTC, so PostgreSQL reads
them as such (`USING col AT TIME ZONE 'UTC'`), whatever the session's time zone.

SQLite has no time zone type: both spellings are DATETIME there, the stored strings
are UTC already, and nothing changes on disk. This migration leaves SQLite alone on
purpose: altering a column's type there makes batch mode copy the table, and dropping
the old `learners` table with foreign keys on (they are, on every connection) runs its
ON DELETE CASCADE, which would empty quiz_attempts, sections_reached, faq_opened and
tryit_runs.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0c889ed9c1de'
down_revision = 'b7d2c4e81f03'
branch_labels = None
depends_on = None

COLUMNS = {
    'learners': ('created_at', 'last_seen_at'),
    'quiz_attempts': ('created_at',),
    'sections_reached': ('created_at',),
    'faq_opened': ('created_at',),
    'tryit_runs': ('created_at',),
}


def _alter(aware):
    if op.get_bind().dialect.name == 'sqlite':
        return  # DATETIME either way; see the docstring
    old, new = sa.DateTime(timezone=not aware), sa.DateTime(timezone=aware)
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                # naive -> aware: read the naive value as UTC; aware -> naive: its UTC.
                batch_op.alter_column(column, existing_type=old, type_=new,
                                      existing_nullable=False,
                                      postgresql_using=f"{column} AT TIME ZONE 'UTC'")


def upgrade():
    _alter(aware=True)


def downgrade():
    _alter(aware=False)
