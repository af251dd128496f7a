"""Accounts under attack: what each security promise of the README's Accounts section
holds against, one test each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hyperlesson.records.models import Account
from tests.conftest import make_app

from .helpers import HTMX, LESSON, csrf_token
from .test_accounts import PASSWORD, count, login, signup


def test_unknown_user_and_wrong_password_look_the_same(app, client):
    signup(app.test_client())
    wrong, unknown = login(client, password="wrong password"), login(client, "Nobody")
    assert wrong.status_code == unknown.status_code == 422
    text = "do not match an account"
    assert text in wrong.get_data(as_text=True) and text in unknown.get_data(as_text=True)


def test_logging_in_starts_a_new_session(app, client):
    signup(app.test_client())
    client.get(LESSON)
    before_token = csrf_token(client)
    before = client.get_cookie("session").value
    login(client)
    assert client.get_cookie("session").value != before
    stale = client.post("/logout", data={"csrf_token": before_token})
    assert stale.status_code == 400 and "expired" in stale.get_data(as_text=True)


def test_cookies_are_httponly_lax_and_secure_when_configured(tmp_path, migrated_db):
    path = tmp_path / "secure.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    signup(app.test_client())
    response = login(client, remember="1")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        line = next(c for c in cookies if c.startswith(name))
        assert "HttpOnly" in line and "SameSite=Lax" in line and "Secure" in line, line


@pytest.mark.parametrize("target", [
    "//evil.com", "\\\\evil.com", "/\\evil.com", "http:/\\/evil.com", "https:evil.com",
    "javascript:alert(1)", "/%09/evil.com", "\t//evil.com", "/\t/evil.com", "/%5Cevil.com",
    "http://evil.com/", "",
])
def test_next_is_a_local_path_only(app, client, target):
    signup(app.test_client())
    response = login(client, next=target)
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_next_can_return_to_a_lesson(app, client):
    signup(app.test_client())
    response = login(client, next=f"{LESSON}?faq=faq-1")
    assert response.headers["Location"] == f"{LESSON}?faq=faq-1"


def test_guessing_stops_per_account_and_per_network(tmp_path, migrated_db):
    path = tmp_path / "limits.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_NETWORK=5)
    signup(app.test_client(), "Ada")
    signup(app.test_client(), "Grace")
    client = app.test_client()
    assert [login(client, password="guess").status_code for _ in range(3)] == [422] * 3
    refused = login(client)  # even the right password, until the window ends
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert login(client, "Grace").status_code == 303  # another account is not locked
    other = app.test_client()
    assert [login(other, "Grace", "guess").status_code for _ in range(3)] == [422, 422, 429]
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert login(elsewhere, "Grace").status_code == 303


def test_an_htmx_request_without_a_session_is_sent_to_the_login_page(client):
    response = client.get("/me", headers={**HTMX, "HX-Current-URL": "http://localhost/me"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login?next=/me"
    plain = client.get("/me")
    assert plain.status_code == 303 and plain.headers["Location"] == "/login?next=/me"


def test_new_forms_need_the_csrf_token(app, client):
    for url, data in (("/signup", {"username": "Ada", "password": PASSWORD,
                                   "confirm": PASSWORD}),
                      ("/login", {"username": "Ada", "password": PASSWORD})):
        assert client.post(url, data=data).status_code == 400
    assert count(app, Account) == 0


def test_an_unknown_user_costs_one_hash_check_like_a_known_one(app, monkeypatch):
    from hyperlesson.records import accounts

    signup(app.test_client())
    checks = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda *args: checks.append(args[0]) or real(*args))
    for username in ("Ada", "Nobody"):
        login(app.test_client(), username, "wrong password")
    assert len(checks) == 2 and checks[1] == accounts.dummy_hash()


def test_the_unknown_users_hash_is_made_at_the_first_login_not_at_start_up(tmp_path):
    import os
    import subprocess
    import sys

    from hyperlesson.config import DATA_FOLDER_VARIABLE

    # A fresh interpreter: this one has logged in already.
    code = ("from hyperlesson import create_app\n"
            "from hyperlesson.records import accounts\n"
            f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/a.db', "
            "'SECRET_KEY': 'k'})\n"
            "print(accounts.dummy_hash.cache_info().currsize)")
    made = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=str(Path(__file__).parents[2]),
                          env={**os.environ, DATA_FOLDER_VARIABLE: str(tmp_path)})
    assert made.stdout.split() == ["0"]


def test_passwords_are_never_logged(app, client, caplog):
    caplog.set_level("DEBUG")
    signup(client)
    login(app.test_client(), password="wrong password")
    login(app.test_client())
    assert PASSWORD not in caplog.text and "wrong password" not in caplog.text


def test_a_stranger_guessing_cannot_lock_the_owner_out_of_a_browser_they_logged_in_from(
        tmp_path, migrated_db):
    """Ten wrong guesses from anyone (a learner in the same room, behind the same router)
    locked the account for everyone, its owner included: a teacher mid-lesson, say. A
    browser the account logged in from before has its own count (OWASP's device cookies)."""
    path = tmp_path / "devices.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_NETWORK=5)
    owner = app.test_client()
    assert signup(owner, "Ada").status_code == 303  # signing up trusts this browser too
    signup(app.test_client(), "Grace")
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/me")})
    prankster = app.test_client()
    assert [login(prankster, password="guess").status_code for _ in range(4)] == (
        [422] * 3 + [429])  # Ada's count is spent
    assert [login(prankster, "Grace", "guess").status_code for _ in range(3)] == (
        [422] * 2 + [429])  # and with two at Grace, the network's
    assert login(owner).status_code == 303
    assert login(app.test_client()).status_code == 429  # a new browser is a stranger
    assert login(_with_cookie_of(app, owner), "Grace").status_code == 429  # Ada's only


def test_a_trusted_browser_has_its_own_count_and_a_forged_one_none(tmp_path, migrated_db):
    path = tmp_path / "devices.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_NETWORK=50)
    owner = app.test_client()
    signup(owner, "Ada")
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/me")})
    assert [login(owner, password="guess").status_code for _ in range(4)] == [422] * 3 + [429]
    assert login(app.test_client()).status_code == 303  # strangers' count was not touched
    value = owner.get_cookie("device").value
    forged = app.test_client()
    forged.set_cookie("device", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    for _ in range(3):
        login(forged, password="guess")
    assert login(forged).status_code == 429  # counted as a stranger


def test_the_device_cookie_is_httponly_lax_and_never_reaches_the_sandbox(app, client):
    response = signup(client, "Ada")
    line = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("device="))
    assert "HttpOnly" in line and "SameSite=Lax" in line and "Max-Age=" in line
    echoed = client.get("/sandbox/cookies").get_json()
    assert "device" not in echoed["cookies"]
    assert client.get("/sandbox/cookies/set?device=mine").status_code == 400  # nor set it


def _with_cookie_of(app, client):
    other = app.test_client()
    other.set_cookie("device", client.get_cookie("device").value)
    return other


@pytest.mark.parametrize(("chosen", "typed"), [
    ("caf\u00e9 au lait!", "cafe\u0301 au lait!"),  # one character, or e and an accent
    ("cafe\u0301 au lait!", "caf\u00e9 au lait!"),
    ("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11", "password1"),  # full width
])
def test_a_password_typed_another_way_is_the_same_password(app, chosen, typed):
    signup(app.test_client(), "Ada", chosen)
    assert login(app.test_client(), "Ada", typed).status_code == 303


def test_a_password_hashed_before_normalising_still_logs_in(app):
    from werkzeug.security import generate_password_hash

    from hyperlesson.extensions import db
    signup(app.test_client(), "Ada")
    decomposed = "cafe\u0301 au lait!"
    with app.app_context():
        account = db.session.query(Account).one()
        account.password_hash = generate_password_hash(decomposed)  # as it was hashed
        db.session.commit()
    assert login(app.test_client(), "Ada", decomposed).status_code == 303
    assert login(app.test_client(), "Ada", "cafe au lait!").status_code == 422
