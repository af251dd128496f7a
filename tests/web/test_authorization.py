"""Every route of the app, as a visitor, a learner and a teacher: the status each gets.

A new route fails this test until it is added to ROUTES with what each role may do,
so nobody adds a page and forgets who may see it."""

from __future__ import annotations

import pytest

from .helpers import LESSON, csrf_token

PASSWORD = "correct horse battery"
ANON, LEARNER, TEACHER = "anonymous", "learner", "teacher"

# endpoint -> (method, URL, form fields, {role: expected status})
EVERYONE = {ANON: 200, LEARNER: 200, TEACHER: 200}
ACCOUNTS_ONLY = {ANON: 303, LEARNER: 200, TEACHER: 200}
ROUTES = {
    "lessons.home": ("GET", "/", {}, EVERYONE),
    "lessons.healthz": ("GET", "/healthz", {}, EVERYONE),
    "lessons.track": ("GET", "/learn/python-backend/", {}, EVERYONE),
    "lessons.lesson": ("GET", LESSON, {}, EVERYONE),
    "lessons.asset": ("GET", "/learn/python-backend/assets/none.png", {},
                      {ANON: 404, LEARNER: 404, TEACHER: 404}),
    "reading.faq": ("GET", f"{LESSON}/faq/faq-1?open=1", {}, {r: 303 for r in EVERYONE}),
    "reading.reached": ("POST", f"{LESSON}/sections/what-is-http/reached", {},
                        {r: 303 for r in EVERYONE}),
    "quiz.answer": ("POST", f"{LESSON}/quiz/q1", {"choice": "a"}, {r: 303 for r in EVERYONE}),
    "quiz.start_over": ("POST", f"{LESSON}/quiz/start-over", {}, {r: 303 for r in EVERYONE}),
    "tryit.page": ("GET", "/tryit", {}, EVERYONE),
    "tryit.send": ("POST", "/tryit/send", {"method": "GET", "path": "/sandbox/get"},
                   {r: 303 for r in EVERYONE}),
    "tryit.reset": ("POST", "/tryit/reset", {}, {r: 303 for r in EVERYONE}),
    "auth.login": ("GET", "/login", {}, EVERYONE),
    "auth.signup": ("GET", "/signup", {}, EVERYONE),
    # Logged out already: a 400 that says so; logged in: logged out, 303 home.
    "auth.logout": ("POST", "/logout", {}, {ANON: 400, LEARNER: 303, TEACHER: 303}),
    "account.me": ("GET", "/me", {}, ACCOUNTS_ONLY),
    "account.password": ("GET", "/me/password", {}, ACCOUNTS_ONLY),
    "account.delete": ("GET", "/me/delete", {}, ACCOUNTS_ONLY),
    "static": ("GET", "/static/css/app.css", {}, EVERYONE),
}


def test_every_route_is_in_the_table(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(ROUTES)


def client_as(app, role: str):
    client = app.test_client()
    if role == ANON:
        return client
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", f"create-{role}", f"the-{role}"],
                           env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "username": f"the-{role}", "password": PASSWORD})
    assert response.status_code == 303
    return client


@pytest.mark.parametrize("role", [ANON, LEARNER, TEACHER])
def test_each_role_gets_what_the_table_says(app, role):
    client = client_as(app, role)
    seen = {}
    for endpoint, (method, url, form, _expected) in ROUTES.items():
        if method == "POST":
            data = {"csrf_token": csrf_token(client, "/tryit"), **form}
            response = client.post(url, data=data)
        else:
            response = client.get(url)
        seen[endpoint] = response.status_code
        if endpoint == "auth.logout" and role != ANON:
            client = client_as_again(app, client, role)
    assert seen == {endpoint: route[3][role] for endpoint, route in ROUTES.items()}


def client_as_again(app, client, role: str):
    """Log back in after the logout row, so the rows after it see the same role."""
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "username": f"the-{role}", "password": PASSWORD})
    assert response.status_code == 303
    return client
