"""Status codes and redirects on demand, every Location inside the sandbox.

Locations come from url_for, so they carry the mount path (/sandbox/...) whatever
SCRIPT_NAME the sandbox is served under. /redirect-to refuses targets outside the
sandbox: it must never become an open redirect on the school's server.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from .echo import ANY_METHOD, arg
from .errors import problem_response
from .params import MAX_REDIRECTS, bounded_int, choose_status, redirect_target, whole_number
from .pictures import IMAGE_TYPES

bp = Blueprint("status", __name__)

CHALLENGE = 'Basic realm="Fake Realm"'
REDIRECTING = frozenset({301, 302, 303, 305, 307})  # httpbin's: 308 has no Location
PAYMENT = "Payment required: this resource costs money, and none was sent.\n"
PAYMENT_INFO = "https://www.rfc-editor.org/rfc/rfc9110#name-402-payment-required"
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
    """That status; `200,500` picks one at random, `200:9,500:1` by weight. The bodies
    and headers are httpbin's: 301/302/303/305/307 point at /redirect/1, 401 and 407
    carry a challenge, 402 and 418 say why, 406 lists the image types /image serves."""
    return status_response(choose_status(codes))


def status_response(code: int) -> Response:
    if code in REDIRECTING:
        return _bare(code, Location=url_for("status.redirect_n", n=1))
    if code == 402:
        return Response(PAYMENT, status=402, headers={"X-More-Info": PAYMENT_INFO})
    if code == 406:  # httpbin's message, with the types it lists, as a problem
        return problem_response(406, "Client did not request a supported media type.",
                                accept=list(IMAGE_TYPES))
    if code == 418:
        return Response(TEAPOT, status=418, mimetype="text/plain",
                        headers={"X-More-Info": "http://tools.ietf.org/html/rfc2324"})
    if code == 401:
        return _bare(401, **{"WWW-Authenticate": CHALLENGE})
    if code == 407:
        return _bare(407, **{"Proxy-Authenticate": CHALLENGE})
    return Response(status=code)


def _bare(code: int, **headers: str) -> Response:
    """An empty answer with only these headers: no Content-Type for no content (httpbin)."""
    response = Response(status=code, headers=headers)
    del response.headers["Content-Type"]
    return response


def _hops(n: int) -> int:
    return bounded_int(str(n), "The number of redirects", 1, MAX_REDIRECTS)


@bp.get("/redirect/<int:n>")
def redirect_n(n: int):
    """302 n times, then /get; ?absolute=true uses absolute URLs like httpbin."""
    hops = _hops(n)
    if request.args.get("absolute", "").lower() == "true":
        return redirect(_next_hop("status.absolute_redirect", hops, external=True))
    return redirect(_next_hop("status.relative_redirect", hops))


@bp.get("/relative-redirect/<int:n>")
def relative_redirect(n: int):
    """302 to a path (no scheme or host) n times, then /get; an empty body, as httpbin."""
    return Response(status=302,
                    headers={"Location": _next_hop("status.relative_redirect", _hops(n))})


@bp.get("/absolute-redirect/<int:n>")
def absolute_redirect(n: int):
    """302 to a full http://host/sandbox/... URL n times, then /get."""
    return redirect(_next_hop("status.absolute_redirect", _hops(n), external=True))


def _next_hop(endpoint: str, hops: int, *, external: bool = False) -> str:
    if hops == 1:
        return url_for("echo.get", _external=external)
    return url_for(endpoint, n=hops - 1, _external=external)


@bp.route("/redirect-to", methods=ANY_METHOD)
def redirect_to():
    """A redirect to ?url= (a sandbox path, or a URL on this host under the sandbox) with
    ?status_code= 300..399; another number gives 302, as in httpbin. The names are read
    whatever their case (?URL= too), as httpbin reads them."""
    code = whole_number(arg("status_code", "302") or "302", "status_code")
    target = redirect_target(arg("url", "") or "", host=request.host,
                             prefix=request.script_root + "/")
    return Response(status=code if 300 <= code < 400 else 302, headers={"Location": target})
