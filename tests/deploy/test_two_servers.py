"""Two app servers, as two hosts behind a load balancer would run them, on one PostgreSQL:
whatever one server stores or counts, the other sees. Runs when TEST_DATABASE_URL names
a PostgreSQL server (`make test-postgres`, which CI runs through scripts/with-postgres)."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import closing

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hyperlesson.content import load_catalog
from tests.conftest import EXTERNAL_DB, PROJECT_LESSONS, REPOSITORY
from tests.web.helpers import LESSON

pytestmark = pytest.mark.skipif(
    not (EXTERNAL_DB or "").startswith("postgresql"),
    reason="needs TEST_DATABASE_URL=postgresql+psycopg://... "
           "(scripts/with-postgres make test-postgres starts a throwaway one)")

RATE_LIMIT = 4  # try-it sends per learner and minute, on both servers together
ANSWERED = 'class="question is-done"'
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def database_url():
    """A new database on the test server: the upgrade below starts from nothing."""
    server = make_url(EXTERNAL_DB)
    name = f"hyperlesson_hosts_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="module")
def host_env(database_url):
    """What each host's service gets (docs/deploy.md): the database and one secret key."""
    return {**os.environ, "DATABASE_URL": database_url,
            "HYPERLESSON_SECRET_KEY": secrets.token_hex(32),
            "HYPERLESSON_TRYIT_RATE_LIMIT": str(RATE_LIMIT),
            "HYPERLESSON_LESSON_CACHE": "false"}  # nothing written into the project


def flask(env, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args],
                            cwd=REPOSITORY, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def waiting_for_the_lock(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))


@pytest.fixture(scope="module")
def migrated(database_url, host_env):
    """Both hosts run `flask db upgrade` at the same moment: one migrates, the other
    waits for it and finds nothing to do."""
    engine = create_engine(database_url)
    with engine.connect() as holder:
        # Hold the migrations' lock so that both upgrades are surely running at once.
        holder.execute(text("SELECT pg_advisory_lock(x'68796C65'::int)"))
        upgrades = [flask(host_env, "db", "upgrade") for _ in range(2)]
        deadline = time.monotonic() + 60
        while waiting_for_the_lock(engine) < 2:
            assert time.monotonic() < deadline, "the upgrades never waited for each other"
            assert all(p.poll() is None for p in upgrades), [p.communicate() for p in upgrades]
            time.sleep(0.1)
        holder.execute(text("SELECT pg_advisory_unlock(x'68796C65'::int)"))
        holder.commit()
    outputs = [p.communicate(timeout=120) for p in upgrades]
    assert [p.returncode for p in upgrades] == [0, 0], outputs
    yield [stderr for _, stderr in outputs]
    engine.dispose()


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def hosts(migrated, host_env):
    """Two gunicorn servers started as the systemd unit starts them, on two ports."""
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:hyperlesson.gunicorn_conf",
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=REPOSITORY, env=host_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, server in zip(urls, servers, strict=True):
            wait_until_up(url, server)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or booting
            time.sleep(0.2)
    pytest.fail(f"{url} did not start")


def token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=10).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_schema_was_migrated_once(migrated, database_url):
    ran = [stderr for stderr in migrated if "Running upgrade  ->" in stderr]
    assert len(ran) == 1, migrated
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert len(connection.execute(text("SELECT * FROM alembic_version")).all()) == 1
    engine.dispose()


def test_an_answer_given_on_one_host_shows_on_the_other(hosts):
    one, other = hosts
    browser = requests.Session()
    correct = load_catalog(PROJECT_LESSONS).lesson("python-backend", "http-basics") \
        .question("q1").correct_key
    answered = browser.post(f"{one}{LESSON}/quiz/q1", allow_redirects=False, timeout=10,
                            data={"csrf_token": token(browser, f"{one}{LESSON}"),
                                  "choice": correct})
    assert answered.status_code == 303
    assert ANSWERED in browser.get(f"{other}{LESSON}", timeout=10).text
    assert ANSWERED not in requests.get(f"{other}{LESSON}", timeout=10).text  # another


def test_a_login_on_one_host_holds_on_the_other_and_logout_ends_it_on_both(hosts):
    one, other = hosts
    browser = requests.Session()
    signed_up = browser.post(f"{one}/signup", allow_redirects=False, timeout=10, data={
        "csrf_token": token(browser, f"{one}/signup"), "username": "Grace",
        "password": PASSWORD, "confirm": PASSWORD})
    assert signed_up.status_code == 303
    assert "Logged in as <strong>Grace</strong>" in browser.get(f"{other}/me", timeout=10).text
    kept = dict(browser.cookies)  # a copy of the cookie, as a thief would keep it
    out = browser.post(f"{other}/logout", data={"csrf_token": token(browser, f"{other}/me")},
                       allow_redirects=False, timeout=10)
    assert out.status_code == 303
    stale = requests.get(f"{one}/me", cookies=kept, allow_redirects=False, timeout=10)
    assert stale.status_code == 303 and "/login" in stale.headers["Location"]


def test_the_try_it_limit_counts_both_hosts_together(hosts):
    one, other = hosts
    if time.time() % 60 > 50:  # the limit's window is a clock minute: start in a fresh one
        time.sleep(61 - time.time() % 60)
    browser = requests.Session()
    csrf = token(browser, f"{one}/tryit")

    def send(host: str) -> int:
        return browser.post(f"{host}/tryit/send", headers={"HX-Request": "true"}, timeout=10,
                            data={"csrf_token": csrf, "method": "GET",
                                  "path": "/sandbox/get", "body": ""}).status_code

    assert [send(host) for host in (one, other) * (RATE_LIMIT // 2)] == [200] * RATE_LIMIT
    assert send(one) == 429 and send(other) == 429
