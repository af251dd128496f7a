"""The conditions of a task's check on one exchange, each with what it says when the
exchange misses it: headers, query parameters and JSON fields of the request and of the
response. Pure; task_check.py puts them together with the method, path and status."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .content.model import Condition

if TYPE_CHECKING:
    from .task_check import Exchange

SHOWN = 80  # characters of a learner's value quoted back in a diagnosis


def request_problem(condition: Condition, exchange: Exchange) -> str | None:
    if condition.part == "header":
        return _header_problem(condition, exchange.request_headers, "your request")
    if condition.part == "query":
        return _query_problem(condition, exchange.query)
    return _json_problem(condition, exchange.request_body, "the request")


def response_problem(condition: Condition, exchange: Exchange) -> str | None:
    if condition.part == "header":
        return _header_problem(condition, exchange.response_headers, "the response")
    return _json_problem(condition, exchange.response_body, "the response")


def _header_problem(condition: Condition, headers, whose: str) -> str | None:
    actual = header(headers, condition.name)
    if actual is None:
        need = f"{condition.name}: {condition.value}" if condition.value else "one"
        return f"{whose} had no {condition.name} header; this task needs {need}"
    if condition.value is not None and not header_value_matches(actual, condition.value):
        return (f"{_possessive(whose)} {condition.name} was {quoted(actual)}; "
                f"this task needs {quoted(condition.value)}")
    return None


def _query_problem(condition: Condition, query: str) -> str | None:
    values = [v for name, v in parse_qsl(query, keep_blank_values=True)
              if name == condition.name]
    if not values:
        need = f"{condition.name}={condition.value}" if condition.value else "one"
        return f"the query had no {condition.name} parameter; this task needs {need}"
    if condition.value is not None and condition.value not in values:
        return (f"the query's {condition.name} was {quoted(values[0])}; "
                f"this task needs {quoted(condition.value)}")
    return None


_MISSING = object()


def _json_problem(condition: Condition, body: str, whose: str) -> str | None:
    if not body.strip():
        return f"{whose} had no body; this task needs JSON with a {condition.name} field"
    data = read_json(body, _MISSING)
    if data is _MISSING:
        return f"{'the body' if whose == 'the request' else 'the response body'} was not " \
               "valid JSON"
    actual = _field(data, condition.name)
    if actual is _MISSING:
        return f"{_possessive(whose)} JSON has no {condition.name} field"
    if condition.value is not None and not _json_value_matches(actual, condition.value):
        shown = json.dumps(actual, ensure_ascii=False)
        return (f"{condition.name} in {whose} was {quoted(shown)}; "
                f"this task needs {quoted(condition.value)}")
    return None


def _field(data, path: str):
    for name in path.split("."):
        if isinstance(data, dict) and name in data:
            data = data[name]
        elif isinstance(data, list) and name.isdigit() and int(name) < len(data):
            data = data[int(name)]
        else:
            return _MISSING
    return data


def _json_value_matches(actual, written: str) -> bool:
    """`name: Ada` and `name: "Ada"` both match the string "Ada"; `id: 4` the number 4,
    `admin: true` the boolean (never 1 for true)."""
    if isinstance(actual, str) and actual == written:
        return True
    expected = read_json(written, _MISSING)
    return expected is not _MISSING and type(expected) is type(actual) and expected == actual


def header_value_matches(actual: str, written: str) -> bool:
    """Equal, or the same with parameters after it: `application/json` matches
    `application/json; charset=utf-8`."""
    actual = actual.strip()
    return actual == written or actual.lower().startswith(written.lower() + ";")


def header(headers, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def read_json(text: str, default=None):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # a hostile body nests a few thousand deep
        return default


def _possessive(whose: str) -> str:
    return "your request's" if whose == "your request" else f"{whose}'s"


def quoted(value: str) -> str:
    shown = value if len(value) <= SHOWN else value[:SHOWN - 1] + "…"
    return f"“{shown}”"


def shown(value: str) -> str:
    return value if len(value) <= SHOWN * 2 else value[:SHOWN * 2 - 1] + "…"
