"""Bodies sent in pieces: /stream, /stream-bytes, /range (with Range requests), /drip.

Each is bounded like the rest of the sandbox, because the try-it panel's in-process
calls have no timeout: at most 100 lines or 100 KB, and at most 3 s of waiting in all.
A count above its cap is cut to the cap, as httpbin cuts its own.
"""

from __future__ import annotations

import json
from time import sleep

from flask import Blueprint, Response, request

from .echo import arg, echo_body
from .errors import problem_response
from .formats import random_data, seeded_random
from .params import MAX_BYTES, MAX_DELAY_SECONDS, byte_range, delay_seconds, whole_number
from .responses import ProblemError

bp = Blueprint("streams", __name__)

MAX_LINES = 100
DEFAULT_CHUNK = 10 * 1024
MAX_DRIP_PIECES = 50  # a drip of many bytes arrives in at most this many writes


def _seconds(name: str, default: float) -> float:
    """?name= seconds, 0 or more, cut to the 3 s cap; else a 400."""
    text = arg(name)
    return default if text is None else delay_seconds(text, name)


def _whole(name: str, default: int) -> int:
    text = arg(name)
    return default if text is None else whole_number(text, name)


@bp.get("/stream/<int:n>")
def stream(n: int):
    """n lines (at most 100), each the /get echo as JSON with an "id" from 0."""
    body = echo_body()

    def lines():
        for number in range(min(n, MAX_LINES)):
            yield json.dumps({**body, "id": number}) + "\n"

    return Response(lines(), mimetype="application/json")


@bp.get("/stream-bytes/<int:n>")
def stream_bytes(n: int):
    """n random bytes (at most 100 KB) in chunks of ?chunk_size= (10 KB); ?seed= as /bytes."""
    chunk_size = max(1, _whole("chunk_size", DEFAULT_CHUNK))
    data = random_data(min(n, MAX_BYTES), seeded_random())

    def chunks():
        for start in range(0, len(data), chunk_size):
            yield data[start:start + chunk_size]

    return Response(chunks(), mimetype="application/octet-stream")


def _range_headers(numbytes: int) -> dict[str, str]:
    return {"ETag": f"range{numbytes}", "Accept-Ranges": "bytes"}


@bp.get("/range/<int:numbytes>")
def byte_range_view(numbytes: int):
    """numbytes of a-z repeated (at most 100 KB), the part a Range header asks for: 206
    with Content-Range, 416 when it lies outside; ?duration= spreads it (at most 3 s)."""
    if not 0 < numbytes <= MAX_BYTES:
        return problem_response(404, f"number of bytes must be in the range (0, {MAX_BYTES}]",
                                headers=_range_headers(numbytes))
    chunk_size = max(1, _whole("chunk_size", DEFAULT_CHUNK))
    duration = _seconds("duration", 0.0)
    first, last = byte_range(request.headers.get("Range"), numbytes)
    if first > last or not (0 <= first < numbytes and 0 <= last < numbytes):
        return problem_response(416, f"The Range asked for lies outside the {numbytes} bytes "
                                     "(or ends before it starts).", headers={
            **_range_headers(numbytes), "Content-Range": f"bytes */{numbytes}"})
    body = bytes(ord("a") + i % 26 for i in range(first, last + 1))
    pause = duration / numbytes

    def chunks():
        for start in range(0, len(body), chunk_size):
            piece = body[start:start + chunk_size]
            sleep(pause * len(piece))
            yield piece

    whole = first == 0 and last == numbytes - 1
    return Response(chunks(), status=200 if whole else 206, headers={
        "Content-Type": "application/octet-stream", **_range_headers(numbytes),
        "Content-Length": str(len(body)), "Content-Range": f"bytes {first}-{last}/{numbytes}"})


@bp.get("/drip")
def drip():
    """?numbytes= asterisks (10; at most 100 KB) spread over ?duration= seconds (2) after
    ?delay= (0), with status ?code= (200). Delay and duration share a 3 s cap."""
    duration = _seconds("duration", 2.0)
    numbytes = min(_whole("numbytes", 10), MAX_BYTES)
    code = _whole("code", 200)
    if not 100 <= code <= 599:
        raise ProblemError(400, f"code must be a status from 100 to 599; got {code}.")
    if numbytes <= 0:
        raise ProblemError(400, "numbytes must be positive.")
    delay = _seconds("delay", 0.0)
    duration = min(duration, MAX_DELAY_SECONDS - delay)
    pieces = min(numbytes, MAX_DRIP_PIECES)
    sizes = [numbytes // pieces + (1 if i < numbytes % pieces else 0) for i in range(pieces)]
    sleep(delay)

    def drops():
        for size in sizes:
            yield b"*" * size
            sleep(duration / pieces)

    return Response(drops(), status=code, headers={
        "Content-Type": "application/octet-stream", "Content-Length": str(numbytes)})
