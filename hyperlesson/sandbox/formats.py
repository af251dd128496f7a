"""Response formats to look at (JSON, HTML, XML, bytes, a UUID) and a bounded delay.

The samples are our own small documents in httpbin's spirit. /delay waits at most a
few seconds: the try-it panel calls the sandbox in-process, where no timeout applies.
"""

from __future__ import annotations

import os
import random
import uuid
from time import sleep

from flask import Blueprint, Response, jsonify

from .echo import ANY_METHOD, arg, echo_body
from .params import MAX_BYTES, delay_seconds, whole_number

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
    return Response(SAMPLE_XML, content_type="application/xml")  # as httpbin: no charset


@bp.get("/uuid")
def uuid4():
    return jsonify(uuid=str(uuid.uuid4()))


@bp.get("/bytes/<int:n>")
def random_bytes(n: int):
    """n random bytes (cut to 100 KB, as httpbin does); ?seed= makes them repeatable,
    the same bytes as httpbin's for the same seed."""
    return Response(random_data(min(n, MAX_BYTES), seeded_random()),
                    mimetype="application/octet-stream")


def seeded_random() -> random.Random | None:
    """A generator seeded by ?seed= (any whole number, as httpbin), or None without one."""
    seed = arg("seed")
    if seed is None:
        return None
    return random.Random(whole_number(seed, "seed"))


def random_data(count: int, rng: random.Random | None) -> bytes:
    """httpbin draws each byte with randint(0, 255): the same draws give the same bytes."""
    if rng is None:
        return os.urandom(count)
    return bytes(rng.randint(0, 255) for _ in range(count))


@bp.route("/delay/<n>", methods=ANY_METHOD)
def delay(n: str):
    """Waits n seconds (fractions allowed, at most 3), then echoes the request."""
    seconds = delay_seconds(n)
    body = echo_body(with_body=True)  # a bad body fails fast, before the wait
    del body["json"]  # httpbin's /delay echoes no json key
    sleep(seconds)
    return jsonify(body)
