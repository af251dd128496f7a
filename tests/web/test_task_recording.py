"""Recording exchanges for tasks: written in batches a moment later, or at once when a
page of the same process reads them; bounded per learner and in all; nothing lost when
the server stops cleanly; a forked worker writes nothing of its parent's."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from hyperlesson.extensions import db
from hyperlesson.records.lesson_records import page_state
from hyperlesson.records.models import Learner
from hyperlesson.records.task_models import TaskDone, TaskExchange
from hyperlesson.records.task_records import KEEP_PER_LEARNER
from hyperlesson.task_check import Exchange
from hyperlesson.web import pending_exchanges
from hyperlesson.web.pending_exchanges import EXTENSION

from ..conftest import REPOSITORY
from .test_tasks import LESSON, learner_key

DELETE = "task-delete-a-user-and-get-204"


def stored(app) -> list[Exchange]:
    with app.app_context():
        rows = db.session.scalars(select(TaskExchange.data).order_by(TaskExchange.id))
        return [Exchange.from_json(data) for data in rows]


def test_an_exchange_is_written_a_moment_later_with_no_page_read(app, client):
    key = learner_key(client)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    deadline = time.monotonic() + 5
    while not stored(app) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [e.path for e in stored(app)] == ["/sandbox/users/2"]


def test_a_learners_log_keeps_exactly_their_newest(app, client):
    key = learner_key(client)
    for number in range(KEEP_PER_LEARNER + 7):
        client.get(f"/sandbox/users/{number}", headers={"X-Sandbox-Key": key})
    client.get(LESSON)  # the page writes what waits before it reads
    paths = [e.path for e in stored(app)]
    assert paths == [f"/sandbox/users/{n}" for n in range(7, KEEP_PER_LEARNER + 7)]


def test_the_ceiling_keeps_the_newest_of_all(app):
    app.config["MAX_TASK_EXCHANGES"] = 5
    first, second = app.test_client(), app.test_client()
    keys = [learner_key(first), learner_key(second)]
    for number in range(8):
        first.get(f"/sandbox/users/{number}", headers={"X-Sandbox-Key": keys[number % 2]})
    first.get(LESSON)
    assert [e.path for e in stored(app)] == [f"/sandbox/users/{n}" for n in range(3, 8)]


def test_reading_a_lesson_state_commits_nothing(app, client):
    key = learner_key(client)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    with app.app_context():
        app.extensions[EXTENSION].write()
        learner = db.session.scalar(select(Learner).filter_by(sandbox_key=key))
        lesson = app.extensions["catalog"].lesson("python-backend", "rest-api")
        assert DELETE in page_state(learner, lesson).lesson.tasks.newly_done
        db.session.rollback()
        assert db.session.query(TaskDone).count() == 0
    client.get(LESSON)  # the view commits what it found done
    with app.app_context():
        assert db.session.query(TaskDone).count() == 1


def test_a_forked_worker_writes_nothing_of_its_parents(app, client, monkeypatch):
    key = learner_key(client)
    monkeypatch.setattr(pending_exchanges.threading, "Timer", _NeverFires)
    parent = 4242
    monkeypatch.setattr(pending_exchanges.os, "getpid", lambda: parent)
    pending = pending_exchanges.PendingExchanges(app, lambda exchange: exchange)
    pending.add(key, Exchange("GET", "/sandbox/users/1"))
    parent = 4243  # gunicorn forked: this is a worker now
    pending.write()
    assert stored(app) == []
    pending.add(key, Exchange("GET", "/sandbox/users/2"))
    pending.write()
    assert [e.path for e in stored(app)] == ["/sandbox/users/2"]


def test_a_full_queue_is_written_by_the_request_that_fills_it(app, client, monkeypatch):
    key = learner_key(client)
    monkeypatch.setattr(pending_exchanges.threading, "Timer", _NeverFires)
    monkeypatch.setattr(pending_exchanges, "MAX_PENDING", 3)
    for number in range(2):
        client.get(f"/sandbox/users/{number}", headers={"X-Sandbox-Key": key})
    assert stored(app) == []  # waiting for a timer that never fires
    client.get("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    assert [e.path for e in stored(app)] == [f"/sandbox/users/{n}" for n in range(3)]


class _NeverFires:
    def __init__(self, *_args) -> None:
        pass

    def start(self) -> None:
        pass


SHUTDOWN = """
import json, sys
from tests.conftest import make_app
app = make_app(sys.argv[1])
answer = app.test_client().delete("/sandbox/users/2", headers={"X-Sandbox-Key": sys.argv[2]})
print(json.dumps(answer.status_code))
"""


def test_nothing_waiting_is_lost_when_the_process_exits(app, client):
    key = learner_key(client)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    if path == app.config["SQLALCHEMY_DATABASE_URI"]:
        pytest.skip("a second process shares SQLite's file easily; the code is the same")
    done = subprocess.run([sys.executable, "-c", SHUTDOWN, path, key], cwd=REPOSITORY,
                          capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout) == 204, done.stderr
    assert [e.path for e in stored(app)] == ["/sandbox/users/2"]


def test_only_requests_some_task_fits_are_recorded(app, client):
    key = learner_key(client)
    client.get("/sandbox/uuid", headers={"X-Sandbox-Key": key})  # no task names it
    client.post("/sandbox/users/2", headers={"X-Sandbox-Key": key})  # a task's path, not method
    client.get("/sandbox/users/7", headers={"X-Sandbox-Key": key})  # /sandbox/users/{id}
    client.get(LESSON)
    assert [(e.method, e.path) for e in stored(app)] == [("GET", "/sandbox/users/7")]
