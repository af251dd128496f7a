"""A stranger with a loop and fresh cookies: learners and sandbox datasets are counted
against the client's network and capped in all, runs are stored within a byte budget,
and `flask purge` removes what nobody uses."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.models import Learner, RateCounter, TryItRun
from hyperlesson.sandbox.store import SandboxOwner
from tests.conftest import make_app

from .helpers import HTMX, LESSON, csrf_token

REACHED = f"{LESSON}/sections/what-is-http/reached"


@pytest.fixture
def tight_app(tmp_path, migrated_db):
    path = tmp_path / "budgets.db"
    shutil.copy(migrated_db, path)
    return make_app(path, NEW_LEARNERS_PER_NETWORK_PER_HOUR=3, MAX_LEARNERS=5,
                    NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR=3, MAX_SANDBOX_DATASETS=6)


def fresh_learner(app, address: str = "192.0.2.10", htmx: bool = True):
    """A client with no cookie (a new browser, or a stranger's loop) that interacts once."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client)
    return client, client.post(REACHED, data={"csrf_token": token},
                               headers=HTMX if htmx else {})


def count(app, column) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def test_new_learners_are_counted_against_the_network_not_the_cookie(tight_app):
    for _ in range(3):
        assert fresh_learner(tight_app)[1].status_code == 200
    _client, refused = fresh_learner(tight_app)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    text = refused.get_data(as_text=True)
    assert "from your network in the last hour" in text and "<html" not in text
    _client, plain = fresh_learner(tight_app, htmx=False)
    assert plain.status_code == 429 and "<html" in plain.get_data(as_text=True)
    assert count(tight_app, Learner.id) == 3
    # Another network, and learners who already exist, carry on.
    assert fresh_learner(tight_app, "198.51.100.20")[1].status_code == 200
    client, _ = fresh_learner(tight_app, "198.51.100.21")
    assert client.post(REACHED, data={"csrf_token": csrf_token(client)},
                       headers=HTMX).status_code == 200


def test_past_the_ceiling_no_new_learner_is_made_anywhere(tight_app):
    for network in range(5):
        assert fresh_learner(tight_app, f"203.0.113.{network}")[1].status_code == 200
    _client, refused = fresh_learner(tight_app, "203.0.113.99")
    assert refused.status_code == 507
    assert "flask purge" in refused.get_data(as_text=True)
    assert count(tight_app, Learner.id) == 5


def test_new_sandbox_datasets_are_counted_against_the_network(tight_app):
    client = tight_app.test_client()
    for _ in range(3):
        key = uuid.uuid4().hex
        assert client.get("/sandbox/users", headers={"X-Sandbox-Key": key}).status_code == 200
    refused = client.get("/sandbox/users", headers={"X-Sandbox-Key": "one-more"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert "X-Sandbox-Key" in refused.get_json()["detail"] and refused.headers["Retry-After"]
    assert count(tight_app, SandboxOwner.key) == 3
    # A key that already has its dataset still works.
    assert client.get("/sandbox/users", headers={"X-Sandbox-Key": key}).status_code == 200


def test_the_panel_makes_datasets_for_its_learners_only(tight_app):
    # Four learners from four networks, each sending /sandbox/users from the panel: their
    # datasets count against the learner budget, not the direct-request one.
    for network in range(4):
        client, _ = fresh_learner(tight_app, f"198.51.100.{network}")
        response = client.post("/tryit/send", headers=HTMX, data={
            "csrf_token": csrf_token(client, "/tryit"), "method": "GET",
            "path": "/sandbox/users"})
        assert "200 OK" in response.get_data(as_text=True)
    assert count(tight_app, SandboxOwner.key) == 4


def test_a_run_is_stored_within_its_budget_and_a_cut_one_is_not_sent_again(tight_app):
    client, _ = fresh_learner(tight_app)
    token = csrf_token(client, "/tryit")
    response = client.post("/tryit/send", headers=HTMX, data={
        "csrf_token": token, "method": "POST", "path": "/sandbox/anything",
        "header_name": ["X-Long"], "header_value": ["v" * 8000], "body": "b" * 60_000})
    assert response.status_code == 200
    with tight_app.app_context():
        run = db.session.scalar(select(TryItRun))
        assert len(run.exchange_json.encode()) <= 32 * 1024 and not run.whole
    again = client.post("/tryit/send", headers=HTMX,
                        data={"csrf_token": token, "replay": str(run.id)})
    assert again.status_code == 422
    assert "cannot be sent again as it was" in again.get_data(as_text=True)
    shown = client.get(f"/tryit?run={run.id}").get_data(as_text=True)
    assert "only its beginning is here" in shown


def test_purge_removes_idle_learners_datasets_and_counters(tight_app):
    client, _ = fresh_learner(tight_app)
    client.post("/tryit/send", headers=HTMX, data={
        "csrf_token": csrf_token(client, "/tryit"), "method": "GET", "path": "/sandbox/users"})
    fresh_learner(tight_app, "198.51.100.7")
    tight_app.test_client().get("/sandbox/users", headers={"X-Sandbox-Key": "curl-user"})
    long_ago = datetime.now(UTC) - timedelta(days=400)
    with tight_app.app_context():
        first = db.session.scalar(select(Learner).order_by(Learner.id))
        first.last_seen_at = long_ago
        db.session.get(SandboxOwner, "curl-user").updated_at = long_ago
        db.session.add(RateCounter(key="old", window=int(long_ago.timestamp()), count=1))
        db.session.commit()
        idle_key = first.sandbox_key
    result = tight_app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 learner(s) idle for 180 days (14 after a single day's visit), " \
        "1 sandbox dataset(s)" in result.output
    with tight_app.app_context():
        assert db.session.scalar(select(func.count(Learner.id))) == 1
        assert db.session.scalar(select(func.count(TryItRun.id))) == 0  # cascaded
        owners = set(db.session.scalars(select(SandboxOwner.key)))
        assert idle_key not in owners and "curl-user" not in owners
        assert db.session.get(RateCounter, "old") is None
    again = tight_app.test_cli_runner().invoke(args=["purge", "--learners-idle-days", "1"])
    assert "Removed 0 learner(s) idle for 1 days" in again.output


def test_an_interaction_moves_last_seen_at_most_hourly(tight_app):
    client, _ = fresh_learner(tight_app)
    with tight_app.app_context():
        learner = db.session.scalar(select(Learner))
        learner.last_seen_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.commit()
    client.post(REACHED, data={"csrf_token": csrf_token(client)}, headers=HTMX)
    with tight_app.app_context():
        seen = db.session.scalar(select(Learner.last_seen_at))
        assert seen > datetime.now(UTC) - timedelta(minutes=1)


def test_one_visit_learners_go_after_two_weeks_returning_ones_stay(tight_app):
    for network in range(3):
        fresh_learner(tight_app, f"198.51.100.{network}")
    now = datetime.now(UTC)
    with tight_app.app_context():
        one_visit, returning, recent = db.session.scalars(select(Learner).order_by(Learner.id))
        one_visit.created_at = one_visit.last_seen_at = now - timedelta(days=20)
        returning.created_at, returning.last_seen_at = (now - timedelta(days=60),
                                                        now - timedelta(days=20))
        recent.created_at = recent.last_seen_at = now - timedelta(days=2)
        db.session.commit()
        kept = {returning.id, recent.id}
    result = tight_app.test_cli_runner().invoke(args=["purge"])
    assert "Removed 1 learner(s)" in result.output, result.output
    with tight_app.app_context():
        assert set(db.session.scalars(select(Learner.id))) == kept


def test_a_network_has_a_daily_budget_too(tmp_path, migrated_db):
    path = tmp_path / "daily.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, NEW_LEARNERS_PER_NETWORK_PER_DAY=2)
    assert [fresh_learner(app)[1].status_code for _ in range(3)] == [200, 200, 429]
    _client, refused = fresh_learner(app)
    assert "today" in refused.get_data(as_text=True)


def test_the_largest_request_the_panel_takes_fits_in_a_form(client):
    # A 64 KB body and 16 KB of headers, of characters that URL-encoding triples.
    token = csrf_token(client, "/tryit")
    headers = [(f"X-H{i:02}", "%" * 1000) for i in range(15)]
    response = client.post("/tryit/send", headers=HTMX, data={
        "csrf_token": token, "method": "POST", "path": "/sandbox/anything",
        "header_name": [n for n, _ in headers], "header_value": [v for _, v in headers],
        "body": "é" * (32 * 1024)})
    assert response.status_code == 200
    assert "200 OK" in response.get_data(as_text=True)
    too_many = [(f"X-H{i:02}", "v" * 1200) for i in range(15)]
    refused = client.post("/tryit/send", headers=HTMX, data={
        "csrf_token": token, "method": "GET", "path": "/sandbox/get",
        "header_name": [n for n, _ in too_many], "header_value": [v for _, v in too_many]})
    assert refused.status_code == 400 and "16 KB in all" in refused.get_data(as_text=True)


@pytest.mark.parametrize("upsert", [True, False])
def test_a_hit_reads_what_it_is_asked_along_with_the_count(app, monkeypatch, upsert):
    # The try-it send reads its cookie jar in the statement that counts it; a database
    # without an upsert counts under a row lock and reads it with a second statement.
    from hyperlesson.records import ratelimit
    from hyperlesson.records.cookie_jars import JAR_JSON, load_jar, save_jar
    from hyperlesson.tryit.cookies import CookieJar
    if not upsert:
        monkeypatch.setattr(ratelimit, "_counting_statement", lambda dialect, read=None: None)
    with app.app_context():
        learner = Learner(token=uuid.uuid4().hex, sandbox_key=uuid.uuid4().hex)
        db.session.add(learner)
        db.session.flush()
        params = {"learner_id": learner.id}
        first = ratelimit.hit("read-test", 1, read=JAR_JSON, params=params)
        assert (first.allowed, first.read) == (True, None)  # no jar yet
        jar = CookieJar()
        jar.receive(["flavour=oat"], "/sandbox/cookies/set", 1_800_000_000.0)
        save_jar(learner, jar)
        second = ratelimit.hit("read-test", 1, read=JAR_JSON, params=params)
        assert not second.allowed and "flavour" in second.read
        assert load_jar(learner).as_dicts() == jar.as_dicts()
        assert ratelimit.hit("read-test", 5).read is None
