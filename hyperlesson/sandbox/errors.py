"""Every sandbox error as application/problem+json (RFC 9457), never an HTML page.

Learners read these bodies in the try-it panel, so each says what to change. A 405
keeps its Allow header; a 401 keeps its challenge; a database that is busy is a 503
with Retry-After rather than a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, Response, current_app, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadHost, HTTPException

from hyperlesson.extensions import db

from .responses import PROBLEM_MIMETYPE, ProblemError, problem

log = logging.getLogger(__name__)

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allow(methods) -> str:
    known = [m for m in METHOD_ORDER if m in methods]
    return ", ".join(known + sorted(set(methods) - set(METHOD_ORDER)))


def _detail(error: HTTPException) -> str | None:
    if error.code == 404:
        return (f"There is no such sandbox endpoint. GET {request.script_root}/openapi.json "
                "lists them all.")
    if error.code == 413:
        return "The request body is larger than the sandbox accepts (64 KB)."
    if isinstance(error, BadHost):  # the Host header failed IDNA encoding
        return ("The Host header is not a valid host name: each part between dots must have "
                "1 to 63 characters.")
    return error.description


def problem_response(status: int, detail: str | None = None, *,
                     headers: Mapping[str, str] | None = None, **extra) -> Response:
    response = current_app.json.response(problem(status, detail, **extra))
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ProblemError)
    def sandbox_problem(error: ProblemError):
        return problem_response(error.status, error.detail, headers=error.headers,
                                **error.extra)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        headers = {}
        if status == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = _allow(error.valid_methods)
        detail = _detail(error)
        if "Allow" in headers:
            detail = f"This endpoint does not accept that method. Allowed: {headers['Allow']}."
        return problem_response(status, detail, headers=headers)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        db.session.rollback()
        log.warning("sandbox database unavailable: %s", error)
        return problem_response(503, "The sandbox database is busy; try again in a moment.",
                                headers={"Retry-After": "1"})

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def write_conflict(error: Exception):
        db.session.rollback()
        return problem_response(409, "Another request changed this data at the same time; "
                                     "try again.")
