"""What of an exchange is kept with a learner's history: everything, within a byte budget.

A request may carry 64 KB of body and 30 headers of 8 KB, and a response 100 KB; a
history of ten such runs per learner, times every new learner a stranger can make,
would fill a disk. So each stored run keeps the start of every long part and says
that it was cut: the response body is marked truncated (the panel says so), and a
request that lost part of its body or headers can be looked at but not sent again.
"""

from __future__ import annotations

import dataclasses
import json

from .request import TryRequest
from .result import Exchange, Hop, ResponseView

REQUEST_BODY_BYTES = 8 * 1024
REQUEST_HEADER_BYTES = 2 * 1024  # all header lines together
RESPONSE_BODY_BYTES = 8 * 1024
RESPONSE_HEADER_BYTES = 2 * 1024
WIRE_BYTES = 2 * 1024
HOP_URL_BYTES = 256  # the URL and Location of each hop of a redirect chain
# With the path (2 KB), ten hops and the JSON around them, a stored run stays below this.
RUN_BYTES = 32 * 1024


def cut(text: str, limit: int) -> str:
    """The longest start of `text` that is at most `limit` bytes in UTF-8."""
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def _cut_headers(headers: tuple[tuple[str, str], ...], limit: int) -> tuple[tuple[str, str], ...]:
    kept, used = [], 0
    for name, value in headers:
        room = limit - used - len(name) - 2
        if room <= 0:
            break
        value = cut(value, room)
        kept.append((name, value))
        used += len(name) + 2 + len(value.encode("utf-8", "surrogatepass"))
    return tuple(kept)


def kept_request(request: TryRequest, body_bytes: int = REQUEST_BODY_BYTES,
                 ) -> tuple[TryRequest, bool]:
    """The request as stored, and whether it is whole (and so can be sent again)."""
    kept = TryRequest(request.method, request.path,
                      _cut_headers(request.headers, REQUEST_HEADER_BYTES),
                      cut(request.body, body_bytes))
    return kept, kept == request


def _kept_response(view: ResponseView, body_bytes: int) -> ResponseView:
    body = cut(view.body_text, body_bytes)
    return dataclasses.replace(
        view, headers=_cut_headers(view.headers, RESPONSE_HEADER_BYTES), body_text=body,
        truncated=view.truncated or body != view.body_text)


def _kept_hop(hop: Hop) -> Hop:
    return dataclasses.replace(hop, url=cut(hop.url, HOP_URL_BYTES),
                               location=cut(hop.location or "", HOP_URL_BYTES) or None)


def stored_size(exchange: Exchange) -> int:
    """Bytes of the exchange as the history stores it (JSON in UTF-8)."""
    return len(json.dumps(exchange.to_dict(), ensure_ascii=False).encode("utf-8",
                                                                         "surrogatepass"))


def kept_exchange(exchange: Exchange) -> tuple[Exchange, bool]:
    """The exchange as stored with the history (at most RUN_BYTES), and whether its
    request is whole. JSON escapes some characters in 6 bytes, so the bodies shrink
    further until the whole fits."""
    wire = cut(exchange.wire, WIRE_BYTES)
    if wire != exchange.wire:
        wire += "\r\n[… cut: only the start of this request was kept]"
    hops = tuple(_kept_hop(hop) for hop in exchange.hops)
    request_body, response_body = REQUEST_BODY_BYTES, RESPONSE_BODY_BYTES
    while True:
        request, whole = kept_request(exchange.request, request_body)
        kept = Exchange(request=request, wire=wire, hops=hops,
                        response=_kept_response(exchange.response, response_body),
                        elapsed_ms=exchange.elapsed_ms, cookies=exchange.cookies)
        if stored_size(kept) <= RUN_BYTES or not (request_body or response_body):
            return kept, whole
        request_body, response_body = request_body // 2, response_body // 2
