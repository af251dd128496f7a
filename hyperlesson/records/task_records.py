"""Recording exchanges for tasks, and the tasks a learner has done.

The sandbox calls `record_exchange` after answering a request that carried a learner's
key and that some task's method and path fit (web/task_recorder.py decides). It is one
INSERT ... SELECT, so a key that is no learner's (the shared "public" one, a made-up
one) stores nothing; the learner's oldest rows beyond the newest few are dropped in the
same transaction, and the oldest rows of all beyond the server's ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, insert, select

from ..extensions import db
from ..task_check import Exchange
from ..timestamps import utcnow
from .models import Learner
from .task_models import TaskDone, TaskExchange
from .upsert import insert_once

KEEP_PER_LEARNER = 20  # newest exchanges kept per learner: the rest are dropped


def _record_statement():
    # On the tables, not the models: a Core statement skips the ORM's bulk-insert path.
    table, learners = TaskExchange.__table__, Learner.__table__
    # Typed, so the time is stored as every other time is (UTCDateTime).
    chosen = select(learners.c.id, bindparam("data", type_=table.c.data.type),
                    bindparam("now", type_=table.c.created_at.type)).where(
        learners.c.sandbox_key == bindparam("key"))
    return (insert(table).from_select(["learner_id", "data", "created_at"], chosen)
            .returning(table.c.id, table.c.learner_id))


def _trim_statement():
    """The learner's rows older than their newest KEEP_PER_LEARNER."""
    table = TaskExchange.__table__
    oldest_kept = (select(table.c.id).where(table.c.learner_id == bindparam("learner"))
                   .order_by(table.c.id.desc()).limit(1).offset(KEEP_PER_LEARNER - 1)
                   .scalar_subquery())
    return delete(table).where(table.c.learner_id == bindparam("learner"),
                               table.c.id < oldest_kept)


_RECORD, _TRIM = _record_statement(), _trim_statement()
_OVER_CEILING = delete(TaskExchange.__table__).where(
    TaskExchange.__table__.c.id <= bindparam("oldest_dropped"))
# The trims run on one insert in TRIM_EVERY (by id): recording stays one small INSERT
# on most requests, and a learner keeps KEEP_PER_LEARNER plus at most a few more.
TRIM_EVERY = 4


def record_exchange(sandbox_key: str, exchange: Exchange, ceiling: int) -> bool:
    """Store `exchange` for the learner whose sandbox key this is, committed on a
    connection of its own (Core, not the ORM session: this runs after sandbox answers
    that otherwise touch no table, and the session's bookkeeping cost more than the
    INSERT). False when the key is no learner's. `ceiling`: the most rows kept in all."""
    with db.engine.begin() as connection:
        row = connection.execute(_RECORD, {"key": sandbox_key, "data": exchange.to_json(),
                                           "now": utcnow()}).first()
        if row is None:
            return False
        new_id, learner_id = row
        if new_id % TRIM_EVERY == 0:
            connection.execute(_TRIM, {"learner": learner_id})
            if new_id > ceiling:  # ids only grow: those below new_id - ceiling are oldest
                connection.execute(_OVER_CEILING, {"oldest_dropped": new_id - ceiling})
    return True


_NEWEST = select(func.max(TaskExchange.__table__.c.id)).where(
    TaskExchange.__table__.c.learner_id == bindparam("learner_id"))
_NEWEST_BY_TOKEN = select(func.max(TaskExchange.__table__.c.id)).join(
    Learner.__table__, Learner.__table__.c.id == TaskExchange.__table__.c.learner_id).where(
    Learner.__table__.c.token == bindparam("token"))


def newest_exchange_id(learner_id: int | None = None, token: str | None = None) -> int:
    """What a task poll compares: a new exchange is a new id (0: none yet). By the
    learner's id, or by their session token: one query for an anonymous learner's poll,
    with no learner loaded."""
    if learner_id is not None:
        statement, params = _NEWEST, {"learner_id": learner_id}
    elif token is not None:
        statement, params = _NEWEST_BY_TOKEN, {"token": token}
    else:
        return 0
    return db.session.connection().execute(statement, params).scalar() or 0


def mark_done(learner: Learner, lesson_key: str, task_ids: Iterable[str]) -> None:
    for task_id in sorted(task_ids):
        insert_once(TaskDone, learner_id=learner.id, lesson_key=lesson_key, task_id=task_id)


def purge_exchanges(before) -> int:
    """Drop exchanges older than `before` (they are graded when a page or poll reads them,
    so an idle one has had its chance); returns how many."""
    result = db.session.execute(delete(TaskExchange).where(TaskExchange.created_at < before))
    return result.rowcount or 0


__all__ = ["KEEP_PER_LEARNER", "mark_done", "newest_exchange_id", "purge_exchanges",
           "record_exchange"]
