"""Tasks graded from the learner's real requests: sent straight to /sandbox with their
key (as curl would), or from the panel; the page shows them done, or why not."""

from __future__ import annotations

import re

from hyperlesson.extensions import db
from hyperlesson.records.models import Learner
from hyperlesson.records.task_models import TaskDone, TaskExchange
from hyperlesson.records.task_records import KEEP_PER_LEARNER

from .helpers import HTMX, post

LESSON = "/learn/python-backend/rest-api"
CREATE = "task-create-a-user-of-your-own"
DELETE = "task-delete-a-user-and-get-204"
USER = {"name": "Dorothy Vaughan", "email": "dorothy@example.com"}


def learner_key(client) -> str:
    """Start a learner (a quiz answer) and read their key from the page's command."""
    post(client, f"{LESSON}/quiz/q1", {"choice": "a"})
    page = client.get(LESSON).get_data(as_text=True)
    return re.search(r"X-Sandbox-Key: ([A-Za-z0-9_-]+)", page).group(1)


def state_of(page: str, task_id: str) -> str:
    match = re.search(rf'<div id="{task_id}-state" class="([^"]+)"[^>]*>\s*<p>(.*?)</p>',
                      page, re.S)
    return match.group(1) + " | " + match.group(2)


def test_a_request_sent_straight_to_the_sandbox_completes_the_task(client):
    key = learner_key(client)
    assert "To do" in state_of(client.get(LESSON).get_data(as_text=True), CREATE)
    answer = client.post("/sandbox/users", json=USER, headers={"X-Sandbox-Key": key})
    assert answer.status_code == 201
    page = client.get(LESSON).get_data(as_text=True)
    assert "is-done" in state_of(page, CREATE)
    assert "is-done" not in state_of(page, DELETE)


def test_a_failed_attempt_says_what_differed(client):
    key = learner_key(client)
    client.post("/sandbox/users", data="{not json", headers={
        "X-Sandbox-Key": key, "Content-Type": "application/json"})
    state = state_of(client.get(LESSON).get_data(as_text=True), CREATE)
    assert "You got 400 Bad Request: the body was not valid JSON." in state


def test_done_stays_done_after_later_failures_and_dropped_exchanges(app, client):
    key = learner_key(client)
    client.post("/sandbox/users", json=USER, headers={"X-Sandbox-Key": key})
    client.get(LESSON)
    for _ in range(KEEP_PER_LEARNER + 5):
        client.post("/sandbox/users", data="x", headers={"X-Sandbox-Key": key})
    assert "is-done" in state_of(client.get(LESSON).get_data(as_text=True), CREATE)
    with app.app_context():
        assert db.session.query(TaskExchange).count() == KEEP_PER_LEARNER
        assert db.session.query(TaskDone).count() == 1


def test_the_public_key_and_a_made_up_key_record_nothing(app, client):
    learner_key(client)
    for headers in ({}, {"X-Sandbox-Key": "public"}, {"X-Sandbox-Key": "made-up-key"}):
        assert client.post("/sandbox/users", json=USER, headers=headers).status_code == 201
    with app.app_context():
        assert db.session.query(TaskExchange).count() == 0
    assert "is-done" not in state_of(client.get(LESSON).get_data(as_text=True), CREATE)


def test_another_learners_key_and_tasks_never_show(app):
    first, second = app.test_client(), app.test_client()
    key = learner_key(first)
    other = learner_key(second)
    assert key != other
    first.post("/sandbox/users", json=USER, headers={"X-Sandbox-Key": key})
    page = second.get(LESSON).get_data(as_text=True)
    assert key not in page and "is-done" not in state_of(page, CREATE)
    assert "is-done" in state_of(first.get(LESSON).get_data(as_text=True), CREATE)


def test_hostile_bodies_and_headers_are_escaped(client):
    key = learner_key(client)
    hostile = "<script>alert(1)</script>"
    client.put("/sandbox/users/1", data="<img src=x onerror=alert(1)>", headers={
        "X-Sandbox-Key": key, "Content-Type": hostile, "X-Evil": hostile})
    client.post("/sandbox/users", data="[" * 3000 + "]" * 3000, headers={
        "X-Sandbox-Key": key, "Content-Type": "application/json"})  # nested too deep to read
    response = client.get(LESSON)
    assert response.status_code == 200
    assert "not valid JSON" in state_of(response.get_data(as_text=True), CREATE)
    # A diagnosis quotes what the learner sent: escaped.
    client.get("/sandbox/get", query_string={"sort": hostile}, headers={"X-Sandbox-Key": key})
    page = client.get("/learn/python-backend/http-basics").get_data(as_text=True)
    assert "The query’s sort" in page.replace("'", "’") or "query&#39;s sort" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;”" in page


def test_the_poll_answers_204_until_something_new_arrives(client):
    key = learner_key(client)
    page = client.get(LESSON).get_data(as_text=True)
    poll = re.search(r'hx-get="([^"]+/tasks\?v=\d+)"', page).group(1)
    assert client.get(poll, headers=HTMX).status_code == 204
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    answer = client.get(poll, headers=HTMX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "HX-Request" in answer.headers["Vary"]
    assert "<html" not in html and answer.headers["Cache-Control"] == "no-store"
    assert f'id="{DELETE}-state" class="task-state is-done"' in html
    assert 'hx-swap-oob="innerHTML"' in html and 'id="progress"' in html
    again = re.search(r'hx-get="([^"]+/tasks\?v=\d+)"', html).group(1)
    assert again != poll and client.get(again, headers=HTMX).status_code == 204


def test_the_poll_without_htmx_leads_to_the_lesson(client):
    answer = client.get(f"{LESSON}/tasks")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"#{CREATE}")
    assert client.get("/learn/python-backend/nope/tasks", headers=HTMX).status_code == 404


def test_a_panel_send_updates_the_task_in_the_same_answer(client):
    learner_key(client)
    answer = post(client, "/tryit/send", {
        "method": "DELETE", "path": "/sandbox/users/3", "lesson": "python-backend/rest-api",
        "header_name": "", "header_value": "", "body": ""}, htmx=True)
    html = answer.get_data(as_text=True)
    assert f'id="{DELETE}-state" class="task-state is-done"' in html
    assert 'id="task-poll"' in html


def test_a_visitors_first_send_brings_their_key_into_the_commands(client):
    assert "YOUR-KEY" in client.get(LESSON).get_data(as_text=True)
    answer = post(client, "/tryit/send", {"method": "GET", "path": "/sandbox/users/1",
                                          "lesson": "python-backend/rest-api"}, htmx=True)
    html = answer.get_data(as_text=True)
    assert f'id="{CREATE}-command" class="task-command" hx-swap-oob="true"' in html
    assert "YOUR-KEY" not in html and re.search(r"X-Sandbox-Key: [\w-]{20,}", html)


def test_a_plain_panel_send_shows_the_task_done_after_the_redirect(client):
    learner_key(client)
    answer = post(client, "/tryit/send", {
        "method": "DELETE", "path": "/sandbox/users/3", "lesson": "python-backend/rest-api"})
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "is-done" in state_of(page, DELETE)


def test_tasks_count_in_progress(client):
    key = learner_key(client)
    before = re.search(r'progress-percent">(\d+)%', client.get(LESSON).get_data(as_text=True))
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    page = client.get(LESSON).get_data(as_text=True)
    after = re.search(r'progress-percent">(\d+)%', page)
    assert int(after.group(1)) > int(before.group(1))
    assert '<p class="progress-tasks">1 of 3 tasks done</p>' in page


def test_a_visitor_sees_tasks_and_a_command_to_fill_in(client):
    page = client.get(LESSON).get_data(as_text=True)
    assert "X-Sandbox-Key: YOUR-KEY" in page and "To do" in state_of(page, CREATE)


def test_exchanges_go_with_the_learner(app, client):
    key = learner_key(client)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    client.get(LESSON)  # written before the page reads it
    with app.app_context():
        assert db.session.query(TaskExchange).count() == 1
        db.session.execute(db.delete(Learner))
        db.session.commit()
        assert db.session.query(TaskExchange).count() == 0


def test_logging_in_brings_the_devices_tasks_to_the_account(app):
    from .test_accounts import login, signup

    home = app.test_client()
    signup(home)
    school = app.test_client()
    key = learner_key(school)
    school.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    school.get(LESSON)  # graded: done on the device
    school.post("/sandbox/users", json=USER, headers={"X-Sandbox-Key": key})  # not graded yet
    login(school)
    page = school.get(LESSON).get_data(as_text=True)
    assert "is-done" in state_of(page, DELETE) and "is-done" in state_of(page, CREATE)
    assert key not in page  # the account's own key now
    with app.app_context():
        assert db.session.query(TaskDone).count() == 2
        assert db.session.query(Learner).count() == 1


def test_purge_drops_exchanges_as_old_as_idle_sandbox_data(app, client):
    from datetime import UTC, datetime, timedelta

    key = learner_key(client)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    client.get(LESSON)  # written before the page reads it
    with app.app_context():
        db.session.execute(db.update(TaskExchange).values(
            created_at=datetime.now(UTC) - timedelta(days=400)))
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    with app.app_context():
        assert db.session.query(TaskExchange).count() == 0


def test_me_and_the_teachers_pages_show_tasks_per_learner_and_per_task(app):
    from .test_dashboard import join, learner_id, new_class, signed_up, teacher_client, text

    teacher = teacher_client(app)
    url, code = new_class(teacher)
    grace = signed_up(app, "Grace")
    join(grace, code)
    key = learner_key(grace)
    grace.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    grace.get(LESSON)
    me = text(grace.get("/me"))
    assert "1 of 3 done" in me and "Done</span> Delete a user and get 204" in me
    board = text(teacher.get(url))
    assert "Tasks 1/3" in board
    stats = text(teacher.get(url + "/lessons/python-backend/rest-api"))
    tasks = stats[stats.index("Tasks: who did each"):stats.index("FAQ: opened most")]
    assert "Delete a user and get 204" in tasks and "Grace" in tasks
    projector = text(teacher.get(url + "/lessons/python-backend/rest-api?projector=1"))
    assert "Grace" not in projector[projector.index("Tasks: who did each"):]
    learner_page = text(teacher.get(f"{url}/learners/{learner_id(app, 'Grace')}"))
    assert "Delete a user and get 204: done" in learner_page
    assert 'Create a user of your own: <span class="meta">not done yet' in learner_page


def test_the_poll_stops_once_every_task_is_done(client):
    key = learner_key(client)
    client.post("/sandbox/users", json=USER, headers={"X-Sandbox-Key": key})
    client.put("/sandbox/users/1", json=USER, headers={"X-Sandbox-Key": key})
    assert 'hx-get="/learn/python-backend/rest-api/tasks' in client.get(LESSON).get_data(
        as_text=True)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    page = client.get(LESSON).get_data(as_text=True)
    assert '<div id="task-poll"></div>' in page


def test_get_a_401_then_a_200_from_the_same_url(client):
    key = learner_key(client)
    url, lesson = "/sandbox/basic-auth/grace/hopper", "/learn/python-backend/authentication"
    task_id = "task-get-a-401-then-log-in"
    auth = {"X-Sandbox-Key": key, "Authorization": "Basic Z3JhY2U6aG9wcGVy"}  # grace:hopper
    assert client.get(url, headers=auth).status_code == 200
    assert "asks for 401 Unauthorized first" in state_of(
        client.get(lesson).get_data(as_text=True), task_id)
    assert client.get(url, headers={"X-Sandbox-Key": key}).status_code == 401
    assert client.get(url, headers=auth).status_code == 200
    assert "is-done" in state_of(client.get(lesson).get_data(as_text=True), task_id)


def test_an_exchange_is_stored_with_an_aware_time_like_every_other(app, client):
    from datetime import UTC, datetime, timedelta

    key = learner_key(client)
    client.delete("/sandbox/users/2", headers={"X-Sandbox-Key": key})
    client.get(LESSON)  # written before the page reads it
    with app.app_context():
        stored = db.session.query(TaskExchange).one().created_at
        assert abs(stored - datetime.now(UTC)) < timedelta(minutes=1)
