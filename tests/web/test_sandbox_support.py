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
    return httpx.Client(transport=httpx.WSGITransport(app=mounted(app)), base_url=BASE_URL,
                        headers=headers)


def assert_problem(response: httpx.Response, status: int) -> dict:
    """The response is a problem+json body with that status; returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body
