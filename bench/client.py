"""Plain HTTP calls with http.client: become a learner, and check a scenario once.

The standard library is enough here and sends exactly the headers and body we give it,
which are the ones wrk will repeat, so a check that passes speaks for the benchmark.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    cookies: dict[str, str]  # what Set-Cookie asked the client to keep

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
                     {name: morsel.value for name, morsel in jar.items()})
    finally:
        connection.close()


@dataclass
class Learner:
    """A learner's cookies and CSRF token, as a browser tab would hold them."""

    cookies: dict[str, str]
    csrf_token: str

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def form(self, fields: dict[str, str]) -> bytes:
        return urlencode({**fields, "csrf_token": self.csrf_token}).encode()


def become_learner(port: int, page: str, first_posts: list[tuple[str, dict[str, str]]]
                   ) -> Learner:
    """Open `page` for a session cookie and CSRF token, then send `first_posts` (htmx
    form posts) so the learner exists in the database and has some progress."""
    reply = fetch(port, "GET", page)
    if reply.status != 200:
        raise RuntimeError(f"GET {page}: {reply.summary()}")
    token = CSRF_FIELD.search(reply.body)
    if token is None or not reply.cookies:
        raise RuntimeError(f"GET {page}: no CSRF token or no session cookie in the page")
    learner = Learner(dict(reply.cookies), token.group(1).decode())
    for path, fields in first_posts:
        reply = fetch(port, "POST", path, htmx_headers(learner), learner.form(fields))
        if reply.status != 200:
            raise RuntimeError(f"POST {path}: {reply.summary()}")
        learner.cookies.update(reply.cookies)  # a permanent session is re-signed each time
    return learner


def htmx_headers(learner: Learner) -> dict[str, str]:
    """What htmx sends with a form post from a lesson page."""
    return {"HX-Request": "true", "Cookie": learner.cookie_header(),
            "Content-Type": "application/x-www-form-urlencoded"}
