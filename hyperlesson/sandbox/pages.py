"""Documents for a browser: the index, /robots.txt, /deny, /forms/post, /links, /base64.

The index answers HTML to a browser and JSON to `Accept: application/json`. Every
response is a sandboxed document (CONTAINMENT in __init__.py); /forms/post alone may
submit its form, and only to the sandbox.
"""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Response, g, jsonify, redirect, render_template, request, url_for

from .openapi import document

bp = Blueprint("pages", __name__)

MAX_LINKS = 200
DENIED = r"""
        .------------------.
        |  NO ENTRY        |
        |  robots.txt said |
        |  so, politely.   |
        '------------------'
              |    |
              |    |
    ~~~~~~~~~~~~~~~~~~~~~~~~~~
"""
BASE64_HINT = "Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l"


@bp.get("/")
def index():
    """HTML for a browser (every endpoint, with links), JSON for Accept: application/json."""
    wanted = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if wanted == "application/json":
        response = jsonify(
            description="The Hyperlesson sandbox: send it real HTTP requests.",
            openapi=url_for("openapi.openapi_json"),
            try_first=[url_for("echo.get"), url_for("users.list_users"),
                       url_for("status.status", codes="418")],
        )
    else:
        paths = document(request.script_root or "/")["paths"]
        endpoints = [(path, sorted(m.upper() for m in operations),
                      next(iter(operations.values()))["summary"])
                     for path, operations in paths.items()]
        response = Response(render_template("sandbox/index.html", endpoints=endpoints,
                                            root=request.script_root))
    response.vary.add("Accept")
    return response


@bp.get("/robots.txt")
def robots():
    return Response(f"User-agent: *\nDisallow: {url_for('pages.deny')}\n",
                    content_type="text/plain")


@bp.get("/deny")
def deny():
    """What a robot that ignored robots.txt finds."""
    return Response(DENIED, content_type="text/plain")


@bp.get("/forms/post")
def forms_post():
    """An HTML form that posts to /post, where the echo shows what it sent."""
    g.allow_forms = True
    action = url_for("echo.with_body", _method="POST")
    return render_template("sandbox/forms_post.html", action=action)


@bp.get("/base64/<value>")
def decode_base64(value: str):
    """The URL-safe base64 `value` decoded as UTF-8 text, or httpbin's hint."""
    try:
        return base64.urlsafe_b64decode(value.encode("utf-8")).decode("utf-8")
    except (binascii.Error, ValueError):
        return BASE64_HINT


@bp.get("/links/<int:n>/<int:offset>")
def link_page(n: int, offset: int):
    """A page of n links (1 to 200) to its siblings; the one at `offset` is plain text."""
    count = min(max(1, n), MAX_LINKS)
    parts = ["<html><head><title>Links</title></head><body>"]
    for number in range(count):
        if number == offset:
            parts.append(f"{number} ")
        else:
            href = url_for("pages.link_page", n=count, offset=number)
            parts.append(f"<a href='{href}'>{number}</a> ")
    parts.append("</body></html>")
    return "".join(parts)


@bp.get("/links/<int:n>")
def links(n: int):
    return redirect(url_for("pages.link_page", n=n, offset=0))
