"""The lesson page is rendered once and filled in per request (web/prepared_page.py):
for learners in many states, one after another on the same app so each reuses the
parts the previous ones left behind, the page must be exactly the page rendered whole."""

from __future__ import annotations

import re
import shutil

import pytest

from hyperlesson.extensions import db
from hyperlesson.records import accounts

from ..conftest import make_app
from .helpers import LESSON, correct_choice, csrf_token, post, wrong_choice

TOKEN = re.compile(r'(name="csrf_token" value="|"X-CSRFToken": ")[^"]+')


def both_ways(app, client, url: str = LESSON) -> tuple[str, str]:
    app.config["PREPARED_PAGES"] = True
    prepared = client.get(url)
    app.config["PREPARED_PAGES"] = False
    whole = client.get(url)
    app.config["PREPARED_PAGES"] = True
    assert prepared.status_code == whole.status_code == 200
    # A token is signed with the time: the same token, signed a second apart, differs.
    return (TOKEN.sub(r"\1T", prepared.get_data(as_text=True)),
            TOKEN.sub(r"\1T", whole.get_data(as_text=True)))


def assert_same(app, client, url: str = LESSON) -> str:
    prepared, whole = both_ways(app, client, url)
    assert prepared == whole
    return prepared


def test_the_prepared_page_is_the_whole_page_in_every_state(app):
    first, second = app.test_client(), app.test_client()
    assert_same(app, first)  # a visitor who has not interacted
    token = csrf_token(first)
    post(first, f"{LESSON}/quiz/q1", {"choice": wrong_choice(app)}, htmx=True, token=token)
    assert "is-wrong" in assert_same(app, first)
    post(first, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True, token=token)
    post(first, f"{LESSON}/sections/what-is-http/reached", htmx=True, token=token)
    page = assert_same(app, first)
    assert "is-correct" in page and "is-reached" in page and "Continue where" in page
    # Another learner after the first: no part of the first may show.
    fresh = assert_same(app, second)
    assert "is-correct" not in fresh and "is-reached" not in fresh
    assert_same(app, first, f"{LESSON}?faq={first_faq(app)}")  # an FAQ answer open
    assert_same(app, first, f"{LESSON}?method=POST&path=/sandbox/post&body=x")  # a preset link


def test_sends_and_accounts_are_filled_in_too(app):
    client = app.test_client()
    post(client, "/tryit/send", {"method": "GET", "path": "/sandbox/get", "body": "",
                                 "lesson": "python-backend/http-basics"}, htmx=True)
    assert "Your last requests" in assert_same(app, client)
    with app.app_context():
        for name, role in (("Grace", "teacher"), ("Linus", "learner")):
            password_hash = accounts.hash_password(name, "correct horse battery")
            accounts.create(name, password_hash, accounts.new_learner(), role)
        db.session.commit()
    for name in ("Grace", "Linus"):
        user = app.test_client()
        post(user, "/login", {"username": name, "password": "correct horse battery"},
             token=csrf_token(user, "/login"))
        # The login's flash shows on the next page only, prepared or not.
        assert "You are logged in" in user.get(LESSON).get_data(as_text=True)
        page = assert_same(app, user)
        assert f'<span class="who">{name}</span>' in page and "You are logged in" not in page


def test_tasks_in_every_state_are_filled_in_too(app):
    """A task to do, one failed with a diagnosis, one done; another learner after."""
    url = "/learn/python-backend/rest-api"
    first, second = app.test_client(), app.test_client()
    assert "To do" in assert_same(app, first, url)
    post(first, f"{url}/quiz/q1", {"choice": "a"}, token=csrf_token(first, url))
    key = re.search(r"X-Sandbox-Key: ([\w-]+)", first.get(url).get_data(as_text=True))[1]
    first.post("/sandbox/users", data="{", headers={"X-Sandbox-Key": key,
                                                    "Content-Type": "application/json"})
    assert "not valid JSON" in assert_same(app, first, url)
    first.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    page = assert_same(app, first, url)
    assert "is-done" in page and key in page
    fresh = assert_same(app, second, url)
    assert "is-done" not in fresh and "not valid JSON" not in fresh and key not in fresh


@pytest.mark.parametrize("prefix", ["/school", "/a b"])
def test_a_path_prefix_reaches_every_url(app, prefix):
    """Behind a proxy at /school: the stylesheet, the quiz forms and the presets too."""
    client = app.test_client()
    page = client.get(LESSON, base_url=f"http://localhost{prefix}").get_data(as_text=True)
    urls = re.findall(r'(?:href|src|action|hx-post|hx-get)="(/[^"]*)"', page)
    assert urls
    assert [url for url in urls if not url.startswith(prefix + "/")] == []
    # The same app still serves pages without the prefix, from pages prepared apart.
    plain = client.get(LESSON).get_data(as_text=True)
    assert prefix not in plain


def first_faq(app) -> str:
    return app.extensions["catalog"].lesson("python-backend", "http-basics").faqs[0].id


@pytest.mark.parametrize("trusted", [1, 0])
def test_a_trusted_proxy_sets_the_prefix(tmp_path, migrated_db, trusted):
    """X-Forwarded-Prefix counts only from a proxy the server was told to trust."""
    shutil.copy(migrated_db, tmp_path / "t.db")
    app = make_app(tmp_path / "t.db", TRUSTED_PROXIES=trusted)
    page = app.test_client().get(LESSON, headers={"X-Forwarded-Prefix": "/school"})
    assert ('href="/school/learn/python-backend/"' in page.get_data(as_text=True)) == bool(trusted)


def test_static_files_are_cached_for_a_year_under_their_fingerprint(client):
    page = client.get(LESSON).get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    cached = client.get(stylesheet)
    assert cached.status_code == 200
    assert {"public", "immutable", "max-age=31536000"} <= set(
        cached.headers["Cache-Control"].replace(" ", "").split(","))
    for other in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        # Without the file's fingerprint, the URL may name an older file: not for ever.
        assert "immutable" not in client.get(other).headers.get("Cache-Control", "")


def test_lesson_watching_keeps_static_files_cached_and_make_run_does_not(tmp_path, migrated_db):
    """`hyperlesson serve` watches lessons, yet its static files never change while it
    runs; `make run` serves stylesheets being edited."""
    shutil.copy(migrated_db, tmp_path / "s.db")
    for year, expected in ((True, True), (False, False)):
        client = make_app(tmp_path / "s.db", WATCH_LESSONS=True,
                          CACHE_STATIC_FOR_A_YEAR=year).test_client()
        page = client.get(LESSON).get_data(as_text=True)
        stylesheet = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
        cache_control = client.get(stylesheet).headers.get("Cache-Control", "")
        assert ("immutable" in cache_control) == expected


def test_the_answer_and_reading_fragments_are_prepared_too(app):
    """The same POST twice (the second stores nothing new), prepared then whole."""
    client = app.test_client()
    token = csrf_token(client)
    sync_time = re.compile(r'data-synced-at="[^"]*">[^<]*')

    def both(url: str, data: dict) -> None:
        app.config["PREPARED_PAGES"] = True
        prepared = post(client, url, data, htmx=True, token=token).get_data(as_text=True)
        app.config["PREPARED_PAGES"] = False
        whole = post(client, url, data, htmx=True, token=token).get_data(as_text=True)
        app.config["PREPARED_PAGES"] = True
        assert sync_time.sub("", prepared) == sync_time.sub("", whole)

    for question, choice in (("q1", wrong_choice(app)), ("q1", correct_choice(app)),
                             ("q2", correct_choice(app, "q2"))):
        both(f"{LESSON}/quiz/{question}", {"choice": choice})
    lesson = app.extensions["catalog"].lesson("python-backend", "http-basics")
    for section in lesson.sections[:2]:
        both(f"{LESSON}/sections/{section.id}/reached", {})
