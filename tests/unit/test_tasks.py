"""Tasks: the ```task block read into a check, each condition of the check language on
recorded exchanges, and each plain-words diagnosis."""

from __future__ import annotations

import json

import pytest

from hyperlesson.content.parse import LessonContext, parse_lesson
from hyperlesson.content.tasks import TaskError, parse_task
from hyperlesson.task_check import Exchange, diagnose, grade

from .lesson_files import VALID


def task(*lines: str, goal: str = "Do it."):
    text = parse_task("\n".join(["title: A task", *lines, "", goal]))
    return text.task(lambda md: md, lambda md: md)


def exchange(method="GET", path="/sandbox/users/1", status=200, query="", body="",
             headers=(), response_headers=(), response=None):
    return Exchange(method, path, query, tuple(headers), body, status,
                    tuple(response_headers), "" if response is None else json.dumps(response))


# -- the block -----------------------------------------------------------------------


def test_a_block_reads_into_a_check():
    text = parse_task("id: make-one\ntitle: Make one\nrequest: post /sandbox/users/{id}\n"
                      "request header Content-Type: application/json\nrequest query dry\n"
                      "request json user.name: Ada\nstatus: 2XX\nresponse header Location\n"
                      "response json id: 4\nhint: First.\nhint: Second.\n\nThe *goal*.")
    assert (text.id, text.method, text.path, text.status) == ("task-make-one", "POST",
                                                              "/sandbox/users/{id}", "2xx")
    assert text.hints == ["First.", "Second."] and text.goal == "The *goal*."
    assert [(c.side, c.part, c.name, c.value) for c in text.conditions] == [
        ("request", "header", "Content-Type", "application/json"),
        ("request", "query", "dry", None), ("request", "json", "user.name", "Ada"),
        ("response", "header", "Location", None), ("response", "json", "id", "4")]


def test_the_id_comes_from_the_title_and_always_starts_with_task():
    assert parse_task("title: Get a 404!\nrequest: GET /sandbox/x\n\nGo.").id == "task-get-a-404"
    assert parse_task("id: q1\ntitle: T\nrequest: GET /sandbox/x\n\nGo.").id == "task-q1"
    assert parse_task("id: task-a\ntitle: T\nrequest: GET /sandbox/x\n\nGo.").id == "task-a"
    long = parse_task(f"title: {'Word ' * 40}\nrequest: GET /sandbox/x\n\nGo.").id
    assert len(long) <= 65 and long.startswith("task-word-word") and not long.endswith("-")
    with pytest.raises(TaskError, match="at most 60"):
        parse_task(f"id: {'a' * 61}\ntitle: T\nrequest: GET /sandbox/x\n\nGo.")


@pytest.mark.parametrize(("block", "line", "message"), [
    ("title: T\nrequest: GET /sandbox/x\ncolour: red\n\nGo.", 2, "unknown key 'colour'"),
    ("title: T\nrequest: GET /sandbox/x\nstatus: 2000\n\nGo.", 2, "not a status code"),
    ("title: T\nrequest: GET /sandbox/x\nstatus: 6xx\n\nGo.", 2, "not a status code"),
    ("title: T\nrequest: GET /etc/passwd\n\nGo.", 1, "must start with /sandbox/"),
    ("title: T\nrequest: FETCH /sandbox/x\n\nGo.", 1, "unknown method"),
    ("title: T\nrequest: GET /sandbox/x?a=1\n\nGo.", 1, "request query"),
    ("title: T\nrequest: POST /sandbox/x\nstatus: 304\n\nGo.", 2,
     "no POST request is answered 304"),
    ("title: T\nrequest: HEAD /sandbox/x\nresponse json id\n\nGo.", 1, "HEAD has no body"),
    ("title: T\nrequest: DELETE /sandbox/x\nstatus: 204\nresponse json id\n\nGo.", 2,
     "204 response has no body"),
    ("title: T\nrequest: GET /sandbox/x\n", 2, "needs its goal"),
    ("request: GET /sandbox/x\n\nGo.", 0, "needs a 'title:' line"),
    ("title: T\ntitle: U\nrequest: GET /sandbox/x\n\nGo.", 1, "written twice"),
    ("title: T\nrequest: GET /sandbox/x\nrequest header Bad Name: x\n\nGo.", 2,
     "not a header name"),
    ("title: T\nrequest: GET /sandbox/x\nresponse json a..b\n\nGo.", 2, "not a JSON field"),
    ("title: T\nrequest: GET /sandbox/{a-b}\n\nGo.", 1, "not a placeholder"),
])
def test_mistakes_name_their_line_in_the_block(block, line, message):
    with pytest.raises(TaskError) as error:
        parse_task(block)
    assert message in str(error.value) and error.value.line_in_block == line


def lesson_with(block: str):
    text = VALID.replace("Some words in the first section.",
                         f"Some words in the first section.\n\n```task\n{block}\n```\n")
    return parse_lesson(text, "lessons/t/sample.md", LessonContext(track_slug="t"))


def test_lessons_check_names_the_file_and_line():
    lesson, problems = lesson_with("title: T\nrequest: GET /sandbox/x\nstatus: abc\n\nGo.")
    assert lesson is None
    (problem,) = problems
    first = VALID.split("\n").index("Some words in the first section.") + 1
    assert str(problem).startswith(f"lessons/t/sample.md:{first + 5}: malformed task: status")


def test_a_task_stands_where_it_is_written_and_counts_in_progress_not_minutes():
    lesson, problems = lesson_with("title: T\nrequest: GET /sandbox/x\nhint: `h`\n\nThe **goal**.")
    assert problems == []
    (task_,) = lesson.tasks
    html, found = lesson.sections[0].parts[0]
    assert found == task_ and html.endswith("<p>Some words in the first section.</p>\n")
    assert task_.goal_html == "<p>The <strong>goal</strong>.</p>\n"
    assert task_.hints_html == ("<code>h</code>",)
    assert lesson.work_seconds == lesson.seconds + 30


def test_two_tasks_with_one_title_are_refused():
    block = "title: T\nrequest: GET /sandbox/x\n\nGo.\n```\n\n```task\ntitle: T\n" \
            "request: GET /sandbox/y\n\nGo."
    _, problems = lesson_with(block)
    assert any("duplicate task id 'task-t'" in p.message for p in problems)


# -- the check ------------------------------------------------------------------------


def test_method_and_path_with_a_placeholder_make_an_attempt():
    check = task("request: DELETE /sandbox/users/{id}", "status: 204")
    assert diagnose(check, exchange("DELETE", "/sandbox/users/7", 204)) is None
    states = grade([check], [], [exchange("DELETE", "/sandbox/users/7/x", 204),
                                 exchange("GET", "/sandbox/users/7", 204)])
    assert not states.of(check.id).done and states.of(check.id).diagnosis is None


def test_a_status_class_matches_the_whole_class():
    check = task("request: PUT /sandbox/users/{id}", "status: 2xx")
    assert diagnose(check, exchange("PUT", status=201)) is None
    missing = exchange("PUT", status=404, response={"detail": "There is no user 9."})
    assert diagnose(check, missing) == (
        "You got 404 Not Found: the server says “There is no user 9”.")


def test_request_headers_present_or_equal():
    check = task("request: GET /sandbox/users/1", "request header Accept: application/json")
    assert diagnose(check, exchange(headers=[("accept", "application/json; q=1")])) is None
    assert diagnose(check, exchange()) == ("Your request had no Accept header; this task "
                                           "needs Accept: application/json.")
    assert diagnose(check, exchange(headers=[("Accept", "text/html")])) == (
        "Your request's Accept was “text/html”; this task needs “application/json”.")


def test_query_parameters():
    check = task("request: GET /sandbox/get", "request query sort: desc")
    assert diagnose(check, exchange(path="/sandbox/get", query="a=1&sort=desc")) is None
    assert diagnose(check, exchange(path="/sandbox/get")) == (
        "The query had no sort parameter; this task needs sort=desc.")
    assert diagnose(check, exchange(path="/sandbox/get", query="sort=asc")) == (
        "The query's sort was “asc”; this task needs “desc”.")


def test_request_json_fields():
    check = task("request: POST /sandbox/users", "request json name: Ada",
                 "request json tags.0")
    ok = exchange("POST", "/sandbox/users", body='{"name": "Ada", "tags": ["x"]}')
    assert diagnose(check, ok) is None
    assert diagnose(check, exchange("POST", "/sandbox/users")) == (
        "The request had no body; this task needs JSON with a name field.")
    assert diagnose(check, exchange("POST", "/sandbox/users", body="{nope")) == (
        "The body was not valid JSON.")
    assert diagnose(check, exchange("POST", "/sandbox/users", body='{"name": "Ada"}')) == (
        "The request's JSON has no tags.0 field.")
    wrong = exchange("POST", "/sandbox/users", body='{"name": "Bo", "tags": [1]}')
    assert diagnose(check, wrong) == "Name in the request was “\"Bo\"”; this task needs “Ada”."


def test_a_body_nested_too_deep_is_not_read():
    check = task("request: POST /sandbox/users", "request json name",
                 "response json name")
    deep = "[" * 4000 + "]" * 4000
    assert diagnose(check, exchange("POST", "/sandbox/users", body=deep)) == (
        "The body was not valid JSON.")
    assert diagnose(task("request: GET /sandbox/x", "status: 200"),
                    exchange(path="/sandbox/x", status=400, response=None)) is not None
    assert "detail" not in diagnose(task("request: GET /sandbox/x", "status: 200"), Exchange(
        "GET", "/sandbox/x", status=400, response_body=deep))


def test_json_values_keep_their_type():
    check = task("request: GET /sandbox/users/1", "response json id: 1",
                 "response json admin: true")
    assert diagnose(check, exchange(response={"id": 1, "admin": True})) is None
    assert diagnose(check, exchange(response={"id": 2, "admin": True})) is not None
    assert diagnose(check, exchange(response={"id": 1, "admin": "yes"})) is not None
    assert diagnose(check, exchange(response={"id": 1, "admin": 1})) is not None


def test_response_headers_and_json():
    check = task("request: POST /sandbox/users", "status: 201", "response header Location",
                 "response json email")
    good = exchange("POST", "/sandbox/users", 201, response_headers=[("Location", "/u/4")],
                    response={"email": "a@b"})
    assert diagnose(check, good) is None
    assert diagnose(check, exchange("POST", "/sandbox/users", 201, response={})) == (
        "The response had no Location header; this task needs one.")
    no_json = exchange("POST", "/sandbox/users", 201, response_headers=[("Location", "/u")])
    assert diagnose(check, no_json) == ("The response had no body; this task needs JSON "
                                        "with a email field.")


def test_the_diagnoses_the_issue_promises():
    created = task("request: POST /sandbox/users", "request json name", "status: 201")
    assert diagnose(created, exchange("POST", "/sandbox/users", 400, body="{")) == (
        "You got 400 Bad Request: the body was not valid JSON.")
    fresh = task("request: GET /sandbox/users/{id}", "status: 304")
    assert diagnose(fresh, exchange()) == ("The status was 200 OK; this task needs the "
                                           "server to answer 304 Not Modified: send the "
                                           "ETag back in If-None-Match.")
    stale = exchange(headers=[("If-None-Match", '"old"')])
    assert "did not name the current ETag" in diagnose(fresh, stale)
    untyped = exchange("POST", "/sandbox/users", 415, body="{}")
    assert diagnose(created, untyped) == ("You got 415 Unsupported Media Type: a JSON body "
                                          "needs the header Content-Type: application/json.")
    login = task("request: GET /sandbox/basic-auth/{u}/{p}", "status: 200")
    assert diagnose(login, exchange(path="/sandbox/basic-auth/a/b", status=401)) == (
        "You got 401 Unauthorized: send credentials in an Authorization header.")


def test_a_long_value_is_cut_in_the_diagnosis():
    check = task("request: GET /sandbox/get", "request query q: x")
    reason = diagnose(check, exchange(path="/sandbox/get", query="q=" + "y" * 500))
    assert len(reason) < 200 and "…" in reason


def test_one_meeting_exchange_is_enough_and_the_latest_attempt_explains():
    check = task("request: DELETE /sandbox/users/{id}", "status: 204")
    states = grade([check], [], [exchange("DELETE", status=204),
                                 exchange("DELETE", status=404)])
    assert states.of(check.id).done and states.newly_done == {check.id}
    states = grade([check], [], [exchange("DELETE", status=405),
                                 exchange("DELETE", status=404)])
    assert states.of(check.id).diagnosis.startswith("You got 404 Not Found")
    assert grade([check], [check.id], []).of(check.id).done  # done stays done
    assert grade([check], [check.id], []).newly_done == frozenset()


def test_an_exchange_survives_its_round_trip_through_storage():
    sent = exchange("POST", "/sandbox/users", 201, "a=1", "{}", [("A", "b")], [("C", "d")],
                    {"id": 4})
    assert Exchange.from_json(sent.to_json()) == sent


def test_a_first_status_must_come_before_from_the_same_url():
    check = task("request: GET /sandbox/basic-auth/{user}/{password}", "first status: 401",
                 "request header Authorization", "status: 200")
    assert check.first_status == "401"
    login = exchange(path="/sandbox/basic-auth/a/b", headers=[("Authorization", "Basic x")])
    refused = exchange(path="/sandbox/basic-auth/a/b", status=401)
    elsewhere = exchange(path="/sandbox/basic-auth/c/d", status=401)
    states = grade([check], [], [login])
    assert not states.of(check.id).done
    assert states.of(check.id).diagnosis == (
        "The status was 200 OK, as this task needs, but it asks for 401 Unauthorized first "
        "from the same URL: send the request that gets it, then this one again.")
    assert not grade([check], [], [elsewhere, login]).of(check.id).done
    assert not grade([check], [], [login, refused]).of(check.id).done  # the wrong order
    assert grade([check], [], [refused, login]).of(check.id).done


@pytest.mark.parametrize(("block", "message"), [
    ("title: T\nrequest: GET /sandbox/x\nfirst status: 401\n\nGo.", "write that one too"),
    ("title: T\nrequest: GET /sandbox/x\nfirst status: 40\nstatus: 200\n\nGo.",
     "first status '40' is not a status code"),
])
def test_first_status_mistakes(block, message):
    with pytest.raises(TaskError, match=message):
        parse_task(block)
