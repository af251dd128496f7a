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
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def origin() -> str:
    """The caller's address as the sandbox sees it (127.0.0.1 for the try-it panel)."""
    return request.remote_addr or ""


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
        headers=request.headers.items(),
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
    return jsonify(headers=dict(request.headers.items()))


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
    body = {"Content-Type": "application/json", **responses.multi_dict(pairs)}
    response = jsonify(body)
    seen: set[str] = set()
    for name, value in pairs:
        if name.lower() in seen:
            response.headers.add(name, value)
        else:  # the first one replaces a default such as Content-Type
            response.headers[name] = value
            seen.add(name.lower())
    return response
