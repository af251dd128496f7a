"""The serving model (hyperlesson/gunicorn_conf.py): what a class does to a server must
not stall the pages. Slow clients and slow sandbox requests each hold a thread, never a whole
worker. Functional checks, not timings: with the old model (one request per process)
/healthz did not answer at all until gunicorn killed the stuck workers. The times are
measured by `make bench` and `make load`."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from contextlib import ExitStack, closing
from html import unescape

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


# gunicorn hands the app the URL's own bytes (PEP 3333), where Werkzeug's servers decode
# them first. The panel must hand over the same, or a path that is not UTF-8 reads one
# way in the panel and another from curl.
@pytest.mark.parametrize("path", ["/sandbox/anything/%FF", "/sandbox/anything/%C3",
                                  "/sandbox/anything/%E2%82%AC%FF", "/sandbox/anything/%E2%82%AC",
                                  "/sandbox/anything/%C3%A9?q=%FF"])
def test_the_sandbox_reads_a_path_from_the_panel_as_from_the_server(server, path):
    url, port = server
    with closing(socket.create_connection(("127.0.0.1", port), timeout=10)) as raw:
        raw.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    "Connection: close\r\n\r\n".encode())
        answer = b"".join(iter(lambda: raw.recv(65536), b""))
    from_server = json.loads(answer.partition(b"\r\n\r\n")[2])["url"]
    learner = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      learner.get(f"{url}/tryit", timeout=10).text).group(1)
    shown = unescape(learner.post(f"{url}/tryit/send", headers={"HX-Request": "true"}, timeout=10,
                                  data={"csrf_token": token, "method": "GET", "path": path}).text)
    in_panel = json.loads('"' + re.search(r'"url": "(.*?)"', shown).group(1) + '"')
    assert in_panel == from_server
