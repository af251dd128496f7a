"""What `make bench` measures: each scenario is one request, repeated by wrk.

A scenario is checked once with Python before wrk repeats it, because wrk only counts
responses: a quiz post rejected for a missing CSRF token is fast, and would look great.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperlesson.config import SHIPPED_LESSONS

from . import BARE_PATH, HTTPBIN_PREFIX, httpbin_missing_reason
from .client import Learner, fetch, htmx_headers

TRACK, LESSON_SLUG, QUESTION, SECTION = "python-backend", "http-basics", "q1", "what-is-http"
LESSON = f"/learn/{TRACK}/{LESSON_SLUG}"
QUIZ_ANSWER = f"{LESSON}/quiz/{QUESTION}"
SECTION_REACHED = f"{LESSON}/sections/{SECTION}/reached"
LOGGED_IN = b'<span class="who">'  # the header's username: only a logged-in page has it


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    fields: dict[str, str] | None = None  # a POST's form; the CSRF token is added
    learner: bool = False  # send the learner's session cookie
    account: bool = False  # as the logged-in account's learner, not the anonymous one
    htmx: bool = False  # send it as htmx does (implies the cookie)
    expect: str = "any"  # "page": a full HTML page; "fragment": anything but one
    missing_ok: bool = False  # a 404 means "not built yet": skip, don't fail
    skip: str | None = None  # known before the run not to be measurable, and why
    aim_bytes: int | None = None  # a response-size goal, noted when exceeded
    status: int = 200  # the answer expected (204: a poll with nothing new)
    sandbox_key: bool = False  # send the learner's X-Sandbox-Key (a task records it)
    # At least this share of the bare route's requests/second. Issue 12 aimed higher
    # (page 0.5, answers 0.35, send 0.15); these are the levels its design work reached,
    # less the bench's noise, so a change that loses ground shows (README, Speed).
    aim: float | None = None

    def request(self, learner: Learner) -> tuple[dict[str, str], bytes]:
        """The headers and body to send, the same for the check and for wrk."""
        if self.htmx and self.method == "GET":  # an htmx GET (a poll) has no form
            headers = {"HX-Request": "true", "Cookie": learner.cookie_header()}
        elif self.htmx:
            headers = htmx_headers(learner)
        else:
            headers = {"Cookie": learner.cookie_header()} if self.learner else {}
        if self.sandbox_key:
            headers = {**headers, "X-Sandbox-Key": learner.sandbox_key}
        body = learner.form(self.fields) if self.fields is not None else b""
        return headers, body


@dataclass(frozen=True)
class Check:
    state: str  # "ok", "skipped" or "error"
    note: str = ""
    size: int | None = None  # response body in bytes


def build(correct_key: str) -> list[Scenario]:
    return [
        Scenario("bare", "GET", BARE_PATH),
        Scenario("lesson page", "GET", LESSON, learner=True, expect="page", aim=0.32),
        Scenario("lesson page (logged in)", "GET", LESSON, learner=True, account=True,
                 expect="page", aim=0.32),
        Scenario("quiz answer (htmx)", "POST", QUIZ_ANSWER, {"choice": correct_key},
                 # The question, its feedback, and out of band the score and the
                 # progress card, whose "Continue where you left off" link stays (90 B).
                 htmx=True, expect="fragment", aim_bytes=2304, aim=0.29),
        Scenario("progress update (htmx)", "POST", SECTION_REACHED, {}, htmx=True,
                 expect="fragment", aim=0.29),
        # Before any send: the panel's sends carry the learner's key, and a task of
        # http-basics fits them, so afterwards the poll's version is no longer 0.
        Scenario("task poll (unchanged)", "GET", f"{LESSON}/tasks?v=0", htmx=True,
                 status=204),
        Scenario("try-it send (htmx)", "POST", "/tryit/send",
                 {"method": "GET", "path": "/sandbox/get?lesson=http", "body": ""},
                 htmx=True, expect="fragment", missing_ok=True, aim=0.13),
        Scenario("sandbox /get", "GET", "/sandbox/get", missing_ok=True),
        # HTTP tasks: recording should keep /get at 0.9 of the line above (and an
        # unchanged task poll, above, cost at most twice the bare route): the learner's
        # key on a request a task of http-basics fits, so each one is recorded.
        Scenario("sandbox /get (recorded for a task)", "GET", "/sandbox/get?lesson=http",
                 sandbox_key=True, missing_ok=True),
        Scenario("httpbin /get", "GET", f"{HTTPBIN_PREFIX}/get", skip=httpbin_missing_reason()),
    ]


def first_posts(correct_key: str) -> list[tuple[str, dict[str, str]]]:
    """What the learner does before the run: answer q1, reach a section (some progress)."""
    return [(QUIZ_ANSWER, {"choice": correct_key}), (SECTION_REACHED, {})]


def correct_key() -> str:
    """The right answer to q1, read from the lesson file the server also reads."""
    from hyperlesson.content import load_catalog  # only the parser: no app, no database

    lesson = load_catalog(SHIPPED_LESSONS).lesson(TRACK, LESSON_SLUG)
    question = lesson.question(QUESTION) if lesson else None
    if question is None:
        raise RuntimeError(f"lessons/{TRACK}/{LESSON_SLUG}.md has no question {QUESTION}")
    return question.correct_key


def check(scenario: Scenario, port: int, learner: Learner) -> Check:
    """Send the scenario's request once and judge the answer."""
    if scenario.skip:
        return Check("skipped", scenario.skip)
    headers, body = scenario.request(learner)
    reply = fetch(port, scenario.method, scenario.path, headers, body)
    if reply.status == 404 and scenario.missing_ok:
        return Check("skipped", "skipped (404)")
    if reply.status != scenario.status:
        return Check("error", f"error ({reply.summary()})")
    is_page = b"<html" in reply.body[:1000].lower()
    if scenario.expect == "fragment" and is_page:
        return Check("error", "error (a full page where htmx expects a fragment)")
    if scenario.expect == "page" and not is_page:
        return Check("error", "error (not an HTML page)")
    if scenario.account and LOGGED_IN not in reply.body:
        return Check("error", "error (the page is not a logged-in one)")
    over = scenario.aim_bytes is not None and len(reply.body) > scenario.aim_bytes
    return Check("ok", f"over the {scenario.aim_bytes} B aim" if over else "", len(reply.body))
