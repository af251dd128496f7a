"""Status codes and redirects on demand, every Location inside the sandbox.

Locations come from url_for, so they carry the mount path (/sandbox/...) whatever
SCRIPT_NAME the sandbox is served under. /redirect-to refuses targets outside the
sandbox: it must never become an open redirect on the school's server.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from .echo import ANY_METHOD
from .params import MAX_REDIRECTS, bounded_int, choose_status, redirect_target

bp = Blueprint("status", __name__)

CHALLENGE = 'Basic realm="Fake Realm"'
TEAPOT = """
    I'm a teapot (RFC 2324): I refuse to brew coffee.

         ( (
          ) )
       ........
       |      |]
       \\      /
        `----'
"""


@bp.route("/status/<codes>", methods=ANY_METHOD)
def status(codes: str):
    """That status with an empty body; `200,500` picks one at random, `200:9,500:1` by
    weight. 3xx (not 304) point at /redirect/1, 401 and 407 carry a challenge."""
    code = choose_status(codes)
    response = Response(status=code)
    if code == 418:
        response = Response(TEAPOT, status=418, mimetype="text/plain",
                            headers={"X-More-Info": "http://tools.ietf.org/html/rfc2324"})
    elif 300 <= code < 400 and code != 304:
        response.headers["Location"] = url_for("status.redirect_n", n=1)
    elif code == 401:
        response.headers["WWW-Authenticate"] = CHALLENGE
    elif code == 407:
        response.headers["Proxy-Authenticate"] = CHALLENGE
    return response


def _hops(n: str) -> int:
    return bounded_int(n, "The number of redirects", 1, MAX_REDIRECTS)


@bp.get("/redirect/<n>")
def redirect_n(n: str):
    """302 n times, then /get; ?absolute=true uses absolute URLs like httpbin."""
    hops = _hops(n)
    if request.args.get("absolute", "").lower() == "true":
        return redirect(_next_hop("status.absolute_redirect", hops, external=True))
    return redirect(_next_hop("status.relative_redirect", hops))


@bp.get("/relative-redirect/<n>")
def relative_redirect(n: str):
    """302 to a path (no scheme or host) n times, then /get."""
    return redirect(_next_hop("status.relative_redirect", _hops(n)))


@bp.get("/absolute-redirect/<n>")
def absolute_redirect(n: str):
    """302 to a full http://host/sandbox/... URL n times, then /get."""
    return redirect(_next_hop("status.absolute_redirect", _hops(n), external=True))


def _next_hop(endpoint: str, hops: int, *, external: bool = False) -> str:
    if hops == 1:
        return url_for("echo.get", _external=external)
    return url_for(endpoint, n=hops - 1, _external=external)


@bp.route("/redirect-to", methods=ANY_METHOD)
def redirect_to():
    """A redirect to ?url= (a sandbox path, or a URL on this host under the sandbox) with
    ?status_code= 300..399, default 302."""
    code = bounded_int(request.args.get("status_code", "302"), "status_code", 300, 399)
    target = redirect_target(request.args.get("url", ""), host=request.host,
                             prefix=request.script_root + "/")
    return redirect(target, code)
