"""The session cookie verified once and the CSRF token signed once per process
(web/signed_cookies.py): what was verified is reused, never what was not, never past the
session's lifetime, and never shared between requests as something one could change."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

import pytest
from flask import flash, request
from itsdangerous.timed import TimestampSigner

from hyperlesson.web import signed_cookies
from hyperlesson.web.signed_cookies import VerifiedOnceSessionInterface
from tests.conftest import make_app

from .helpers import HTMX, LESSON, correct_choice, csrf_token, post

QUIZ = f"{LESSON}/quiz/q1"
ANSWERED = ">1 of "  # the quiz score once q1 is answered right: this learner's own


@pytest.fixture
def verifications(app, monkeypatch):
    """How many times the session cookie's signature is checked."""
    calls = []
    original = VerifiedOnceSessionInterface.get_signing_serializer

    def counted(interface, flask_app):
        calls.append(1)
        return original(interface, flask_app)

    monkeypatch.setattr(VerifiedOnceSessionInterface, "get_signing_serializer", counted)
    return calls


def forge(signed: str) -> str:
    """`signed` with the first character of its signature changed. Not the last: in
    base64 its low bits are padding, and a changed one may decode to the same bytes."""
    value, _, signature = signed.rpartition(".")
    return f"{value}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_verified_cookie_is_not_verified_again(app, client, verifications):
    token = csrf_token(client)  # the first page hands out the session
    assert post(client, QUIZ, {"choice": correct_choice(app)}, htmx=True,
                token=token).status_code == 200
    verifications.clear()
    for _ in range(3):
        page = client.get(LESSON).get_data(as_text=True)
        assert ANSWERED in page  # the same learner: the answer is theirs
    assert verifications == [1]  # the first of the three; the others were kept


def test_a_forged_cookie_is_a_new_visitor_and_never_kept(app, client):
    csrf_token(client)
    post(client, QUIZ, {"choice": correct_choice(app)}, htmx=True)
    genuine = session_cookie(client)
    forged = forge(genuine)
    for _ in range(2):
        other = app.test_client()
        other.set_cookie("session", forged)
        page = other.get(LESSON).get_data(as_text=True)
        assert ANSWERED not in page
    assert forged not in app.session_interface._verified
    assert genuine in app.session_interface._verified


def test_the_lifetime_still_ends_a_kept_cookie(app, client, monkeypatch):
    app.permanent_session_lifetime = timedelta(hours=1)
    csrf_token(client)
    post(client, QUIZ, {"choice": correct_choice(app)}, htmx=True)
    assert ANSWERED in client.get(LESSON).get_data(as_text=True)  # kept from here on
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 2 * 3600)
    page = client.get(LESSON).get_data(as_text=True)
    assert ANSWERED not in page  # an expired cookie starts a new session, kept or not


def test_a_kept_session_cannot_be_changed_by_a_request(app):
    interface = app.session_interface
    with app.test_request_context():
        value = interface.get_signing_serializer(app).dumps({"learner": "tok-1"})
    for _ in range(2):
        with app.test_request_context(headers={"Cookie": f"session={value}"}):
            opened = interface.open_session(app, request)
            assert opened["learner"] == "tok-1"
            opened["learner"] = "someone-else"  # what a view may do to its own session
    assert interface._verified[value][0] == {"learner": "tok-1"}


def test_a_session_holding_a_list_is_verified_each_time(app, verifications):
    """A flashed message is a list changed in place: such a session is never kept."""

    @app.get("/_test/flash")
    def flash_something():
        flash("Saved.")
        return "ok"

    client = app.test_client()
    client.get("/_test/flash")
    assert "_flashes" in session_data(app, client)
    verifications.clear()
    client.get("/healthz")
    client.get("/healthz")
    assert len(verifications) == 2
    assert session_cookie(client) not in app.session_interface._verified


def session_data(app, client) -> dict:
    return app.session_interface.get_signing_serializer(app).loads(session_cookie(client))


def test_a_flood_of_new_sessions_keeps_a_bounded_number(app, monkeypatch):
    monkeypatch.setattr(signed_cookies, "MAX_KEPT", 3)
    for _ in range(7):
        csrf_token(app.test_client())  # a new browser: a new session, verified by its next request
        client = app.test_client()
        client.get(LESSON)
        client.get(LESSON)
    assert 0 < len(app.session_interface._verified) <= 3
    assert len(app.extensions["signed_csrf_tokens"]) <= 3


def test_the_csrf_token_is_signed_once_per_session_and_still_checked(app, client, monkeypatch):
    signings = []
    original = signed_cookies.generate_csrf
    monkeypatch.setattr(signed_cookies, "generate_csrf",
                        lambda: signings.append(1) or original())
    first = csrf_token(client)
    # Later: a token signed anew would carry another time, so differ.
    later = TimestampSigner.get_timestamp(TimestampSigner("k")) + 100
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    # A prepared page, and a page drawn whole (render_template).
    second, third = csrf_token(client), csrf_token(client, "/tryit")
    assert first == second == third and len(signings) == 1
    choice = correct_choice(app)
    assert post(client, QUIZ, {"choice": choice}, htmx=True, token=first).status_code == 200
    # Another browser's token, however well signed, is not this session's.
    stranger = csrf_token(app.test_client())
    refused = client.post(QUIZ, data={"choice": choice, "csrf_token": stranger}, headers=HTMX)
    assert refused.status_code == 400


def test_a_new_session_after_login_gets_a_new_token(app, client):
    """The kept token belongs to the session's raw token: a session started anew (log
    in, log out) has another raw token, so another signed one."""
    before = csrf_token(client)
    raw_before = parse_session_token(app, client)
    with client.session_transaction() as changed:
        changed.clear()
    after = csrf_token(client)
    assert after != before and parse_session_token(app, client) != raw_before


def parse_session_token(app, client) -> str:
    return session_data(app, client)["csrf_token"]


def test_with_a_time_limit_each_page_signs_its_token_anew(tmp_path, migrated_db, monkeypatch):
    """A token that ages must not be handed out from a store long after it was signed."""
    shutil.copy(migrated_db, tmp_path / "limited.db")
    limited = make_app(tmp_path / "limited.db", WTF_CSRF_TIME_LIMIT=3600)
    signings = []
    original = signed_cookies.generate_csrf
    monkeypatch.setattr(signed_cookies, "generate_csrf",
                        lambda: signings.append(1) or original())
    client = limited.test_client()
    csrf_token(client)
    csrf_token(client)
    assert len(signings) == 2 and not limited.extensions["signed_csrf_tokens"]


@pytest.fixture
def full_checks(monkeypatch):
    """How many posted tokens went through Flask-WTF's whole check."""
    import flask_wtf.csrf

    calls = []
    original = flask_wtf.csrf.validate_csrf
    monkeypatch.setattr(flask_wtf.csrf, "validate_csrf",
                        lambda data, *args, **kwargs: calls.append(data) or original(data))
    return calls


def test_the_token_this_process_signed_is_not_verified_again(app, client, full_checks):
    token = csrf_token(client)
    choice = correct_choice(app)
    assert post(client, QUIZ, {"choice": choice}, htmx=True, token=token).status_code == 200
    assert client.post(QUIZ, data={"choice": choice}, headers={**HTMX, "X-CSRFToken": token}
                       ).status_code == 200  # in a header, as Flask-WTF accepts it too
    assert full_checks == []


@pytest.mark.parametrize("tampered", [
    lambda token: forge(token),  # a forged signature
    lambda token: "",
    lambda token: token.split(".")[0],  # the payload without its signature
])
def test_any_other_token_goes_through_the_whole_check(app, client, full_checks, tampered):
    token = csrf_token(client)
    refused = client.post(QUIZ, data={"choice": correct_choice(app),
                                      "csrf_token": tampered(token)}, headers=HTMX)
    assert refused.status_code == 400 and len(full_checks) == 1


def test_a_token_with_odd_unicode_is_left_to_flask_wtf(app, client, full_checks):
    """compare_digest raises on a str that is not ASCII: the shortcut compares bytes, so
    such a token is simply not the kept one, and Flask-WTF judges it (its base64 drops
    what is not base64, so this one, the kept token and an "é", passes there)."""
    token = csrf_token(client)
    answered = client.post(QUIZ, data={"choice": correct_choice(app),
                                       "csrf_token": token + "é"}, headers=HTMX)
    assert answered.status_code == 200 and full_checks == [token + "é"]


def test_another_sessions_kept_token_is_refused(app, client):
    stranger = app.test_client()
    their_token = csrf_token(stranger)
    csrf_token(client)
    refused = client.post(QUIZ, data={"choice": correct_choice(app), "csrf_token": their_token},
                          headers=HTMX)
    assert refused.status_code == 400


def test_over_https_the_referer_is_still_checked(app, client, full_checks):
    token = csrf_token(client, "https://localhost" + LESSON)
    form = {"choice": correct_choice(app), "csrf_token": token}
    missing = client.post(QUIZ, data=form, headers=HTMX, base_url="https://localhost")
    assert missing.status_code == 400
    same_site = client.post(QUIZ, data=form, base_url="https://localhost",
                            headers={**HTMX, "Referer": "https://localhost" + LESSON})
    assert same_site.status_code == 200 and len(full_checks) == 2
