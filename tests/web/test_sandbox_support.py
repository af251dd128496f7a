"""Helpers shared by the sandbox web tests (no tests here).

The sandbox is exercised the way the try-it panel calls it: httpx in-process, through
WSGITransport, with the app mounted at /sandbox, so SCRIPT_NAME and every Location
are what production sees.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from flask import Flask

from hyperlesson.extensions import db
from hyperlesson.sandbox import create_sandbox_app, mounted

BASE_URL = "http://testserver/sandbox"


def make_sandbox(tmp_path: Path) -> Flask:
    app = create_sandbox_app({"TESTING": True,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}"})
    with app.app_context():
        db.create_all()
    return app


def client_for(app: Flask, key: str | None = None) -> httpx.Client:
    headers = {"X-Sandbox-Key": key} if key else {}
    return httpx.Client(transport=httpx.WSGITransport(app=as_a_server_would(mounted(app))),
                        base_url=BASE_URL, headers=headers)


def as_a_server_would(app):
    """httpx's WSGITransport puts the decoded path in PATH_INFO; a server (and the try-it
    panel) puts the URL's own bytes in a latin-1 str, as PEP 3333 asks."""
    def wrapped(environ, start_response):
        environ["PATH_INFO"] = environ["PATH_INFO"].encode("utf-8").decode("latin-1")
        return app(environ, start_response)
    return wrapped


def assert_problem(response: httpx.Response, status: int) -> dict:
    """The response is a problem+json body with that status; returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body
