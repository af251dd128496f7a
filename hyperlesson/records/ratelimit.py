"""A request-rate limit kept in the database, so every worker and host counts together.

hit() counts in the caller's transaction and does not commit: the view commits, with
whatever the counted request stored."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache

from sqlalchemy import ScalarSelect, bindparam, case, select

from ..extensions import db
from .models import RateCounter
from .upsert import UPSERTS


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends
    read: object = None  # what hit(read=...) read along with the count


def hit(key: str, limit: int, window_seconds: int = 60, now: float | None = None, *,
        read: ScalarSelect | None = None, params: dict | None = None) -> Verdict:
    """Count one request for `key`; refused once more than `limit` fall in one window.

    `read`, a scalar subquery built once (with its bound `params`), is read in the same
    statement as the count where the database has an upsert (one round trip, not two),
    and given back as Verdict.read: what a request needs as soon as it is counted."""
    now = time.time() if now is None else now
    window = int(now // window_seconds) * window_seconds  # when this window started
    statement = _counting_statement(db.session.get_bind().dialect.name, read)
    value = None
    if statement is not None:  # one statement: count, and read the count back
        values = {"counter_key": key, "window_start": window, **(params or {})}
        count, *rest = db.session.execute(statement, values).one()
        value = rest[0] if rest else None
    else:  # other databases: a row lock keeps the read and the write together
        row = db.session.scalar(select(RateCounter).filter_by(key=key).with_for_update())
        if row is None:
            row = RateCounter(key=key, window=window, count=1)
            db.session.add(row)
        elif row.window == window:
            row.count += 1
        else:
            row.window, row.count = window, 1
        count = row.count
        value = None if read is None else db.session.scalar(select(read), params)
    retry_after = int(window + window_seconds - now) + 1
    return Verdict(count <= limit, retry_after, value)




@cache
def _counting_statement(dialect: str, read: ScalarSelect | None = None):
    """INSERT ... ON CONFLICT DO UPDATE ... RETURNING count (and `read`), built once per
    dialect and read; None where the dialect has no upsert."""
    insert = UPSERTS.get(dialect)
    if insert is None:
        return None
    # Not named after the columns: those names are the VALUES clause's own.
    counters, window = RateCounter.__table__, bindparam("window_start")
    return insert(counters).values(key=bindparam("counter_key"), window=window, count=1) \
        .on_conflict_do_update(index_elements=["key"], set_={
            "count": case((counters.c.window == window, counters.c.count + 1), else_=1),
            "window": window,
        }).returning(counters.c.count, *(() if read is None else (read,)))


@dataclass(frozen=True)
class FailureLimit:
    """At most `allowed` failures (wrong passwords, wrong codes) for `key` per window."""

    key: str
    allowed: int
    window_seconds: int


def failures_spent(limits: list[FailureLimit], now: float | None = None) -> int | None:
    """Seconds to wait when any of `limits` has had all its failures; None otherwise.
    Nothing is counted: only a failure is (count_failure)."""
    now = time.time() if now is None else now
    for limit in limits:
        window = int(now // limit.window_seconds) * limit.window_seconds
        row = db.session.execute(select(RateCounter.window, RateCounter.count)
                                 .filter_by(key=limit.key)).first()
        if row is not None and row.window == window and row.count >= limit.allowed:
            return int(window + limit.window_seconds - now) + 1
    return None


def count_failure(limits: list[FailureLimit]) -> None:
    for limit in limits:
        hit(limit.key, limit.allowed, limit.window_seconds)


def minutes_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
