"""A learner's try-it runs: the last few are kept, to list, show and send again.
Every query is scoped to the learner it is given; each run is stored once, within the
byte budget of tryit/keep.py."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select

from ..extensions import db
from ..tryit.keep import kept_exchange
from ..tryit.request import TryRequest
from ..tryit.result import Exchange
from ..tryit.statuses import status_class
from .models import Learner, TryItRun

KEEP = 10


@dataclass(frozen=True)
class RunSummary:
    """A line of the history list."""

    id: int
    summary: str  # "GET /sandbox/users/1"
    status: int

    @property
    def status_class(self) -> str:
        return status_class(self.status)


@dataclass(frozen=True)
class Run:
    id: int
    follow: bool
    exchange: Exchange
    whole: bool  # False: a long body or header was cut when stored; not sent again

    @property
    def request(self) -> TryRequest:
        return self.exchange.request


def _to_run(row: TryItRun) -> Run:
    return Run(row.id, row.follow, Exchange.from_dict(json.loads(row.exchange_json)), row.whole)


def save_run(learner: Learner, follow: bool, exchange: Exchange) -> int:
    kept, whole = kept_exchange(exchange)
    request = kept.request
    run_id = db.session.execute(_INSERT_RUN, {
        "learner_id": learner.id, "follow": follow, "whole": whole,
        "exchange_json": json.dumps(kept.to_dict(), ensure_ascii=False),
        "summary": f"{request.method} {request.path}"[:200],
        "status": exchange.response.status}).scalar_one()
    keep_newest(learner)
    return run_id


_RUNS = TryItRun.__table__
# Built once, like the other statements every send runs (records/lesson_records.py).
_INSERT_RUN = insert(_RUNS).returning(_RUNS.c.id)  # the columns: the execution's values
_OLDEST_KEPT = (select(_RUNS.c.id).where(_RUNS.c.learner_id == bindparam("learner_id"))
                .order_by(_RUNS.c.id.desc()).offset(KEEP - 1).limit(1).scalar_subquery())
_DROP_OLDER = delete(_RUNS).where(_RUNS.c.learner_id == bindparam("learner_id"),
                                  _RUNS.c.id < _OLDEST_KEPT)
_RECENT = (select(_RUNS.c.id, _RUNS.c.summary, _RUNS.c.status)
           .where(_RUNS.c.learner_id == bindparam("learner_id"))
           .order_by(_RUNS.c.id.desc()).limit(KEEP))


def keep_newest(learner: Learner) -> None:
    """Delete all but the learner's KEEP newest runs, in one statement."""
    db.session.execute(_DROP_OLDER, {"learner_id": learner.id})


def recent_runs(learner: Learner | None) -> list[RunSummary]:
    if learner is None:
        return []
    return [RunSummary(*row) for row in db.session.execute(_RECENT, {"learner_id": learner.id})]


def find_run(learner: Learner | None, run_id: int) -> Run | None:
    """One of this learner's runs; another learner's id (or no id at all) finds nothing."""
    if learner is None or not 0 < run_id < 2**63:  # beyond SQL's integers: not an id
        return None
    row = db.session.scalar(select(TryItRun).filter_by(id=run_id, learner_id=learner.id))
    return _to_run(row) if row is not None else None
