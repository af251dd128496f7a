"""Every route of the app, as a visitor, a learner, the class's teacher and another
teacher: the status each gets. Another teacher's class or learner is a 404.

A new route fails this test until it is added to ROUTES with what each role may do,
so nobody adds a page and forgets who may see it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hyperlesson.extensions import db
from hyperlesson.records.models import Account

from .helpers import LESSON, csrf_token

PASSWORD = "correct horse battery"
ANON, LEARNER, TEACHER, OTHER = "anonymous", "learner", "teacher", "other-teacher"
ROLES = (ANON, LEARNER, TEACHER, OTHER)


def each(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


# endpoint -> (method, URL, form fields, {role: expected status}). {class} is the
# teacher's class, {learner} the learner in it.
EVERYONE = each(200)
ACCOUNTS_ONLY = {**each(200), ANON: 303}
TEACHERS_ONLY = {ANON: 303, LEARNER: 403, TEACHER: 200, OTHER: 200}
CLASS_PAGE = {ANON: 303, LEARNER: 403, TEACHER: 200, OTHER: 404}
CLASS_ACTION = {ANON: 303, LEARNER: 403, TEACHER: 303, OTHER: 404}
ROUTES = {
    "lessons.home": ("GET", "/", {}, EVERYONE),
    "lessons.healthz": ("GET", "/healthz", {}, EVERYONE),
    "lessons.track": ("GET", "/learn/python-backend/", {}, EVERYONE),
    "lessons.lesson": ("GET", LESSON, {}, EVERYONE),
    "lessons.asset": ("GET", "/learn/python-backend/assets/none.png", {},
                      each(404)),
    "reading.faq": ("GET", f"{LESSON}/faq/faq-1?open=1", {}, each(303)),
    "reading.reached": ("POST", f"{LESSON}/sections/what-is-http/reached", {}, each(303)),
    "quiz.answer": ("POST", f"{LESSON}/quiz/q1", {"choice": "a"}, each(303)),
    "quiz.start_over": ("POST", f"{LESSON}/quiz/start-over", {}, each(303)),
    "tryit.page": ("GET", "/tryit", {}, EVERYONE),
    "tryit.send": ("POST", "/tryit/send", {"method": "GET", "path": "/sandbox/get"},
                   each(303)),
    "tryit.reset": ("POST", "/tryit/reset", {}, each(303)),
    "tryit.clear_cookies": ("POST", "/tryit/cookies/clear", {}, each(303)),
    "auth.login": ("GET", "/login", {}, EVERYONE),
    "auth.signup": ("GET", "/signup", {}, EVERYONE),
    # Logged out already: a 400 that says so; logged in: logged out, 303 home.
    "auth.logout": ("POST", "/logout", {}, {**each(303), ANON: 400}),
    "account.me": ("GET", "/me", {}, ACCOUNTS_ONLY),
    "account.password": ("GET", "/me/password", {}, ACCOUNTS_ONLY),
    "account.delete": ("GET", "/me/delete", {}, ACCOUNTS_ONLY),
    "static": ("GET", "/static/css/app.css", {}, EVERYONE),
    "join.page": ("GET", "/join", {}, EVERYONE),
    "join.join": ("POST", "/join", {"code": "WRONG-CODE"}, {**each(422), ANON: 303}),
    "teach.home": ("GET", "/teach/", {}, TEACHERS_ONLY),
    "teach.create": ("POST", "/teach/classes", {"name": "Another"},
                     {**CLASS_ACTION, OTHER: 303}),
    "teach.show": ("GET", "/teach/classes/{class}", {}, CLASS_PAGE),
    "teach.settings": ("POST", "/teach/classes/{class}/settings",
                       {"action": "rename", "name": "Renamed"}, CLASS_ACTION),
    "teach.set_password": ("POST", "/teach/classes/{class}/learners/{learner}/password",
                           {"password": "a new secret"}, CLASS_ACTION),
    # Need help?: a poll opened without htmx is a 303 to the page; asking needs an
    # account in a class (none of these roles is in one: 403).
    "help.requests": ("GET", f"{LESSON}/help?v=0", {}, each(303)),
    "tasks.poll": ("GET", f"{LESSON}/tasks?v=0", {}, each(303)),
    "help.ask": ("POST", f"{LESSON}/help", {"question": "Why?"}, {**each(403), ANON: 303}),
    "help.queue": ("GET", "/teach/classes/{class}/help?v=0", {}, CLASS_ACTION),
    # No request exists here, so the class's own teacher gets a 404 too (test_help.py
    # answers and resolves real ones).
    "help.answer": ("POST", "/teach/classes/{class}/help/1/answer", {"answer": "Because."},
                    {**CLASS_ACTION, TEACHER: 404}),
    "help.resolve": ("POST", "/teach/classes/{class}/help/1/resolve", {},
                     {**CLASS_ACTION, TEACHER: 404}),
    # The dashboard. Its fragment without HX-Request: 303 to the class page.
    "dashboard.progress": ("GET", "/teach/classes/{class}/progress", {}, CLASS_ACTION),
    "dashboard.lesson": ("GET", "/teach/classes/{class}/lessons/python-backend/http-basics",
                         {}, CLASS_PAGE),
    "dashboard.learner": ("GET", "/teach/classes/{class}/learners/{learner}", {}, CLASS_PAGE),
    "dashboard.progress_csv": ("GET", "/teach/classes/{class}/progress.csv", {}, CLASS_PAGE),
    "dashboard.attempts_csv": ("GET", "/teach/classes/{class}/attempts.csv", {}, CLASS_PAGE),
    # Last: it takes the learner out of the class.
    "teach.remove": ("POST", "/teach/classes/{class}/learners/{learner}/remove", {},
                     CLASS_ACTION),
}


def test_every_route_is_in_the_table(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(ROUTES)


def client_as(app, role: str):
    client = app.test_client()
    if role == ANON:
        return client
    kind = "teacher" if role in (TEACHER, OTHER) else "learner"
    result = app.test_cli_runner().invoke(args=["users", f"create-{kind}", role],
                                          env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    log_in(client, role)
    return client


def log_in(client, username: str) -> None:
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "username": username, "password": PASSWORD})
    assert response.status_code == 303


def a_class_with_a_learner(app):
    """The teacher's class, and a learner in it (not the learner the test runs as)."""
    runner = app.test_cli_runner()
    env = {"HYPERLESSON_NEW_PASSWORD": PASSWORD}
    for kind, name in (("teacher", "class-teacher"), ("learner", "class-learner")):
        assert runner.invoke(args=["users", f"create-{kind}", name], env=env).exit_code == 0
    teacher = app.test_client()
    log_in(teacher, "class-teacher")
    made = teacher.post("/teach/classes", data={"csrf_token": csrf_token(teacher, "/teach/"),
                                                "name": "7B"})
    class_id = int(made.headers["Location"].rsplit("/", 1)[1])
    page = teacher.get(made.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', page).group(1)
    learner = app.test_client()
    log_in(learner, "class-learner")
    learner.post("/join", data={"csrf_token": csrf_token(learner, "/join"), "code": code})
    with app.app_context():
        learner_id = db.session.scalar(select(Account.learner_id).filter_by(
            username="class-learner"))
    return class_id, learner_id, teacher


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(app, role):
    class_id, learner_id, class_teacher = a_class_with_a_learner(app)
    client = class_teacher if role == TEACHER else client_as(app, role)
    seen = {}
    for endpoint, (method, url, form, _expected) in ROUTES.items():
        url = url.replace("{class}", str(class_id)).replace("{learner}", str(learner_id))
        if method == "POST":
            data = {"csrf_token": csrf_token(client, "/tryit"), **form}
            response = client.post(url, data=data)
        else:
            response = client.get(url)
        seen[endpoint] = response.status_code
        if endpoint == "auth.logout" and role != ANON:
            log_in(client, "class-teacher" if role == TEACHER else role)
    assert seen == {endpoint: route[3][role] for endpoint, route in ROUTES.items()}
