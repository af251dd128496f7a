"""Removing what nobody uses any more: idle anonymous learners with all their records
(an account's learner is kept until the account is deleted),
idle sandbox datasets and the exchanges recorded for tasks as long ago, and rate
counters whose window is over. `flask purge` runs it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..sandbox.store import drop_datasets, purge_idle
from ..timestamps import utcnow
from .models import Account, Learner, RateCounter
from .task_records import purge_exchanges

CHUNK = 500  # ids per DELETE: well under every database's limit on bound parameters
COUNTER_DAYS = 1  # no window is longer than a day: a counter begun a day ago is over


@dataclass(frozen=True)
class Purged:
    learners: int
    datasets: int
    counters: int


def purge(*, learners_idle: timedelta, one_visit_idle: timedelta, sandbox_idle: timedelta,
          now: datetime | None = None) -> Purged:
    """Delete learners not seen for `learners_idle`, or for `one_visit_idle` when all
    they did was on one day (their answers, progress and try-it runs go with them, by
    ON DELETE CASCADE, and so does their sandbox dataset); datasets not written for
    `sandbox_idle`; and spent rate counters. Commits."""
    now = now or utcnow()  # aware, like every stored time (a naive one is refused)
    # Date arithmetic differs between databases: the one-day test is made here.
    rows = db.session.execute(select(
        Learner.id, Learner.sandbox_key, Learner.created_at, Learner.last_seen_at).where(
        Learner.last_seen_at < now - min(learners_idle, one_visit_idle),
        Learner.id.not_in(select(Account.learner_id)))).all()  # accounts are kept
    idle = [row for row in rows if row.last_seen_at < now - learners_idle
            or (row.last_seen_at < now - one_visit_idle
                and row.last_seen_at - row.created_at < timedelta(days=1))]
    delete_learners(idle)
    db.session.commit()
    datasets = purge_idle(now - sandbox_idle)
    purge_exchanges(now - sandbox_idle)  # a learner's are gone with them already (cascade)
    stale = now.timestamp() - COUNTER_DAYS * 86400
    counters = db.session.execute(delete(RateCounter).where(RateCounter.window < stale))
    db.session.commit()
    return Purged(learners=len(idle), datasets=datasets, counters=counters.rowcount or 0)


def delete_learners(rows) -> None:
    """Delete these learners (rows with .id and .sandbox_key) with everything they did
    and their sandbox datasets, in the caller's transaction."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        db.session.execute(delete(Learner).where(Learner.id.in_([row.id for row in chunk])))
        drop_datasets([row.sandbox_key for row in chunk])
