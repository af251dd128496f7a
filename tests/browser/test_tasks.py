"""Tasks in Chromium, with JavaScript and without: a task turns done after a send from
the panel, and after a request sent with curl while the page is open (with JavaScript,
in place by the poll; without, on the next load)."""

from __future__ import annotations

import re
import shutil
import subprocess

import httpx
from playwright.sync_api import expect

from .test_tryit import fill_and_send

LESSON = "/learn/python-backend/rest-api"
DELETE = "#task-delete-a-user-and-get-204-state"
CREATE = "#task-create-a-user-of-your-own-state"


def send_like_curl(url: str, key: str) -> int:
    """POST a user as a learner would from their terminal: curl when the machine has it."""
    body = '{"name": "Mary Jackson", "email": "mary@example.com"}'
    if shutil.which("curl"):
        done = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
             "-H", "Content-Type: application/json", "-H", f"X-Sandbox-Key: {key}",
             "--data-raw", body, url], capture_output=True, text=True, timeout=10, check=True)
        return int(done.stdout)
    return httpx.post(url, content=body, headers={"Content-Type": "application/json",
                                                  "X-Sandbox-Key": key}).status_code


def test_a_task_turns_done_after_a_panel_send(learner, assert_accessible):
    learner.goto(LESSON)
    expect(learner.locator(DELETE)).to_contain_text("To do")
    assert_accessible(learner)
    url_before = learner.url
    fill_and_send(learner, "DELETE", "/sandbox/users/2")
    expect(learner.locator("#tryit .status-line")).to_have_text("204 No Content")
    expect(learner.locator(DELETE)).to_contain_text("Done")
    expect(learner.locator(CREATE)).to_contain_text("To do")
    if learner.javascript:  # in place: the page was not loaded again
        assert learner.url == url_before
    fill_and_send(learner, "POST", "/sandbox/users", [("Content-Type", "application/json")],
                  "{oops")
    expect(learner.locator(CREATE)).to_contain_text(
        "You got 400 Bad Request: the body was not valid JSON.")
    assert_accessible(learner)


def test_a_task_turns_done_after_curl_while_the_page_is_open(learner, live_server):
    learner.goto(LESSON)
    fill_and_send(learner, "GET", "/sandbox/users/1")  # the learner and their key now exist
    expect(learner.locator("#tryit .status-line")).to_have_text("200 OK")
    learner.goto(LESSON)
    command = learner.locator(".task-command code").first.inner_text()
    key = re.search(r"X-Sandbox-Key: ([\w-]+)", command).group(1)
    expect(learner.locator(CREATE)).to_contain_text("To do")
    assert send_like_curl(f"{live_server}/sandbox/users", key) == 201
    if not learner.javascript:
        learner.reload()
    expect(learner.locator(CREATE)).to_contain_text("Done", timeout=10_000)
