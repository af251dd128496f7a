"""Echo endpoints: the request comes back as JSON, in httpbin's shapes.

/get /post /put /patch /delete each accept only their method (a 405 with Allow
otherwise, which is itself a lesson); /anything accepts every method and also reports
it. echo_body() is shared with the cache, etag and delay endpoints, which echo too.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from . import responses
from .header_policy import check_chosen_header
from .params import MAX_HEADER_PAIRS
from .responses import ProblemError

bp = Blueprint("echo", __name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# httpbin's list for /anything, /status, /redirect-to and /delay. TRACE is harmless here:
# browsers cannot send it (fetch refuses it) and the lesson server's cookies are taken
# out before the sandbox sees a request, so its echo holds nothing /headers would not.
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"]
# Headers a proxy in front adds; like httpbin, the echo leaves them out unless ?show_env.
PROXY_HEADERS = frozenset(name.lower() for name in (
    "X-Varnish", "X-Request-Start", "X-Heroku-Queue-Depth", "X-Real-Ip", "X-Forwarded-Proto",
    "X-Forwarded-Protocol", "X-Forwarded-Ssl", "X-Heroku-Queue-Wait-Time", "X-Forwarded-For",
    "X-Heroku-Dynos-In-Use", "X-Forwarded-Port", "X-Request-Id", "Via", "Total-Route-Time",
    "Connect-Time"))


def origin() -> str:
    """The caller's address as the sandbox sees it (127.0.0.1 for the try-it panel).

    X-Forwarded-For counts only through the app's ProxyFix, which believes it when
    HYPERLESSON_TRUSTED_PROXIES says a proxy sets it; from anyone else it is ignored.
    """
    return request.remote_addr or ""


def arg(name: str, default: str | None = None) -> str | None:
    """A query parameter whatever its case (?SEED= is ?seed=), as httpbin reads them;
    the first value of each key, as in httpbin's dict of the query."""
    found = default
    for key, value in request.args.items():
        if key.lower() == name:
            found = value
    return found


def shown_headers() -> dict[str, str]:
    """The request's headers as the echo shows them: without a proxy's own, as httpbin."""
    show_env = "show_env" in request.args
    return {name: value for name, value in request.headers.items()
            if show_env or name.lower() not in PROXY_HEADERS}


def request_body() -> dict:
    """data/files/form/json of the current request; reading past 64 KB is a 413."""
    content_type = request.content_type or ""
    if request.mimetype in FORM_TYPES:
        files = [(name, upload.read(), upload.mimetype or "application/octet-stream")
                 for name, upload in request.files.items(multi=True)]
        return responses.body_fields(data=b"", content_type=content_type, is_form=True,
                                     form=request.form.items(multi=True), files=files)
    return responses.body_fields(data=request.get_data(), content_type=content_type)


def echo_body(*, with_body: bool = False, with_method: bool = False) -> dict:
    return responses.echo(
        args=request.args.items(multi=True),
        headers=shown_headers().items(),
        origin=origin(),
        url=request.url,
        method=request.method if with_method else None,
        body=request_body() if with_body else None,
    )


@bp.get("/get")
def get():
    """args, headers, origin, url of a GET."""
    return jsonify(echo_body())


@bp.post("/post")
@bp.put("/put")
@bp.patch("/patch")
@bp.delete("/delete")
def with_body():
    """The GET echo plus data, files, form and json."""
    return jsonify(echo_body(with_body=True))


@bp.route("/anything", methods=ANY_METHOD)
@bp.route("/anything/<path:anything>", methods=ANY_METHOD)
def anything(anything: str = ""):
    """Any method, any path below: the full echo including the method."""
    return jsonify(echo_body(with_body=True, with_method=True))


@bp.get("/headers")
def headers():
    return jsonify(headers=shown_headers())


@bp.get("/user-agent")
def user_agent():
    return jsonify({"user-agent": request.headers.get("User-Agent")})


@bp.get("/ip")
def ip():
    return jsonify(origin=origin())


@bp.route("/response-headers", methods=["GET", "POST"])
def response_headers():
    """Each ?Name=value becomes a response header and is echoed in the body.

    Names must be tokens and values printable ASCII on one line (no header splitting);
    framing headers, and any that could act outside the sandbox, are refused
    (header_policy.py says which and why).
    """
    pairs = list(request.args.items(multi=True))
    if len(pairs) > MAX_HEADER_PAIRS:
        raise ProblemError(400, f"Ask for at most {MAX_HEADER_PAIRS} headers at once.")
    for name, value in pairs:
        check_chosen_header(name, value, prefix=request.script_root + "/", host=request.host,
                            app_cookies=current_app.config["APP_COOKIES"])
    response = jsonify({})
    seen: set[str] = set()
    for name, value in pairs:
        if name.lower() in seen:
            response.headers.add(name, value)
        else:  # the first one replaces a default such as Content-Type
            response.headers[name] = value
            seen.add(name.lower())
    # The body lists the response's headers, Content-Length included, as httpbin's does:
    # a length that changes the length settles within a few rounds.
    for _ in range(5):
        before = response.get_data()
        names = dict.fromkeys(response.headers.keys())
        body = {name: _one_or_list(response.headers.getlist(name)) for name in names}
        response.set_data(current_app.json.dumps(body) + "\n")
        if response.get_data() == before:
            break
    return response


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values
