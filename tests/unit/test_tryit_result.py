"""Status words, body shaping and the result values, without any app."""

from __future__ import annotations

import ast
import gzip
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperlesson.tryit import statuses
from hyperlesson.tryit.body import (
    BODY_DISPLAY_LIMIT,
    MAX_DECODED_BYTES,
    decode_content,
    shape_body,
)
from hyperlesson.tryit.request import TryRequest
from hyperlesson.tryit.result import Exchange, Hop, ResponseView, response_view

REQUIRED = (100, 101, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403,
            404, 405, 406, 409, 410, 412, 413, 415, 418, 422, 429, 500, 501, 502, 503, 504)


@pytest.mark.parametrize("status", REQUIRED)
def test_common_statuses_have_their_own_line(status):
    line = statuses.meaning(status)
    assert line in statuses.MEANINGS.values()
    assert line.endswith(".") and len(line) < 100


def test_reason_phrases_and_classes():
    assert statuses.reason(201) == "Created"
    assert statuses.reason(418) == "I'm a Teapot"
    assert statuses.reason(299) == "" and statuses.reason(999) == ""
    assert [statuses.status_class(s) for s in (100, 204, 399, 404, 599, 600, 42)] == [
        "1xx", "2xx", "3xx", "4xx", "5xx", "", ""]


def test_unlisted_codes_fall_back_to_their_class():
    assert statuses.meaning(299) == statuses.CLASS_MEANINGS["2xx"]
    assert statuses.meaning(507).startswith("Insufficient Storage: Server error")
    assert "not a standard status code" in statuses.meaning(600)


def test_json_is_indented_by_two_and_keeps_unicode():
    text, kind, cut = shape_body(b'{"a":[1,{"b":"\\u00e9"}]}', "application/json")
    assert (text, kind, cut) == ('{\n  "a": [\n    1,\n    {\n      "b": "é"\n    }\n  ]\n}',
                                 "json", False)
    assert shape_body(b'{"type":"about:blank"}', "application/problem+json")[1] == "json"


def test_broken_or_absurdly_deep_json_is_shown_as_text():
    assert shape_body(b'{"a": ', "application/json") == ('{"a": ', "text", False)
    deep = b"[" * 100_000 + b"]" * 100_000
    text, kind, cut = shape_body(deep, "application/json")
    assert kind == "text" and cut and len(text) == BODY_DISPLAY_LIMIT


@pytest.mark.parametrize(("content", "content_type", "shown"), [
    (b'{"a":"\\ud800"}', "application/json", '{\n  "a": "\\ud800"\n}'),
    (b'["x\\udfff\\ud83d\\ude00"]', "application/json", '[\n  "x\\udfff\U0001f600"\n]'),
    (b"+2AA-", "text/plain; charset=utf-7", "\\ud800"),  # UTF-7 can decode to one too
])
def test_lone_surrogates_are_shown_as_their_escape(content, content_type, shown):
    # A lone surrogate cannot be encoded as UTF-8, so the page holding it could not render.
    text, _, _ = shape_body(content, content_type)
    assert text == shown
    text.encode("utf-8")


# st.text() always leaves surrogates out: build strings that mix lone ones in.
TEXT_WITH_SURROGATES = st.lists(st.characters() | st.characters(categories=["Cs"]),
                                max_size=8).map("".join)


@given(st.recursive(st.none() | st.booleans() | st.integers() | TEXT_WITH_SURROGATES,
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT_WITH_SURROGATES, inner, max_size=3), max_leaves=8))
@settings(max_examples=100, deadline=None)
def test_any_json_body_is_shown_as_utf8_text(value):
    content = json.dumps(value).encode("ascii")  # lone surrogates become \udxxx escapes
    text, kind, _ = shape_body(content, "application/json")
    assert kind == "json"
    text.encode("utf-8")
    assert json.loads(text) == json.loads(content)  # the same value, shown


def test_a_stored_result_with_a_lone_surrogate_renders_again():
    # Runs stored before the fix hold the raw character: loading one escapes it.
    data = response_view(200, [("Content-Type", "text/plain")], b"x", method="GET").to_dict()
    data["body_text"] = '{"a": "\ud800"}'
    assert ResponseView.from_dict(data).body_text == '{"a": "\\ud800"}'


def test_text_uses_the_declared_charset():
    assert shape_body("café".encode("latin-1"), "text/plain; charset=ISO-8859-1") == (
        "café", "text", False)
    assert shape_body(b"<p>hi</p>", "text/html; charset=nonsense")[:2] == ("<p>hi</p>", "text")


@pytest.mark.parametrize(("content", "content_type", "note"), [
    (b"\x00\x01\x02", "application/octet-stream",
     "(3 bytes of binary data: application/octet-stream)"),
    (b"plain ascii", "image/png", "(11 bytes of binary data: image/png)"),
    (b"\xff\xfe\xfd", "text/plain", "(3 bytes of binary data: text/plain)"),
    (b"a\x00b", None, "(3 bytes of binary data: no Content-Type)"),
    (b"\xff", "", "(1 byte of binary data: no Content-Type)"),
])
def test_binary_bodies_become_a_note(content, content_type, note):
    assert shape_body(content, content_type) == (note, "binary", False)


def test_empty_bodies():
    assert shape_body(b"", "application/json") == ("", "empty", False)
    assert shape_body(b"ignored", "text/plain", empty=True) == ("", "empty", False)


@pytest.mark.parametrize(("method", "status", "kind"), [
    ("HEAD", 200, "empty"), ("GET", 204, "empty"), ("GET", 304, "empty"), ("GET", 101, "empty"),
    ("GET", 200, "text"), ("POST", 404, "text"),
])
def test_response_view_knows_which_responses_have_no_body(method, status, kind):
    view = response_view(status, [("Content-Type", "text/plain")], b"body", method=method)
    assert view.body_kind == kind


def test_response_view_fields():
    headers = [("Content-Type", "application/json"), ("Set-Cookie", "a=1"),
               ("ETag", '"v1"'), ("Location", "/sandbox/users/4"), ("set-cookie", "b=2")]
    view = response_view(201, headers, b'{"id":4}', method="POST", size=8,
                         note="Extra words.")
    assert (view.status, view.reason, view.status_class) == (201, "Created", "2xx")
    assert view.meaning.endswith(" Extra words.") and view.meaning.startswith("Created:")
    assert view.headers == tuple(headers)
    assert (view.etag, view.location, view.size) == ('"v1"', "/sandbox/users/4", 8)
    assert view.header("SET-COOKIE") == "a=1"
    assert view.body_text == '{\n  "id": 4\n}'


def test_exchange_round_trips_through_json_and_stays_frozen():
    exchange = Exchange(
        request=TryRequest("POST", "/sandbox/post?x=€", (("X-A", "1"), ("X-A", "2")), "hé"),
        wire="POST /sandbox/post?x=%E2%82%AC HTTP/1.1\r\nHost: h\r\n\r\nhé",
        hops=(Hop("POST", "http://h/sandbox/a", 307, "Temporary Redirect", "/sandbox/b"),
              Hop("GET", "http://h/sandbox/b", 302, "Found", None)),
        response=ResponseView(200, "OK", "2xx", "OK.", (("Set-Cookie", "a"), ("Set-Cookie", "b")),
                              "text", "text", False, 4, None, None),
        elapsed_ms=1.5)
    data = exchange.to_dict()
    assert isinstance(data["request"]["headers"], list)
    restored = Exchange.from_dict(json.loads(json.dumps(data)))
    assert restored == exchange and hash(restored) == hash(exchange)
    with pytest.raises(AttributeError):
        exchange.elapsed_ms = 2  # type: ignore[misc]


def test_the_package_never_imports_flask():
    package = Path(__file__).parents[2] / "hyperlesson" / "tryit"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(name.split(".")[0] in ("flask", "flask_sqlalchemy")
                           for name in names), source.name


def test_content_encodings_are_undone_like_a_client_would():
    data = b'{"a": 1}'
    gzipped = gzip.compress(data)
    assert decode_content(gzipped, "gzip") == (data, "")
    assert decode_content(gzipped, "x-gzip, identity") == (data, "")
    assert decode_content(zlib.compress(data), "deflate") == (data, "")
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert decode_content(raw_deflate.compress(data) + raw_deflate.flush(), "deflate") == (data, "")
    assert decode_content(gzip.compress(zlib.compress(data)), "deflate, gzip") == (data, "")
    assert decode_content(data, None) == (data, "") == decode_content(data, "identity")


def test_a_body_that_lies_about_its_encoding_is_kept_with_a_note():
    body, note = decode_content(b'{"a": 1}', "gzip")
    assert body == b'{"a": 1}' and "not in that encoding" in note
    body, note = decode_content(b"xyz", "br")
    assert body == b"xyz" and "does not unpack" in note


def test_a_gzip_bomb_is_unpacked_only_so_far():
    body, _ = decode_content(gzip.compress(b"0" * (MAX_DECODED_BYTES * 4)), "gzip")
    assert len(body) == MAX_DECODED_BYTES
