"""Small helpers for driving the app like a browser would, with the test client."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from html import unescape

LESSON = "/learn/python-backend/http-basics"
HTMX = {"HX-Request": "true"}


def csrf_token(client, url: str = LESSON) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post(client, url: str, data: dict | None = None, htmx: bool = False, token: str | None = None):
    form = {"csrf_token": token or csrf_token(client), **(data or {})}
    return client.post(url, data=form, headers=HTMX if htmx else {})


def correct_choice(app, question_id: str = "q1", lesson=("python-backend", "http-basics")) -> str:
    return app.extensions["catalog"].lesson(*lesson).question(question_id).correct_key


def wrong_choice(app, question_id: str = "q1", lesson=("python-backend", "http-basics")) -> str:
    question = app.extensions["catalog"].lesson(*lesson).question(question_id)
    return next(o.key for o in question.options if not o.correct)


SEND = "/tryit/send"


def send_tryit(client, path, method="GET", headers=(), body="", htmx=True, token=None, **extra):
    form = {"csrf_token": token or csrf_token(client, "/tryit"), "method": method,
            "path": path, "body": body,
            "header_name": [n for n, _ in headers], "header_value": [v for _, v in headers],
            **extra}
    return client.post(SEND, data=form, headers=HTMX if htmx else {})


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def snippet(page: str, label: str) -> str:
    block = page.split(f">{label}</span>", 1)[1]
    return re.search(r"<code id=\"snippet-\d\">(.*?)</code>", block, re.S).group(1)


@contextmanager
def captured_log(monkeypatch):
    """The records the "hyperlesson" logger emits (warnings and up) within the block."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("hyperlesson")
    # Alembic's logging setup (run by other tests) disables loggers that already exist.
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "level", logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
