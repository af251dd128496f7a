"""WSGI glue: the mount helper, a filter for the lesson server's cookies, and serving
the sandbox on an origin of its own.

PATH_INFO is what PEP 3333 asks for, the URL's own bytes in a latin-1 str, from every
caller: a server, and the try-it panel's in-process call (tryit/client.call_wsgi). So a
path that is not UTF-8 ("/anything/%FF") reads the same in the panel and from curl.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from urllib.parse import quote, urlsplit

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from .responses import PROBLEM_MIMETYPE, problem

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
# Set on requests from this process (the try-it panel); no HTTP client can set an
# environ key that does not start with HTTP_.
IN_PROCESS = "hyperlesson.in_process"


def without_cookies(app: WSGIApp, names: Iterable[str]) -> WSGIApp:
    """`app` never sees the cookies called `names` (the lesson server's session and login
    cookies), which a browser sends to every path of the site, /sandbox included."""
    hidden = frozenset(names)

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        header = environ.get("HTTP_COOKIE")
        if header:
            kept = [part for part in header.split(";")
                    if part.split("=", 1)[0].strip() not in hidden]
            if kept:
                environ["HTTP_COOKIE"] = ";".join(kept).strip()
            else:
                del environ["HTTP_COOKIE"]
        return app(environ, start_response)

    return wrapped


def by_host(app: WSGIApp, sandbox: WSGIApp, sandbox_origin: str,
            prefix: str = "/sandbox") -> WSGIApp:
    """Serve the sandbox on an origin of its own (HYPERLESSON_SANDBOX_ORIGIN).

    Requests for the sandbox's host and port reach only `sandbox`, under `prefix`; on
    every other host, `prefix` answers 308 with the same path on the sandbox's origin,
    so nothing the sandbox sends ever comes from the lesson server's origin.
    """
    parts = urlsplit(sandbox_origin)
    default_port = {"http": 80, "https": 443}[parts.scheme]
    sandbox_host = f"{parts.hostname}:{parts.port or default_port}"
    outside = _outside(prefix, f"{sandbox_origin}{prefix}/ serves only the sandbox")

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if ":" not in host.rpartition("]")[2]:
            host = f"{host}:{default_port}"
        path = environ.get("PATH_INFO", "")
        inside = path == prefix or path.startswith(prefix + "/")
        if host.lower() == sandbox_host.lower():
            if not inside:
                return outside(environ, start_response)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
            environ["PATH_INFO"] = path[len(prefix):]
            return sandbox(environ, start_response)
        if inside:
            query = environ.get("QUERY_STRING")
            raw = path.encode("latin-1")  # the URL's own bytes (PEP 3333)
            location = sandbox_origin + quote(raw, safe="/%:@!$&'()*+,;=-._~")
            start_response("308 PERMANENT REDIRECT", [
                ("Location", location + (f"?{query}" if query else "")),
                ("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return wrapped


def _outside(prefix: str, detail: str | None = None) -> WSGIApp:
    body = json.dumps(problem(404, detail or f"Only paths under {prefix}/ reach the sandbox.")
                      ).encode()

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        start_response("404 NOT FOUND", [("Content-Type", PROBLEM_MIMETYPE),
                                         ("Content-Length", str(len(body)))])
        return [body]

    return app


def mounted(sandbox_app: WSGIApp, prefix: str = "/sandbox") -> WSGIApp:
    """A WSGI app serving `sandbox_app` under `prefix` and a problem+json 404 elsewhere,
    for in-process callers (the try-it panel): their requests carry IN_PROCESS.

    An in-process caller (tryit/client.call_wsgi) puts the whole URL path in PATH_INFO,
    so give it `mounted(sandbox_app)`, not the bare app (which would see /sandbox/get
    and answer 404).
    """
    dispatcher = DispatcherMiddleware(_outside(prefix), {prefix: sandbox_app})

    def in_process(environ: dict, start_response: Callable) -> Iterable[bytes]:
        environ[IN_PROCESS] = True
        return dispatcher(environ, start_response)

    return in_process
