"""Exchanges recorded for tasks, held briefly in this process and written in batches.

A sandbox request that a task fits used to pay its own INSERT and commit, which halved
the sandbox's throughput. Now the request only appends what it captured here; the rows
are written together, on a connection of their own:

- WRITE_AFTER seconds after the first one waits (a timer thread), so another worker's
  or host's page and poll see them within that much;
- at once when a view of this process is about to read them (`write_pending`: the
  lesson page, the task poll, the panel's answer, "My progress", a login that merges
  a device's learner), so what this process recorded is never missed by what it shows
  next;
- at once, by the request that makes MAX_PENDING wait (memory stays bounded under a
  flood; web/task_recorder.py rolls back the sandbox's session first, so the batch
  waits for no lock of its own request);
- on a clean shutdown: the timer thread is not a daemon, so the interpreter waits for
  it before exiting (gunicorn's workers exit through sys.exit).

Of a learner's exchanges in a batch only the newest KEEP_PER_LEARNER are made into
rows (the older would be dropped at once), so a loop of requests costs a few rows a
batch, not one a request. gunicorn forks workers from a process that built the app: a
queue notices it is in a new process (its pid changed) and starts empty, with locks and
a timer of its own.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from ..records.task_records import KEEP_PER_LEARNER, record_exchanges
from ..task_check import Exchange

# Seconds: well within the task poll's 3. Each batch costs a thread's start and a commit
# (a 0.1 s wait cost the bench's recorded /get 2-3% more than this one).
WRITE_AFTER = 0.25
MAX_PENDING = 1000  # about 10 MB of captured exchanges at most, waiting in a process
EXTENSION = "pending_task_exchanges"

log = logging.getLogger(__name__)


class PendingExchanges:
    """(sandbox key, what was captured) in the order the sandbox answered;
    `make_exchange` turns what was captured into the Exchange to store."""

    def __init__(self, app: Flask, make_exchange: Callable[[Any], Exchange]) -> None:
        self.app, self.make_exchange = app, make_exchange
        self._start()

    def _start(self) -> None:
        self._pid = os.getpid()
        self._items: list[tuple[str, Any]] = []
        self._lock = threading.Lock()  # guards _items and _scheduled
        self._writing = threading.Lock()  # one batch at a time: ids keep the send order
        self._scheduled = False

    def add(self, sandbox_key: str, captured: Any) -> None:
        if self._pid != os.getpid():
            self._start()  # a forked worker: nothing of the parent's is ours to write
        with self._lock:
            self._items.append((sandbox_key, captured))
            full = len(self._items) >= MAX_PENDING
            schedule = not (full or self._scheduled)
            self._scheduled = self._scheduled or schedule
        if full:
            self.write()
        elif schedule:
            threading.Timer(WRITE_AFTER, self._write_when_due).start()

    def write(self) -> None:
        """Write everything waiting, in the order it was recorded. A list check when
        nothing waits (the task poll calls this every time)."""
        if not self._items or self._pid != os.getpid():
            return
        with self._writing:
            with self._lock:
                batch, self._items = self._items, []
            if not batch:
                return
            try:
                rows = [(key, self.make_exchange(captured))
                        for key, captured in newest_per_key(batch, KEEP_PER_LEARNER)]
                with self.app.app_context():
                    record_exchanges(rows, ceiling=self.app.config["MAX_TASK_EXCHANGES"])
            except SQLAlchemyError:  # the learner's answer mattered more than its record
                log.exception("could not record %d sandbox exchanges for tasks", len(batch))

    def _write_when_due(self) -> None:
        with self._lock:
            self._scheduled = False
        self.write()


def newest_per_key(batch: list[tuple[str, Any]], keep: int) -> list[tuple[str, Any]]:
    """The newest `keep` items of each key, in the batch's order."""
    count: dict[str, int] = {}
    kept = []
    for key, item in reversed(batch):
        count[key] = count.get(key, 0) + 1
        if count[key] <= keep:
            kept.append((key, item))
    kept.reverse()
    return kept


def write_pending() -> None:
    """For a view about to read a learner's exchanges: write this process's first.
    Call it before the view's own session writes (on SQLite the batch's connection
    would wait for the session's)."""
    pending = current_app.extensions.get(EXTENSION)
    if pending is not None:
        pending.write()
