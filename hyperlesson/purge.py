"""Removing what nobody uses any more: idle anonymous learners with all their records,
idle sandbox datasets, and rate counters whose window is over. `flask purge` runs it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from .extensions import db
from .models import Learner, RateCounter
from .sandbox.store import drop_datasets, purge_idle

CHUNK = 500  # ids per DELETE: well under every database's limit on bound parameters
COUNTER_DAYS = 1  # no window is longer than an hour: a day-old counter counts nothing


@dataclass(frozen=True)
class Purged:
    learners: int
    datasets: int
    counters: int


def purge(*, learners_idle: timedelta, sandbox_idle: timedelta,
          now: datetime | None = None) -> Purged:
    """Delete learners not seen for `learners_idle` (their answers, progress and try-it
    runs go with them, by ON DELETE CASCADE, and so does their sandbox dataset), datasets
    not written for `sandbox_idle`, and spent rate counters. Commits."""
    now = now or datetime.now(UTC)
    idle = db.session.execute(select(Learner.id, Learner.sandbox_key).where(
        Learner.last_seen_at < (now - learners_idle).replace(tzinfo=None))).all()
    for start in range(0, len(idle), CHUNK):
        chunk = idle[start:start + CHUNK]
        db.session.execute(delete(Learner).where(Learner.id.in_([row.id for row in chunk])))
        drop_datasets([row.sandbox_key for row in chunk])
    db.session.commit()
    datasets = purge_idle(now - sandbox_idle)
    stale = now.timestamp() - COUNTER_DAYS * 86400
    counters = db.session.execute(delete(RateCounter).where(RateCounter.window < stale))
    db.session.commit()
    return Purged(learners=len(idle), datasets=datasets, counters=counters.rowcount or 0)
