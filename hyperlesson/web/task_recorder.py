"""What the sandbox records for tasks: the answer to a request that carries a learner's
key and that some lesson's task fits by method and path, whichever client sent it.

Anything else costs a dictionary look-up: the bench's plain `/sandbox/get`, the shared
"public" key, a path no task names. What is kept is cut to a byte budget.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Request, Response
from sqlalchemy.exc import SQLAlchemyError

from ..content import Catalog
from ..extensions import db
from ..records.task_records import record_exchange
from ..sandbox import EXCHANGE_HOOK
from ..sandbox.userdata import PUBLIC_OWNER
from ..task_check import Exchange

SANDBOX_PREFIX = "/sandbox"  # where tasks name sandbox paths, whatever the mount
MAX_HEADERS = 30  # per side
MAX_VALUE = 256  # characters of a header value or of the query
MAX_REQUEST_BODY = 4096
MAX_RESPONSE_BODY = 4096
# Never stored: the key itself, and what could carry a learner's own secrets.
NOT_KEPT = {"x-sandbox-key", "cookie", "set-cookie"}

log = logging.getLogger(__name__)


class TaskRoutes:
    """The (method, path pattern) of every task in a catalog, by method."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.by_method: dict[str, list[re.Pattern[str]]] = {}
        for track in catalog.tracks:
            for lesson in track.lessons:
                for task in lesson.tasks:
                    self.by_method.setdefault(task.method, []).append(task.path_pattern)

    def fit(self, method: str, path: str) -> bool:
        return any(pattern.match(path) for pattern in self.by_method.get(method, ()))


def install(app: Flask, sandbox_app: Flask) -> None:
    """Have `sandbox_app` record exchanges for the tasks of `app`'s catalog."""
    routes: list[TaskRoutes] = []  # the index of the catalog in use, rebuilt on a reload

    def current_routes() -> TaskRoutes:
        catalog = app.extensions["catalog"]
        if not routes or routes[0].catalog is not catalog:
            routes[:] = [TaskRoutes(catalog)]
        return routes[0]

    def hook(request: Request, response: Response) -> None:
        key = request.headers["X-Sandbox-Key"]
        path = SANDBOX_PREFIX + request.path
        if key == PUBLIC_OWNER or not current_routes().fit(request.method, path):
            return
        if db.session.registry.has():
            # What the view left uncommitted (a refused request's budget count) would be
            # rolled back at teardown anyway; rolled back now, it holds no lock the
            # record would wait for (SQLite has one writer).
            db.session.rollback()
        try:
            record_exchange(key, snapshot(request, response, path),
                            ceiling=app.config["MAX_TASK_EXCHANGES"])
        except SQLAlchemyError:  # the learner's answer matters more than its record
            log.exception("could not record a sandbox exchange for tasks")

    sandbox_app.extensions[EXCHANGE_HOOK] = hook


def snapshot(request: Request, response: Response, path: str) -> Exchange:
    return Exchange(
        method=request.method, path=path[:1000],
        query=request.query_string.decode("latin-1")[:MAX_VALUE],
        request_headers=_headers(request.headers.items()),
        request_body=_text(request.get_data(cache=True), MAX_REQUEST_BODY),
        status=response.status_code,
        response_headers=_headers(response.headers.items()),
        response_body=("" if response.is_streamed or response.direct_passthrough
                       else _text(response.get_data(), MAX_RESPONSE_BODY)))


def _headers(items) -> tuple[tuple[str, str], ...]:
    kept = [(name[:100], value[:MAX_VALUE]) for name, value in items
            if name.lower() not in NOT_KEPT]
    return tuple(kept[:MAX_HEADERS])


def _text(data: bytes, limit: int) -> str:
    return data[:limit].decode("utf-8", errors="replace")
