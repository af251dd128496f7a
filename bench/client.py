"""Plain HTTP calls with http.client: become a learner, sign up and log in, and check a
scenario once.

The standard library is enough here and sends exactly the headers and body we give it,
which are the ones wrk will repeat, so a check that passes speaks for the benchmark.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    cookies: dict[str, str]  # what Set-Cookie asked the client to keep
    location: str | None = None  # where a redirect leads

    def summary(self) -> str:
        """Status and the start of the body, for an error message."""
        text = self.body[:120].decode("utf-8", "replace").replace("\n", " ").strip()
        return f"HTTP {self.status}: {text}"


def fetch(port: int, method: str, path: str, headers: dict[str, str] | None = None,
          body: bytes = b"") -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body if method != "GET" else None,
                           headers=headers or {})
        response = connection.getresponse()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return Reply(response.status, response.read(),
                     {name: morsel.value for name, morsel in jar.items()},
                     response.headers.get("Location"))
    finally:
        connection.close()


@dataclass
class Learner:
    """A learner's cookies and CSRF token, as a browser tab would hold them."""

    cookies: dict[str, str]
    csrf_token: str
    sandbox_key: str = ""  # from the page's task commands, once the learner exists

    def cookie_header(self) -> str:
        return cookie_header(self.cookies)

    def form(self, fields: dict[str, str]) -> bytes:
        return urlencode({**fields, "csrf_token": self.csrf_token}).encode()


def open_form(port: int, page: str, cookies: dict[str, str] | None = None) -> Learner:
    """GET `page` as a browser holding `cookies` (none: a new browser): the cookies it
    holds afterwards and the CSRF token of the page's form."""
    cookies = dict(cookies or {})
    reply = fetch(port, "GET", page, {"Cookie": cookie_header(cookies)} if cookies else None)
    if reply.status != 200:
        raise RuntimeError(f"GET {page}: {reply.summary()}")
    cookies.update(reply.cookies)
    token = CSRF_FIELD.search(reply.body)
    if token is None or not cookies:
        raise RuntimeError(f"GET {page}: no CSRF token or no session cookie in the page")
    return Learner(cookies, token.group(1).decode())


def submit(port: int, page: str, fields: dict[str, str]) -> tuple[Reply, float, Learner]:
    """A new browser opens the form at `page` and posts `fields` with its token: the
    reply, the seconds the POST took, and the browser's cookies afterwards."""
    browser = open_form(port, page)
    headers = {"Cookie": browser.cookie_header(),
               "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    reply = fetch(port, "POST", page, headers, browser.form(fields))
    seconds = time.perf_counter() - started
    browser.cookies.update(reply.cookies)
    return reply, seconds, browser


def sign_up(port: int, username: str, password: str, code: str = "") -> None:
    """Sign up through /signup; with a class's join code, joining that class too."""
    fields = {"username": username, "password": password, "confirm": password}
    reply, _, _ = submit(port, "/signup", {**fields, "code": code} if code else fields)
    if reply.status != 303:
        raise RuntimeError(f"POST /signup as {username}: {reply.summary()}")


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """The cookies of a new browser once `username` logged in."""
    reply, _, browser = submit(port, "/login", {"username": username, "password": password})
    if reply.status != 303:
        raise RuntimeError(f"POST /login as {username}: {reply.summary()}")
    return browser.cookies


def become_learner(port: int, page: str, first_posts: list[tuple[str, dict[str, str]]],
                   cookies: dict[str, str] | None = None) -> Learner:
    """Open `page` for a session cookie and CSRF token (with `cookies`: as that browser,
    say a logged-in one), then send `first_posts` (htmx form posts) so the learner
    exists in the database and has some progress."""
    learner = open_form(port, page, cookies)
    for path, fields in first_posts:
        reply = fetch(port, "POST", path, htmx_headers(learner), learner.form(fields))
        if reply.status != 200:
            raise RuntimeError(f"POST {path}: {reply.summary()}")
        learner.cookies.update(reply.cookies)  # a permanent session is re-signed each time
    # A task's curl command carries the learner's sandbox key (tasks need a learner).
    again = fetch(port, "GET", page, {"Cookie": learner.cookie_header()})
    key = SANDBOX_KEY.search(again.body)
    learner.sandbox_key = key.group(1).decode() if key else ""
    return learner


SANDBOX_KEY = re.compile(rb"X-Sandbox-Key: ([A-Za-z0-9_-]+)")


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def htmx_headers(learner: Learner) -> dict[str, str]:
    """What htmx sends with a form post from a lesson page."""
    return {"HX-Request": "true", "Cookie": learner.cookie_header(),
            "Content-Type": "application/x-www-form-urlencoded"}
