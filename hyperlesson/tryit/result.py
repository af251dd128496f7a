"""The result of one try-it exchange: frozen values, JSON-serialisable for the history.

to_dict() gives only str/int/float/bool/None/list/dict, so json.dumps works on it;
from_dict() turns such a dict (after json.loads too) back into equal objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import statuses
from .body import BODY_DISPLAY_LIMIT, escape_surrogates, shape_body
from .request import TryRequest

__all__ = ["BODY_DISPLAY_LIMIT", "Exchange", "Hop", "ResponseView", "response_view"]

Headers = tuple[tuple[str, str], ...]


def _pairs(items: Iterable[Any]) -> Headers:
    return tuple((str(name), str(value)) for name, value in items)


def _lists(headers: Headers) -> list[list[str]]:
    return [[name, value] for name, value in headers]


@dataclass(frozen=True)
class ResponseView:
    status: int
    reason: str
    status_class: str
    meaning: str
    headers: Headers
    body_text: str
    body_kind: str  # "json" | "text" | "binary" | "empty"
    truncated: bool
    size: int
    etag: str | None
    location: str | None

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def to_dict(self) -> dict:
        return {"status": self.status, "reason": self.reason, "status_class": self.status_class,
                "meaning": self.meaning, "headers": _lists(self.headers),
                "body_text": self.body_text, "body_kind": self.body_kind,
                "truncated": self.truncated, "size": self.size, "etag": self.etag,
                "location": self.location}

    @classmethod
    def from_dict(cls, data: dict) -> ResponseView:
        return cls(status=int(data["status"]), reason=data["reason"],
                   status_class=data["status_class"], meaning=data["meaning"],
                   headers=_pairs(data["headers"]),
                   # Runs stored before shape_body escaped lone surrogates hold them raw.
                   body_text=escape_surrogates(data["body_text"]),
                   body_kind=data["body_kind"], truncated=bool(data["truncated"]),
                   size=int(data["size"]), etag=data.get("etag"),
                   location=data.get("location"))


@dataclass(frozen=True)
class Hop:
    """One redirect response on the way to the final one."""

    method: str
    url: str
    status: int
    reason: str
    location: str | None

    def to_dict(self) -> dict:
        return {"method": self.method, "url": self.url, "status": self.status,
                "reason": self.reason, "location": self.location}

    @classmethod
    def from_dict(cls, data: dict) -> Hop:
        return cls(method=data["method"], url=data["url"], status=int(data["status"]),
                   reason=data["reason"], location=data.get("location"))


def request_to_dict(request: TryRequest) -> dict:
    return {"method": request.method, "path": request.path,
            "headers": _lists(request.headers), "body": request.body}


def request_from_dict(data: dict) -> TryRequest:
    return TryRequest(method=data["method"], path=data["path"],
                      headers=_pairs(data["headers"]), body=data["body"])


@dataclass(frozen=True)
class Exchange:
    request: TryRequest
    wire: str  # the first request as sent: request line, headers, blank line, body
    hops: tuple[Hop, ...]
    response: ResponseView
    elapsed_ms: float
    cookies: str = ""  # the Cookie header the learner's jar added to the first request

    def to_dict(self) -> dict:
        return {"request": request_to_dict(self.request), "wire": self.wire,
                "hops": [hop.to_dict() for hop in self.hops],
                "response": self.response.to_dict(), "elapsed_ms": self.elapsed_ms,
                "cookies": self.cookies}

    @classmethod
    def from_dict(cls, data: dict) -> Exchange:
        return cls(request=request_from_dict(data["request"]), wire=data["wire"],
                   hops=tuple(Hop.from_dict(hop) for hop in data["hops"]),
                   response=ResponseView.from_dict(data["response"]),
                   elapsed_ms=float(data["elapsed_ms"]),
                   cookies=data.get("cookies", ""))  # runs stored before the jar have none


def has_no_body(method: str, status: int) -> bool:
    """HEAD answers, 1xx, 204 and 304 carry no body by definition (RFC 9110)."""
    return method == "HEAD" or status < 200 or status in (204, 304)


def response_view(status: int, headers: Iterable[tuple[str, str]], content: bytes, *,
                  method: str, size: int | None = None, note: str = "") -> ResponseView:
    """Shape a received response for display. `note` is appended to the meaning line
    (e.g. why a redirect was not followed)."""
    pairs = _pairs(headers)
    lowered = {}
    for name, value in pairs:
        lowered.setdefault(name.lower(), value)
    text, kind, truncated = shape_body(content, lowered.get("content-type"),
                                       empty=has_no_body(method, status))
    meaning = statuses.meaning(status)
    return ResponseView(
        status=status, reason=statuses.reason(status), status_class=statuses.status_class(status),
        meaning=f"{meaning} {note}" if note else meaning, headers=pairs, body_text=text,
        body_kind=kind, truncated=truncated, size=len(content) if size is None else size,
        etag=lowered.get("etag"), location=lowered.get("location"))
