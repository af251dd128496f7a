"""Recording exchanges for tasks, and the tasks a learner has done.

The sandbox hands over each answer to a request that carried a learner's key and that
some task's method and path fit (web/task_recorder.py decides); they wait a moment in
their process (web/pending_exchanges.py) and `record_exchanges` writes them together, in
one transaction: an INSERT ... SELECT by the key for each, so a key that is no learner's
(the shared "public" one, a made-up one) stores nothing; then each learner's rows beyond
their newest KEEP_PER_LEARNER are dropped, and the oldest rows of all beyond the
server's ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select

from ..extensions import db
from ..task_check import Exchange
from ..timestamps import utcnow
from .models import Learner
from .task_models import TaskDone, TaskExchange
from .upsert import insert_once

KEEP_PER_LEARNER = 20  # newest exchanges kept per learner: the rest are dropped

_TABLE, _LEARNERS = TaskExchange.__table__, Learner.__table__
# On the tables, not the models: Core statements skip the ORM's bulk-insert path.
_LEARNER_OF_KEY = (select(_LEARNERS.c.id).where(_LEARNERS.c.sandbox_key == bindparam("key"))
                   .scalar_subquery())
# Typed, so the time is stored as every other time is (UTCDateTime).
_RECORD = insert(_TABLE).from_select(
    ["learner_id", "data", "created_at"],
    select(_LEARNERS.c.id, bindparam("data", type_=_TABLE.c.data.type),
           bindparam("now", type_=_TABLE.c.created_at.type))
    .where(_LEARNERS.c.sandbox_key == bindparam("key")))
# The key's learner's rows older than their newest KEEP_PER_LEARNER.
_TRIM = delete(_TABLE).where(
    _TABLE.c.learner_id == _LEARNER_OF_KEY,
    _TABLE.c.id < (select(_TABLE.c.id).where(_TABLE.c.learner_id == _LEARNER_OF_KEY)
                   .order_by(_TABLE.c.id.desc()).limit(1).offset(KEEP_PER_LEARNER - 1)
                   .scalar_subquery()))
# Ids only grow: those more than `ceiling` below the newest are the oldest.
_OVER_CEILING = delete(_TABLE).where(
    _TABLE.c.id <= select(func.max(_TABLE.c.id)).scalar_subquery() - bindparam("ceiling"))


def record_exchanges(batch: Sequence[tuple[str, Exchange]], ceiling: int) -> None:
    """Store each (sandbox key, exchange) of `batch`, oldest first, for the learner whose
    key it is, committed on a connection of its own (Core, not the ORM session: the
    session's bookkeeping cost more than the INSERT); then keep each of those learners'
    newest KEEP_PER_LEARNER, and the newest `ceiling` rows of all."""
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(_RECORD, [{"key": key, "data": exchange.to_json(), "now": now}
                                     for key, exchange in batch])
        connection.execute(_TRIM, [{"key": key} for key in dict.fromkeys(
            key for key, _exchange in batch)])
        connection.execute(_OVER_CEILING, {"ceiling": ceiling})


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
           "record_exchanges"]
