"""Pure helpers that shape sandbox bodies the way httpbin does (no Flask here).

Learners practise against these endpoints and later against httpbin itself, so the
keys and value types follow httpbin exactly: a query or form field seen once is a
string, seen twice a list; a body that is not UTF-8 comes back as a data: URL.
Errors are RFC 9457 problem details, raised as ProblemError and rendered by errors.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

PROBLEM_MIMETYPE = "application/problem+json"


class ProblemError(Exception):
    """A 4xx the sandbox answers on purpose, with a detail a learner can act on."""

    def __init__(self, status: int, detail: str, *, headers: Mapping[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        return problem(self.status, self.detail, **self.extra)


def status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str | None = None, **extra: Any) -> dict[str, Any]:
    """The problem+json body: type, title, status, detail, then any extension members."""
    body: dict[str, Any] = {"type": "about:blank", "title": status_title(status),
                            "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def multi_dict(pairs: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
    """httpbin's shape for args and form: one value stays a string, repeats become a list."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def text_or_data_url(raw: bytes, content_type: str = "application/octet-stream") -> str:
    """UTF-8 text as is; anything else as a base64 data: URL, like httpbin."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        mimetype = content_type.split(";")[0].strip() or "application/octet-stream"
        return f"data:{mimetype};base64,{base64.b64encode(raw).decode('ascii')}"


def parse_json(raw: bytes) -> Any:
    """The decoded JSON body, or a 400 problem that says what is wrong with it."""
    if not raw.strip():
        raise ProblemError(400, "The request body is empty; send a JSON object.")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ProblemError(400, f"The body is not valid JSON: {error.msg} at line "
                                f"{error.lineno}, column {error.colno}.") from None
    except RecursionError:
        raise ProblemError(400, "The JSON body is nested too deeply.") from None
    except ValueError as error:  # bad UTF-8, integers with too many digits
        raise ProblemError(400, f"The body is not valid JSON: {error}.") from None


def json_or_none(raw: bytes) -> Any:
    """httpbin's `json` key: the parsed body when it is JSON, null otherwise."""
    if not raw:
        return None
    try:
        return parse_json(raw)
    except ProblemError:
        return None


def body_fields(*, data: bytes, content_type: str, form: Iterable[tuple[str, str]] = (),
                files: Iterable[tuple[str, bytes, str]] = (), is_form: bool = False,
                ) -> dict[str, Any]:
    """data, files, form and json for a request body.

    A form body is reported in `form` and `files` with `data` empty, as httpbin does;
    any other body is echoed in `data` and, when it parses, in `json`.
    `files` are (field name, content, content type) triples.
    """
    if is_form:
        return {
            "data": "",
            "files": multi_dict((name, text_or_data_url(raw, kind)) for name, raw, kind in files),
            "form": multi_dict(form),
            "json": None,
        }
    return {"data": text_or_data_url(data, content_type), "files": {}, "form": {},
            "json": json_or_none(data)}


def echo(*, args: Iterable[tuple[str, str]], headers: Iterable[tuple[str, str]],
         origin: str, url: str, method: str | None = None,
         body: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The body of /get, /post, /anything and friends, keys in httpbin's order."""
    result: dict[str, Any] = {"args": multi_dict(args)}
    if body is not None:
        result.update(data=body["data"], files=body["files"], form=body["form"])
    result["headers"] = dict(headers)
    if body is not None:
        result["json"] = body["json"]
    if method is not None:
        result["method"] = method
    result["origin"] = origin
    result["url"] = url
    return result
