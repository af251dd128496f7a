"""Conditional requests, cache headers and cookies: state a client keeps, not the server.

/etag and /cache answer If-None-Match / If-Match / If-Modified-Since the way httpbin
does. Cookies are scoped to the sandbox's mount path, so a cookie a learner sets here
is never sent to the rest of the site.
"""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, Response, current_app, jsonify, redirect, request, url_for
from werkzeug.http import http_date

from .echo import echo_body
from .header_policy import check_cookie_name
from .params import MAX_CACHE_SECONDS, bounded_int, check_cookie
from .responses import ProblemError

bp = Blueprint("caching", __name__)

ETAG_CHARS = re.compile(r"[\x21\x23-\x7e]{1,128}")  # RFC 9110 etagc, bounded
MAX_COOKIES = 20


@bp.get("/etag/<etag>")
def etag(etag: str):
    """304 when If-None-Match matches, 412 when If-Match does not; else 200 and the ETag."""
    if not ETAG_CHARS.fullmatch(etag):
        raise ProblemError(400, "An ETag is 1 to 128 visible ASCII characters without '\"'.")
    if request.if_none_match:
        if request.if_none_match.contains_weak(etag):
            response = Response(status=304)
            response.set_etag(etag)
            return response
    elif request.if_match and not request.if_match.contains(etag):
        raise ProblemError(412, f'If-Match does not list the current ETag "{etag}".',
                           headers={"ETag": f'"{etag}"'})
    response = jsonify(echo_body())
    response.set_etag(etag)
    return response


@bp.get("/cache")
def cache():
    """304 when the request is conditional at all; else 200 with Last-Modified and ETag."""
    if "If-Modified-Since" in request.headers or "If-None-Match" in request.headers:
        return Response(status=304)
    response = jsonify(echo_body())
    response.headers["Last-Modified"] = http_date()
    response.set_etag(uuid.uuid4().hex)
    return response


@bp.get("/cache/<int:n>")
def cache_for(n: int):
    """Cache-Control: public, max-age=n."""
    seconds = bounded_int(str(n), "max-age", 0, MAX_CACHE_SECONDS)
    response = jsonify(echo_body())
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


# Analytics cookies httpbin.org's own pages set; /cookies leaves them out unless ?show_env.
ANALYTICS_COOKIES = frozenset({
    "_gauges_unique", "_gauges_unique_year", "_gauges_unique_month", "_gauges_unique_day",
    "_gauges_unique_hour", "__utmz", "__utma", "__utmb"})


@bp.get("/cookies")
def cookies():
    """The cookies this request carried."""
    show_env = "show_env" in request.args
    return jsonify(cookies={name: value for name, value in request.cookies.items()
                            if show_env or name not in ANALYTICS_COOKIES})


def _cookie_path() -> str:
    return request.script_root or "/"


def _set_cookies(pairs: list[tuple[str, str]]) -> Response:
    if len(pairs) > MAX_COOKIES:
        raise ProblemError(400, f"Set at most {MAX_COOKIES} cookies at once.")
    for name, value in pairs:
        check_cookie(name, value)
        check_cookie_name(name, current_app.config["APP_COOKIES"])
    response = redirect(url_for("caching.cookies"))
    for name, value in pairs:
        set_sandbox_cookie(response, name, value)
    return response


def set_sandbox_cookie(response: Response, name: str, value: str) -> None:
    """A cookie scoped to the sandbox's path (never the lesson server's), checked first."""
    check_cookie(name, value)
    check_cookie_name(name, current_app.config["APP_COOKIES"])
    response.set_cookie(name, value, path=_cookie_path(), samesite="Lax")


@bp.get("/cookies/set")
def set_cookies():
    """?name=value sets each cookie, then 302 to /cookies to show them."""
    return _set_cookies(list(request.args.items()))


@bp.get("/cookies/set/<name>/<value>")
def set_cookie(name: str, value: str):
    return _set_cookies([(name, value)])


@bp.get("/cookies/delete")
def delete_cookies():
    """?name expires each named cookie, then 302 to /cookies."""
    names = list(request.args.keys())
    if len(names) > MAX_COOKIES:
        raise ProblemError(400, f"Delete at most {MAX_COOKIES} cookies at once.")
    for name in names:
        check_cookie(name, "")
        check_cookie_name(name, current_app.config["APP_COOKIES"])
    response = redirect(url_for("caching.cookies"))
    for name in names:
        response.delete_cookie(name, path=_cookie_path(), samesite="Lax")
    return response
