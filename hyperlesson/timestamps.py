"""One timestamp convention for every table: timezone-aware UTC, written and read.

Every datetime column is a `UTCDateTime`, and every value written comes from `utcnow()`
or is another aware datetime. PostgreSQL stores `timestamptz`. SQLite has no time zone
type: SQLAlchemy stores the wall-clock digits without their offset (a +02:00 time would
silently become a UTC time two hours late) and reads back naive datetimes. So a value
is converted to UTC on its way in, a naive one is refused, and UTC is attached on the
way out: both databases hand back aware UTC, and comparisons mean the same on both.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, as an aware UTC datetime: the default of every timestamp column."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """`DateTime(timezone=True)` that takes and gives aware UTC datetimes only.

    Migrations spell it `sa.DateTime(timezone=True)` (migrations/env.py renders it so),
    and Alembic compares it by that implementation type."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"A timestamp must be a datetime, not {type(value).__name__}")
        if value.utcoffset() is None:
            raise ValueError(f"Naive datetime {value!r}: timestamps are aware UTC "
                             "(use hyperlesson.timestamps.utcnow())")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: stored as UTC, read back without an offset
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)  # PostgreSQL: in the session's time zone
