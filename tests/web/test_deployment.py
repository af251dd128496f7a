"""Deployment choices that protect a school: the sandbox on an origin of its own,
trusted proxies, and a database file only the server can read."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from hyperlesson.config import sandbox_origin
from tests.conftest import make_app

from .helpers import HTMX, csrf_token

SANDBOX = "http://sandbox.school.test:5001"


@pytest.fixture
def own_origin_app(tmp_path, migrated_db):
    path = tmp_path / "origin.db"
    shutil.copy(migrated_db, path)
    return make_app(path, SANDBOX_ORIGIN=SANDBOX)


def test_the_sandbox_answers_on_its_own_origin_only(own_origin_app):
    client = own_origin_app.test_client()
    answer = client.get("/sandbox/get?x=1", base_url=SANDBOX)
    assert answer.status_code == 200
    assert answer.get_json()["url"] == f"{SANDBOX}/sandbox/get?x=1"
    assert client.get("/sandbox/redirect/1", base_url=SANDBOX).headers["Location"] \
        == "/sandbox/get"
    # The lesson server's pages are not there: nothing of the app shares that origin.
    for path in ("/", "/learn/python-backend/http-basics", "/static/css/app.css"):
        assert client.get(path, base_url=SANDBOX).status_code == 404, path


def test_the_app_origin_sends_sandbox_requests_to_the_sandbox_origin(own_origin_app):
    client = own_origin_app.test_client()
    moved = client.get("/sandbox/anything/caf%C3%A9?a=1")
    assert moved.status_code == 308
    assert moved.headers["Location"] == f"{SANDBOX}/sandbox/anything/caf%C3%A9?a=1"
    assert client.get("/").status_code == 200


def test_the_panel_shows_the_sandbox_origin_in_urls_and_snippets(own_origin_app):
    client = own_origin_app.test_client()
    response = client.post("/tryit/send", headers=HTMX, data={
        "csrf_token": csrf_token(client, "/tryit"), "method": "GET",
        "path": "/sandbox/absolute-redirect/1", "follow": "1"})
    text = response.get_data(as_text=True)
    assert "200 OK" in text
    assert f"{SANDBOX}/sandbox/absolute-redirect/1" in text  # the snippets' URL
    assert f"{SANDBOX}/sandbox/get" in text  # the hop's Location, followed in-process
    assert f"reach it at <code>{SANDBOX}/sandbox/</code>" in client.get("/tryit").get_data(
        as_text=True)


@pytest.mark.parametrize("value", ["school.lan:5001", "ftp://x", "http://x/path",
                                   "http://user@x", "http://x?y"])
def test_a_malformed_sandbox_origin_stops_the_start(value):
    with pytest.raises(ValueError, match="HYPERLESSON_SANDBOX_ORIGIN"):
        sandbox_origin(value)


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(tmp_path, migrated_db):
    def learners_made(app) -> list[int]:
        statuses = []
        for forwarded in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            client = app.test_client()
            token = csrf_token(client)
            statuses.append(client.post(
                "/learn/python-backend/http-basics/sections/what-is-http/reached",
                data={"csrf_token": token},
                headers={**HTMX, "X-Forwarded-For": forwarded}).status_code)
        return statuses

    for name, proxies, expected in (("direct", 0, [200, 429, 429]),
                                    ("proxied", 1, [200, 200, 200])):
        path = tmp_path / f"{name}.db"
        shutil.copy(migrated_db, path)
        app = make_app(path, TRUSTED_PROXIES=proxies, NEW_LEARNERS_PER_NETWORK_PER_HOUR=1)
        assert learners_made(app) == expected, name


def test_the_database_files_are_readable_by_the_server_only(tmp_path):
    path = tmp_path / "fresh" / "app.db"
    app = make_app(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                assert stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode) == 0o600
    os.chmod(path, 0o644)  # a database made by an older version
    make_app(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_connections_to_a_database_server_are_checked_as_they_leave_the_pool(tmp_path):
    """A server's connections can drop (a restart, an idle timeout): pinged before use.
    A SQLite file has none to lose, so no request pays for the ping; an operator's own
    engine options win either way."""
    from hyperlesson import create_app

    def options(uri: str, **extra) -> dict:
        app = create_app({"SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": uri, **extra})
        return app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})

    server = "postgresql+psycopg://hyperlesson@/school?host=/nonexistent"  # never reached
    assert options(server)["pool_pre_ping"] is True
    assert "pool_pre_ping" not in options(f"sqlite:///{tmp_path / 'file.db'}")
    assert options(server, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False}) == {
        "pool_pre_ping": False}
