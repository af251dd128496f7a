"""Response formats to look at (JSON, HTML, XML, bytes, a UUID) and a bounded delay.

The samples are our own small documents in httpbin's spirit. /delay waits at most a
few seconds: the try-it panel calls the sandbox in-process, where no timeout applies.
"""

from __future__ import annotations

import os
import random
import uuid
from time import sleep

from flask import Blueprint, Response, jsonify, request

from .echo import ANY_METHOD, echo_body
from .params import MAX_BYTES, bounded_int, delay_seconds

bp = Blueprint("formats", __name__)

SAMPLE_JSON = {
    "slideshow": {
        "title": "HTTP in three slides",
        "author": "Hyperlesson",
        "date": "2025-01-01",
        "slides": [
            {"type": "title", "title": "What a request is made of"},
            {"type": "all", "title": "Methods",
             "items": ["GET reads", "POST creates", "PUT replaces", "DELETE removes"]},
            {"type": "all", "title": "Status codes",
             "items": ["2xx success", "3xx go elsewhere", "4xx your mistake",
                       "5xx ours"]},
        ],
    }
}

SAMPLE_HTML = """<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>A small page</title></head>
  <body>
    <h1>A small page</h1>
    <p>The server sent this document with <code>Content-Type: text/html</code>.
       A browser would render it; the try-it panel shows it as text.</p>
  </body>
</html>
"""

SAMPLE_XML = """<?xml version="1.0" encoding="utf-8"?>
<slideshow title="HTTP in three slides" author="Hyperlesson" date="2025-01-01">
  <slide type="title"><title>What a request is made of</title></slide>
  <slide type="all">
    <title>Methods</title>
    <item>GET reads</item><item>POST creates</item>
  </slide>
</slideshow>
"""


@bp.get("/json")
def json_sample():
    return jsonify(SAMPLE_JSON)


@bp.get("/html")
def html_sample():
    return Response(SAMPLE_HTML, mimetype="text/html")


@bp.get("/xml")
def xml_sample():
    return Response(SAMPLE_XML, mimetype="application/xml")


@bp.get("/uuid")
def uuid4():
    return jsonify(uuid=str(uuid.uuid4()))


@bp.get("/bytes/<n>")
def random_bytes(n: str):
    """n random bytes (at most 100 KB); ?seed= makes them repeatable."""
    count = bounded_int(n, "The number of bytes", 0, MAX_BYTES)
    seed = request.args.get("seed")
    if seed is None:
        data = os.urandom(count)
    else:
        data = random.Random(bounded_int(seed, "seed", 0, 2**32)).randbytes(count)
    return Response(data, mimetype="application/octet-stream")


@bp.route("/delay/<n>", methods=ANY_METHOD)
def delay(n: str):
    """Waits n seconds (fractions allowed, at most 3), then echoes the request."""
    seconds = delay_seconds(n)
    body = echo_body(with_body=True)  # a bad body fails fast, before the wait
    sleep(seconds)
    return jsonify(body)
