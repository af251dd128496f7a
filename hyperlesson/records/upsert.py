"""Database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..extensions import db

UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def upsert_for(session):
    """The dialect's INSERT with ON CONFLICT, or None on a database without one."""
    return UPSERTS.get(session.get_bind().dialect.name)


def insert_once(model, **values) -> bool:
    """Insert a row unless a unique constraint says it exists. True if inserted.

    Duplicates (a double click, a replayed request, two first requests at once) are
    stopped by the database, never by a read-then-write race."""
    dialect = db.session.get_bind().dialect.name
    if dialect in UPSERTS:
        statement = _insert_unless_exists(dialect, model.__table__)
        return db.session.execute(statement, values).first() is not None
    try:  # any other database: a savepoint absorbs the duplicate
        with db.session.begin_nested():
            db.session.add(model(**values))
        return True
    except IntegrityError:
        return False


@cache
def _insert_unless_exists(dialect: str, table):
    """Built once per table: every answer and section a class sends goes through here.
    The values are the execution's parameters (columns left out take their defaults).
    RETURNING says whether a row went in: rowcount cannot, as PostgreSQL's driver reports
    -1 under SQLAlchemy's own RETURNING. On the table, not the model: a Core statement
    skips the ORM's bulk-insert path."""
    return UPSERTS[dialect](table).on_conflict_do_nothing().returning(
        *table.primary_key.columns)
