"""Send a validated TryRequest to the sandbox in-process and describe what came back.

No socket is opened: httpx talks to the sandbox WSGI app through WSGITransport. Cookies
come only from the CookieJar given (the learner's jar for the sandbox, never the
learner's browser): each request of a redirect chain carries what the jar holds for its
path, and each answer's Set-Cookie goes into it, as a browser would. Without a jar, a
fresh one lives for the one call. httpx's own cookie handling is not used. httpx never
follows redirects itself: send() follows them by hand, only to Locations inside the
sandbox.
"""

from __future__ import annotations

import re
from time import perf_counter, time

import httpx

from .body import decode_content
from .cookies import CookieJar
from .request import TryItError, TryRequest, check_path, fold_headers, validate
from .result import Exchange, Hop, response_view
from .statuses import reason

USER_AGENT = "Hyperlesson-try-it/1"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
WIRE_BODY_LIMIT = 10_000  # characters of the request body shown in the wire form
# Headers that describe a body; dropped with the body when a redirect turns into a GET.
BODY_HEADERS = ("content-type", "content-encoding", "content-language", "content-location")
SANDBOX_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


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
    origin = public_origin(base_url)
    if not SANDBOX_KEY.fullmatch(sandbox_key):
        raise ValueError("sandbox_key must be 1 to 64 letters, digits, '_' or '-'")
    started = perf_counter()
    checked = validate(request.method, request.path, request.headers, request.body)
    method, path, body = checked.method, checked.path, checked.body
    headers = fold_headers(checked.headers)
    jar = CookieJar() if jar is None else jar
    now = time() if now is None else now
    secure_origin = origin.startswith("https:")
    hops: list[Hop] = []
    wire = ""
    first_cookies = None
    note = ""
    transport = httpx.WSGITransport(app=wsgi_app)
    with httpx.Client(transport=transport, base_url=origin, trust_env=False,
                      headers={"User-Agent": USER_AGENT}, follow_redirects=False) as client:
        while True:
            client.cookies.clear()  # the jar decides, not httpx
            cookie = jar.header_for(path, now)
            first_cookies = cookie if first_cookies is None else first_cookies
            sent_headers = fold_headers((*headers, ("Cookie", cookie))) if cookie else headers
            outgoing = client.build_request(
                method, path, headers=[*sent_headers, ("X-Sandbox-Key", sandbox_key)],
                content=body.encode("utf-8") if body else None)
            if _origin_of(outgoing.url) != _origin_of(origin):
                raise ValueError(f"refusing to send outside {origin}: {outgoing.url}")
            wire = wire or wire_form(outgoing)
            response, raw = _fetch(client, outgoing)
            jar.receive(response.headers.get_list("set-cookie"),
                        outgoing.url.raw_path.decode("ascii"), now, secure_origin)
            location = response.headers.get("location")
            if (not follow_redirects or response.status_code not in REDIRECT_STATUSES
                    or location is None):
                break
            if len(hops) >= max_redirects:
                note = f"The panel stopped here: it follows at most {max_redirects} redirects."
                break
            target = sandbox_target(outgoing.url, location, origin)
            if target is None:
                note = ("The panel did not follow it: the Location leads outside the sandbox, "
                        "and the panel only sends requests to the sandbox.")
                break
            hops.append(Hop(method=method, url=str(outgoing.url),
                            status=response.status_code, reason=reason(response.status_code),
                            location=location))
            method, body, headers = redirected(response.status_code, method, body, headers)
            path = target
    content, decode_note = decode_content(raw, response.headers.get("content-encoding"))
    view = response_view(response.status_code,
                         [(k.decode("latin-1"), v.decode("latin-1"))
                          for k, v in response.headers.raw],
                         content, method=method, size=len(raw),
                         note=" ".join(filter(None, (note, decode_note))))
    elapsed_ms = (perf_counter() - started) * 1000
    return Exchange(request=request, wire=wire, hops=tuple(hops), response=view,
                    elapsed_ms=elapsed_ms, cookies=first_cookies or "")


def _fetch(client: httpx.Client, outgoing: httpx.Request) -> tuple[httpx.Response, bytes]:
    """The response and its body exactly as received: httpx would raise on a body that
    does not match its Content-Encoding, so decoding is left to decode_content()."""
    response = client.send(outgoing, stream=True)
    try:
        return response, b"".join(response.iter_raw())
    finally:
        response.close()


def public_origin(base_url: str) -> str:
    """`base_url` as scheme://host[:port]; a path, query or user info is a ValueError."""
    url = httpx.URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http(s) origin, not {base_url!r}")
    if url.path not in ("", "/") or url.query or url.fragment or url.userinfo:
        raise ValueError(f"base_url must be an origin only (no path or query): {base_url!r}")
    return _origin_of(url)


def _origin_of(url: httpx.URL | str) -> str:
    url = httpx.URL(url)
    port = f":{url.port}" if url.port is not None else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}"


def sandbox_target(current: httpx.URL, location: str, origin: str) -> str | None:
    """The path (and query) to request next, or None when Location leaves the sandbox."""
    try:
        resolved = current.join(location)
        if _origin_of(resolved) != origin:
            return None
        return check_path(resolved.raw_path.decode("ascii"))
    except (httpx.InvalidURL, TryItError, UnicodeError, ValueError):
        return None


def redirected(status: int, method: str, body: str,
               headers: list[tuple[str, str]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(method, body, headers) for the next request, as browsers do it: 303 turns into a
    GET (HEAD stays HEAD), 301/302 after a POST too; 307 and 308 repeat the request."""
    if status == 303 or (status in (301, 302) and method == "POST"):
        kept = [(k, v) for k, v in headers if k.lower() not in BODY_HEADERS]
        return ("HEAD" if method == "HEAD" else "GET"), "", kept
    return method, body, headers


def wire_form(request: httpx.Request) -> str:
    """The request as HTTP/1.1 puts it on the wire (CRLF line ends), body cut with a note."""
    lines = [f"{request.method} {request.url.raw_path.decode('ascii')} HTTP/1.1"]
    lines += [f"{name.decode('latin-1')}: {value.decode('latin-1')}"
              for name, value in request.headers.raw]
    text = request.content.decode("utf-8", "replace")
    if len(text) > WIRE_BODY_LIMIT:
        rest = len(text[WIRE_BODY_LIMIT:].encode("utf-8"))
        text = f"{text[:WIRE_BODY_LIMIT]}\r\n[… {rest} more bytes not shown]"
    return "\r\n".join(lines) + "\r\n\r\n" + text
