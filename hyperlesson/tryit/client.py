"""Send a validated TryRequest to the sandbox in-process and describe what came back.

No socket is opened: send() builds the WSGI environ a server would and calls the
sandbox app itself (call_wsgi). Cookies come only from the CookieJar given (the
learner's jar for the sandbox, never the learner's browser): each request of a
redirect chain carries what the jar holds for its path, and each answer's Set-Cookie
goes into it, as a browser would. Without a jar, a fresh one lives for the one call.
Redirects are followed by hand, only to Locations inside the sandbox.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import perf_counter, time
from urllib.parse import unquote_to_bytes

from .body import decode_content
from .cookies import CookieJar
from .request import TryRequest, fold_headers, validate
from .result import Exchange, Hop, response_view
from .statuses import reason
from .urls import Origin, encode_target, parse_origin, public_origin, sandbox_target

__all__ = ["USER_AGENT", "call_wsgi", "public_origin", "redirected", "send", "wire_form"]

USER_AGENT = "Hyperlesson-try-it/1"
# What the panel sends unless the learner sets the header: a common client's defaults.
DEFAULT_HEADERS = (("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate, br"),
                   ("Connection", "keep-alive"), ("User-Agent", USER_AGENT))
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
WIRE_BODY_LIMIT = 10_000  # characters of the request body shown in the wire form
# Headers that describe a body; dropped with the body when a redirect turns into a GET.
BODY_HEADERS = ("content-type", "content-encoding", "content-language", "content-location")
SANDBOX_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A WSGI environ keeps these two without the HTTP_ prefix (PEP 3333).
UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class Outgoing:
    """One request as it goes on the wire: `target` is the encoded path and query."""

    method: str
    target: str
    headers: Headers
    body: bytes


@dataclass(frozen=True)
class Answer:
    """A response as received: the status code, every header in order, the raw body."""

    status: int
    headers: Headers
    body: bytes

    def get_list(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def get(self, name: str) -> str | None:
        """Every value of `name` joined by ", ", as one header line would carry them."""
        return ", ".join(self.get_list(name)) or None


def send(request: TryRequest, wsgi_app, *, base_url: str, sandbox_key: str,
         follow_redirects: bool = False, max_redirects: int = 10,
         jar: CookieJar | None = None, now: float | None = None) -> Exchange:
    """Send `request` to `wsgi_app` as if to `base_url`. `wsgi_app` serves whole paths
    (/sandbox/...): the sandbox as `sandbox.mounted()` gives it, or any stand-in.

    `base_url` is this server's public origin ("http://127.0.0.1:5000"), so Location
    headers and URLs read as they would from outside. Needs no app context. `request`
    is checked again (TryItError if it breaks a rule, e.g. one rebuilt from old history).
    `jar` is read and updated in place; `now` (seconds since the epoch) is its clock.
    """
    origin = parse_origin(base_url)
    if not SANDBOX_KEY.fullmatch(sandbox_key):
        raise ValueError("sandbox_key must be 1 to 64 letters, digits, '_' or '-'")
    started = perf_counter()
    checked = validate(request.method, request.path, request.headers, request.body)
    method, target, body = checked.method, encode_target(checked.path), checked.body
    headers = fold_headers(checked.headers)
    jar = CookieJar() if jar is None else jar
    now = time() if now is None else now
    secure_origin = origin.scheme == "https"
    hops: list[Hop] = []
    wire = ""
    first_cookies = None
    note = ""
    while True:
        cookie = jar.header_for(target, now)
        first_cookies = cookie if first_cookies is None else first_cookies
        sent_headers = fold_headers((*headers, ("Cookie", cookie))) if cookie else headers
        outgoing = outgoing_request(origin, method, target,
                                    [*sent_headers, ("X-Sandbox-Key", sandbox_key)], body)
        wire = wire or wire_form(outgoing)
        answer = call_wsgi(wsgi_app, outgoing, origin)
        jar.receive(answer.get_list("set-cookie"), target, now, secure_origin)
        location = answer.get("location")
        if (not follow_redirects or answer.status not in REDIRECT_STATUSES
                or location is None):
            break
        if len(hops) >= max_redirects:
            note = f"The panel stopped here: it follows at most {max_redirects} redirects."
            break
        url = f"{origin}{target}"
        next_target = sandbox_target(url, location, origin)
        if next_target is None:
            note = ("The panel did not follow it: the Location leads outside the sandbox, "
                    "and the panel only sends requests to the sandbox.")
            break
        hops.append(Hop(method=method, url=url, status=answer.status,
                        reason=reason(answer.status), location=location))
        method, body, headers = redirected(answer.status, method, body, headers)
        target = next_target
    content, decode_note = decode_content(answer.body, answer.get("content-encoding"))
    view = response_view(answer.status, answer.headers, content, method=method,
                         size=len(answer.body),
                         note=" ".join(filter(None, (note, decode_note))))
    elapsed_ms = (perf_counter() - started) * 1000
    return Exchange(request=request, wire=wire, hops=tuple(hops), response=view,
                    elapsed_ms=elapsed_ms, cookies=first_cookies or "")


def outgoing_request(origin: Origin, method: str, target: str, headers: Headers,
                     body: str) -> Outgoing:
    """The request with the headers a client adds, in the order it puts them: Host
    first, then its defaults (each one the learner set replaced by the learner's, which
    come after), then Content-Length for a body (or 0 for a POST, PUT or PATCH without)."""
    chosen = {name.lower() for name, _ in headers}
    lines = [("Host", origin.netloc)]
    data = body.encode("utf-8")
    if not data and method in ("POST", "PUT", "PATCH"):
        lines.append(("Content-Length", "0"))
    lines += [line for line in DEFAULT_HEADERS if line[0].lower() not in chosen]
    lines += headers
    if data:
        lines.append(("Content-Length", str(len(data))))
    return Outgoing(method, target, lines, data)


def call_wsgi(app: WSGIApp, request: Outgoing, origin: Origin) -> Answer:
    """Call `app` as a server would for `request` on `origin`, in this thread: the whole
    answer, with the body joined as received. An exception in `app` propagates."""
    path, _, query = request.target.partition("?")
    environ = {
        "wsgi.version": (1, 0), "wsgi.url_scheme": origin.scheme,
        "wsgi.input": io.BytesIO(request.body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        "REQUEST_METHOD": request.method, "SCRIPT_NAME": "",
        # The URL's own bytes in a latin-1 str, as PEP 3333 asks and a server gives.
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"), "QUERY_STRING": query,
        "SERVER_NAME": origin.host, "SERVER_PORT": origin.server_port,
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        environ[key if key in UNPREFIXED else f"HTTP_{key}"] = value
    started: list = []

    def start_response(status: str, headers: Headers, exc_info=None):
        if exc_info and exc_info[0]:
            raise exc_info[1]
        started[:] = [status, headers]
        return _ignore_write

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return Answer(int(status.split()[0]), list(headers), body)


def _ignore_write(data: bytes) -> None:
    """The write() callable PEP 3333 start_response returns; the sandbox never calls it."""


def redirected(status: int, method: str, body: str,
               headers: list[tuple[str, str]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(method, body, headers) for the next request, as browsers do it: 303 turns into a
    GET (HEAD stays HEAD), 301/302 after a POST too; 307 and 308 repeat the request."""
    if status == 303 or (status in (301, 302) and method == "POST"):
        kept = [(k, v) for k, v in headers if k.lower() not in BODY_HEADERS]
        return ("HEAD" if method == "HEAD" else "GET"), "", kept
    return method, body, headers


def wire_form(request: Outgoing) -> str:
    """The request as HTTP/1.1 puts it on the wire (CRLF line ends), body cut with a note."""
    lines = [f"{request.method} {request.target} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in request.headers]
    text = request.body.decode("utf-8", "replace")
    if len(text) > WIRE_BODY_LIMIT:
        rest = len(text[WIRE_BODY_LIMIT:].encode("utf-8"))
        text = f"{text[:WIRE_BODY_LIMIT]}\r\n[… {rest} more bytes not shown]"
    return "\r\n".join(lines) + "\r\n\r\n" + text
