"""The serving model (hyperlesson/gunicorn_conf.py): what a class does to a server must
not stall the pages. Slow clients and slow sandbox requests each hold a thread, never a whole
worker. Functional checks, not timings: with the old model (one request per process)
/healthz did not answer at all until gunicorn killed the stuck workers. The times are
measured by `make bench` and `make load`."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from contextlib import ExitStack, closing

import pytest
import requests

from tests.conftest import REPOSITORY

from .test_two_servers import free_port, wait_until_up

WORKERS = 2
SLOW_CLIENTS = 5  # as the issue had it: five held all four sync workers
SLOW_REQUESTS = 12  # a class at the delay step: more than any worker count


@pytest.fixture(scope="module")
def server(tmp_path_factory, migrated_db):
    """The app as `make serve` starts it: hyperlesson/gunicorn_conf.py, on a copy of the schema."""
    folder = tmp_path_factory.mktemp("serving")
    shutil.copy(migrated_db, folder / "app.db")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
           "HYPERLESSON_SECRET_KEY": secrets.token_hex(32),
           "HYPERLESSON_LESSON_CACHE": "false", "WORKERS": str(WORKERS),
           "HOST": "127.0.0.1", "PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:hyperlesson.gunicorn_conf",
         "app:create_app()"], cwd=REPOSITORY, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_slow_clients_leave_the_pages_free(server):
    """Connections that stop halfway through their headers hold a thread each, not a
    worker. (Many more than the threads: a reverse proxy, docs/deploy.md.)"""
    url, port = server
    with ExitStack() as stack:
        for _ in range(SLOW_CLIENTS):
            slow = stack.enter_context(closing(socket.create_connection(("127.0.0.1", port))))
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and no more
        for _ in range(3):
            assert requests.get(f"{url}/healthz", timeout=10).status_code == 200


def test_slow_sandbox_requests_leave_the_pages_free(server):
    """A class reaching the lesson's /sandbox/delay step together."""
    url, _port = server
    stuck = [threading.Thread(target=requests.get, args=(f"{url}/sandbox/delay/3",),
                              kwargs={"timeout": 30}) for _ in range(SLOW_REQUESTS)]
    for thread in stuck:
        thread.start()
    try:
        page = requests.get(f"{url}/learn/python-backend/http-basics", timeout=10)
        assert page.status_code == 200
    finally:
        for thread in stuck:
            thread.join()
