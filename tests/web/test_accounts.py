"""Accounts: sign up, log in and out, merge what a device did, change the password,
delete everything; each security promise of the README as a test."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.models import (
    Account,
    Learner,
    QuizAttempt,
    SectionReached,
    TryItCookieJar,
    TryItRun,
)
from hyperlesson.sandbox.store import SandboxOwner
from tests.conftest import make_app

from .helpers import HTMX, LESSON, correct_choice, csrf_token, wrong_choice

PASSWORD = "correct horse battery"


def signup(client, username="Ada", password=PASSWORD, confirm=None, **extra):
    return client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                        "username": username, "password": password,
                                        "confirm": password if confirm is None else confirm,
                                        **extra})


def login(client, username="Ada", password=PASSWORD, **extra):
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                       "username": username, "password": password, **extra})


def answer(client, question="q1", choice="a"):
    return client.post(f"{LESSON}/quiz/{question}", headers=HTMX,
                       data={"csrf_token": csrf_token(client), "choice": choice})


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def me_page(client) -> str:
    return re.sub(r"\s+", " ", client.get("/me").get_data(as_text=True))


def test_sign_up_keeps_what_the_browser_did(app, client):
    answer(client, "q1", correct_choice(app, "q1"))
    answer(client, "q2", wrong_choice(app, "q2"))
    response = signup(client)
    assert response.status_code == 303 and response.headers["Location"] == "/me"
    page = me_page(client)
    assert "Logged in as <strong>Ada</strong>" in page
    assert "HTTP basics" in page and "1 of 6 correct on the first try" in page
    assert count(app, Learner) == 1 and count(app, QuizAttempt) == 2


@pytest.mark.parametrize("username,message", [
    ("ab", "3 to 40"), ("a" * 41, "3 to 40"), ("two words", "no spaces"),
    ("tab\there", "no spaces"), ("semi;colon", "letters, digits"),
])
def test_usernames_follow_the_rules(app, client, username, message):
    response = signup(client, username)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app, Account) == 0 and count(app, Learner) == 0


def test_usernames_are_unique_without_regard_to_case_or_width(app):
    assert signup(app.test_client(), "Straße").status_code == 303
    for taken in ("STRASSE", "straße", "ｓｔｒａßｅ"):  # the last one in full-width letters
        response = signup(app.test_client(), taken)
        assert response.status_code == 422, taken
        assert "taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Account.username)).all() == ["Straße"]


@pytest.mark.parametrize("password,confirm,message", [
    ("short", None, "8 to 256"), ("x" * 257, None, "8 to 256"),
    ("ADA-lovelace", None, "not be the username"), (PASSWORD, "other thing", "differ"),
])
def test_passwords_follow_the_rules(app, client, password, confirm, message):
    response = signup(client, "ada-lovelace", password, confirm)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert PASSWORD not in response.get_data(as_text=True)  # never shown again
    assert count(app, Account) == 0


def test_a_forged_role_is_refused(app, client):
    response = signup(client, role="teacher")
    assert response.status_code == 400 and "role" in response.get_data(as_text=True)
    assert count(app, Account) == 0


def test_logging_in_merges_the_device_into_the_account(app):
    home = app.test_client()
    signup(home)
    answer(home, "q2", correct_choice(app, "q2"))
    home.post("/tryit/send", headers=HTMX, data={"csrf_token": csrf_token(home, "/tryit"),
                                                 "method": "GET", "path": "/sandbox/users"})
    school = app.test_client()  # a school computer, used before logging in
    answer(school, "q1", wrong_choice(app, "q1"))
    answer(school, "q1", correct_choice(app, "q1"))
    answer(school, "q2", correct_choice(app, "q2"))  # answered at home too
    school.post(f"{LESSON}/sections/what-is-http/reached", headers=HTMX,
                data={"csrf_token": csrf_token(school)})
    school.post("/tryit/send", headers=HTMX, data={"csrf_token": csrf_token(school, "/tryit"),
                                                   "method": "GET", "path": "/sandbox/users"})
    school.post("/tryit/send", headers=HTMX, data={"csrf_token": csrf_token(school, "/tryit"),
                                                   "method": "GET",
                                                   "path": "/sandbox/cookies/set?flavour=oat"})
    old_cookie = school.get_cookie("session").value
    response = login(school, next="/me")
    assert response.status_code == 303 and response.headers["Location"] == "/me"
    page = me_page(school)
    assert "now part of your account" in page and "sandbox data on this device" in page
    # q1 was wrong first on the school computer: still not a first-try success.
    assert "1 of 6 correct on the first try" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Learner.id))) == 1
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 3
        assert db.session.scalar(select(func.count(SectionReached.id))) == 1
        assert db.session.scalar(select(func.count(TryItRun.id))) == 3
        assert db.session.scalar(select(TryItCookieJar.learner_id)) == db.session.scalar(
            select(Learner.id))  # the device's panel cookies came along
        assert db.session.scalar(select(func.count()).select_from(SandboxOwner)) == 1
    # The cookie from before the login names no learner now: replaying it merges nothing.
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    login(replay)
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 3


def test_merging_keeps_answers_cleared_by_start_over_apart(app):
    """A cleared answer is the teacher's record and a live one the learner's: merging
    neither swallows the other, though both chose the same option."""
    def start_over(client):
        client.post(f"{LESSON}/quiz/start-over", headers=HTMX,
                    data={"csrf_token": csrf_token(client)})

    home = app.test_client()
    signup(home)
    answer(home, "q1", wrong_choice(app, "q1"))
    start_over(home)  # the account's q1 is cleared...
    answer(home, "q2", wrong_choice(app, "q2"))  # ...and its q2 live
    school = app.test_client()
    answer(school, "q2", wrong_choice(app, "q2"))
    start_over(school)  # the device's q2 is cleared...
    answer(school, "q1", wrong_choice(app, "q1"))  # ...and its q1 live
    assert login(school).status_code == 303
    with app.app_context():
        rows = sorted((question, cleared is None) for question, cleared in db.session.execute(
            select(QuizAttempt.question_id, QuizAttempt.cleared_at)))
    assert rows == [("q1", False), ("q1", True), ("q2", False), ("q2", True)]
    page = school.get(LESSON).get_data(as_text=True)
    assert page.count('class="verdict">Incorrect') == 2  # both live answers show


@pytest.mark.parametrize("ending", ["logout", "password"])
def test_logout_and_a_new_password_end_the_other_devices(app, ending):
    signup(app.test_client())
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, remember="1")
    login(phone, remember="1")
    remembered = phone.get_cookie("remember_token").value
    if ending == "logout":
        laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/me")})
    else:
        laptop.post("/me/password", data={"csrf_token": csrf_token(laptop, "/me"),
                                          "current": PASSWORD, "password": "a new secret!",
                                          "confirm": "a new secret!"})
        assert laptop.get("/me").status_code == 200  # this browser stays logged in
    assert phone.get("/me").status_code == 303  # its session names an old version
    fresh = app.test_client()  # only the remember-me cookie, as after closing the browser
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/me").status_code == 303


def test_a_replayed_logout_is_a_400(app, client):
    signup(client)
    token = csrf_token(client, "/me")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    again = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert again.status_code == 400 and "logged out already" in again.get_data(as_text=True)


def test_deleting_the_account_deletes_everything_it_did(app, client):
    answer(client, "q1", correct_choice(app, "q1"))
    client.post("/tryit/send", headers=HTMX, data={"csrf_token": csrf_token(client, "/tryit"),
                                                   "method": "GET", "path": "/sandbox/users"})
    signup(client)
    wrong = client.post("/me/delete", data={"csrf_token": csrf_token(client, "/me/delete"),
                                            "password": "not it at all"})
    assert wrong.status_code == 422 and count(app, Account) == 1
    done = client.post("/me/delete", data={"csrf_token": csrf_token(client, "/me/delete"),
                                           "password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/"
    for model in (Account, Learner, QuizAttempt, TryItRun, SandboxOwner):
        assert count(app, model) == 0, model
    assert client.get("/me").status_code == 303


def test_a_wrong_current_password_changes_nothing(app, client):
    signup(client)
    response = client.post("/me/password", data={
        "csrf_token": csrf_token(client, "/me"), "current": "not my password",
        "password": "a new secret!", "confirm": "a new secret!"})
    assert response.status_code == 422
    assert login(app.test_client()).status_code == 303  # the old password still works


def test_sign_up_can_be_closed(tmp_path, migrated_db):
    path = tmp_path / "closed.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, SIGNUP="closed")
    client = app.test_client()
    assert client.get("/signup").status_code == 403
    assert "Sign up" not in client.get("/").get_data(as_text=True)
    runner = app.test_cli_runner()
    made = runner.invoke(args=["users", "create-learner", "Ada"],
                         env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert made.exit_code == 0, made.output
    assert login(client).status_code == 303


def test_the_users_commands(app):
    runner = app.test_cli_runner()
    env = {"HYPERLESSON_NEW_PASSWORD": PASSWORD}
    made = runner.invoke(args=["users", "create-teacher", "Ms-Hopper"], env=env)
    assert made.exit_code == 0 and "Created the teacher account Ms-Hopper" in made.output
    again = runner.invoke(args=["users", "create-teacher", "ms-hopper"], env=env)
    assert again.exit_code == 1 and "taken" in again.output
    weak = runner.invoke(args=["users", "create-teacher", "Grace"],
                         env={"HYPERLESSON_NEW_PASSWORD": "short"})
    assert weak.exit_code == 1 and "8 to 256" in weak.output
    prompted = runner.invoke(args=["users", "create-learner", "Alan"],
                             input="turing test!\nturing test!\n")
    assert prompted.exit_code == 0, prompted.output
    listed = runner.invoke(args=["users", "list"]).output
    assert "Alan\tlearner" in listed and "Ms-Hopper\tteacher" in listed
    changed = runner.invoke(args=["users", "set-password", "MS-HOPPER"],
                            env={"HYPERLESSON_NEW_PASSWORD": "another secret"})
    assert changed.exit_code == 0
    client = app.test_client()
    assert login(client, "Ms-Hopper", "another secret").status_code == 303
    assert "(teacher)" in me_page(client)
    missing = runner.invoke(args=["users", "set-password", "nobody"], env=env)
    assert missing.exit_code == 1


def test_a_learner_who_signed_up_can_be_made_a_teacher_and_back(app):
    """A teacher who signed up on the page is a learner: the school makes them a teacher
    without a second account (and their classes keep a teacher: no demotion while any)."""
    runner = app.test_cli_runner()
    client = app.test_client()
    signup(client, "Rivera")
    assert client.get("/teach/").status_code == 403
    made = runner.invoke(args=["users", "set-role", "rivera", "teacher"])
    assert made.exit_code == 0 and "Rivera is a teacher now" in made.output, made.output
    assert client.get("/teach/").status_code == 200  # at once, in the same session
    client.post("/teach/classes", data={"csrf_token": csrf_token(client, "/me"), "name": "7B"})
    kept = runner.invoke(args=["users", "set-role", "Rivera", "learner"])
    assert kept.exit_code == 1 and "teaches 1 class" in kept.output, kept.output
    for wrong in (["nobody", "teacher"], ["Rivera", "admin"]):
        assert runner.invoke(args=["users", "set-role", *wrong]).exit_code != 0
    signup(app.test_client(), "Alan")
    runner.invoke(args=["users", "set-role", "Alan", "teacher"])
    back = runner.invoke(args=["users", "set-role", "Alan", "learner"])
    assert back.exit_code == 0 and "Alan is a learner now" in back.output


def test_the_header_says_who_is_logged_in(client):
    assert "Log in" in client.get("/").get_data(as_text=True)
    signup(client, "Grace")
    page = client.get("/").get_data(as_text=True)
    assert '<span class="who">Grace</span>' in page and "Log out" in page


def test_purge_keeps_account_learners(app, client):
    signup(client)
    with app.app_context():
        learner = db.session.scalar(select(Learner))
        learner.last_seen_at = learner.created_at = learner.last_seen_at.replace(year=2020)
        db.session.commit()
    app.test_cli_runner().invoke(args=["purge"])
    assert count(app, Learner) == 1 and client.get("/me").status_code == 200
