"""What the sandbox records for tasks: the answer to a request that carries a learner's
key and that some lesson's task fits by method and path, whichever client sent it.

Anything else costs a dictionary look-up and a pattern match: the bench's plain
`/sandbox/get`, the shared "public" key, a path no task names. What is kept is cut to
a byte budget, and waits a moment in this process to be written with others
(web/pending_exchanges.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flask import Flask, Request, Response
from werkzeug.datastructures import EnvironHeaders

from ..content import Catalog
from ..extensions import db
from ..sandbox import EXCHANGE_HOOK
from ..sandbox.userdata import PUBLIC_OWNER
from ..task_check import Exchange
from .pending_exchanges import EXTENSION, PendingExchanges

SANDBOX_PREFIX = "/sandbox"  # where tasks name sandbox paths, whatever the mount
MAX_HEADERS = 30  # per side
MAX_VALUE = 256  # characters of a header value or of the query
MAX_REQUEST_BODY = 4096
MAX_RESPONSE_BODY = 4096
# Never stored: the key itself, and what could carry a learner's own secrets.
NOT_KEPT = {"x-sandbox-key", "cookie", "set-cookie"}
ENVIRON_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}  # WSGI's names without HTTP_


class TaskRoutes:
    """The path patterns of every task in a catalog, by method, each method's joined
    into one pattern: one match a request, however many tasks there are."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        patterns: dict[str, set[str]] = {}
        for track in catalog.tracks:
            for lesson in track.lessons:
                for task in lesson.tasks:
                    patterns.setdefault(task.method, set()).add(task.path_pattern.pattern)
        self.by_method = {method: re.compile("|".join(f"(?:{p})" for p in sorted(each)))
                          for method, each in patterns.items()}

    def fit(self, method: str, path: str) -> bool:
        pattern = self.by_method.get(method)
        return pattern is not None and pattern.match(path) is not None


def install(app: Flask, sandbox_app: Flask) -> None:
    """Have `sandbox_app` record exchanges for the tasks of `app`'s catalog."""
    routes: list[TaskRoutes] = []  # the index of the catalog in use, rebuilt on a reload
    pending = app.extensions[EXTENSION] = PendingExchanges(app, Captured.exchange)

    def current_routes() -> TaskRoutes:
        catalog = app.extensions["catalog"]
        if not routes or routes[0].catalog is not catalog:
            routes[:] = [TaskRoutes(catalog)]
        return routes[0]

    def hook(request: Request, response: Response) -> None:
        key = request.environ["HTTP_X_SANDBOX_KEY"]  # _offer_exchange saw the header
        path = SANDBOX_PREFIX + request.path
        if key == PUBLIC_OWNER or not current_routes().fit(request.method, path):
            return
        if db.session.registry.has():
            # What the view left uncommitted (a refused request's budget count) would be
            # rolled back at teardown anyway; rolled back now, it holds no lock that a
            # batch written by this request would wait for (SQLite has one writer).
            db.session.rollback()
        pending.add(key, Captured.of(request, response, path))

    sandbox_app.extensions[EXCHANGE_HOOK] = hook


class Captured(NamedTuple):
    """What an exchange is made of, taken while the request lasts: its body can be read
    only then, and the response's headers may still change. Cut to the budgets and made
    into an Exchange only if it is written: of a learner's loop of requests, only the
    newest few of a batch are (web/pending_exchanges.py)."""

    method: str
    path: str
    query: bytes
    environ: dict[str, str]  # the request's headers, as WSGI names them
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes

    @classmethod
    def of(cls, request: Request, response: Response, path: str) -> Captured:
        streamed = response.is_streamed or response.direct_passthrough
        environ = request.environ
        # Strings only: a copy of the environ would keep the server's socket and
        # stream objects alive until the batch, and the garbage collector busy.
        headers = {name: value for name, value in environ.items()
                   if name.startswith("HTTP_") or name in ENVIRON_HEADERS}
        return cls(request.method, path, request.query_string, headers,
                   _body(request), response.status_code, response.headers.to_wsgi_list(),
                   b"" if streamed else response.get_data()[:MAX_RESPONSE_BODY])

    def exchange(self) -> Exchange:
        return Exchange(
            method=self.method, path=self.path[:1000],
            query=self.query.decode("latin-1")[:MAX_VALUE],
            request_headers=_headers(EnvironHeaders(self.environ).items()),
            request_body=_text(self.request_body), status=self.status,
            response_headers=_headers(self.response_headers),
            response_body=_text(self.response_body))


def _body(request: Request) -> bytes:
    """The start of the request's body. Without Content-Length or chunks there is none
    (RFC 9112, 6.3), and no input stream is opened for it: most requests a task fits
    are such GETs, and the stream cost more than the rest of the capture."""
    environ = request.environ
    if not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return b""
    return request.get_data(cache=True)[:MAX_REQUEST_BODY]


def _headers(items) -> tuple[tuple[str, str], ...]:
    kept = [(name[:100], value[:MAX_VALUE]) for name, value in items
            if name.lower() not in NOT_KEPT]
    return tuple(kept[:MAX_HEADERS])


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
