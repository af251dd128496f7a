"""validate(): every rule of what the try-it panel may send, and nothing else ever raised."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperlesson.tryit.request import (
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    MAX_HEADERS,
    MAX_PATH_LENGTH,
    METHODS,
    SERVER_SET_HEADERS,
    TOKEN,
    TryItError,
    TryRequest,
    fold_headers,
    validate,
)


def refused(method="GET", path="/sandbox/get", headers=(), body="") -> TryItError:
    with pytest.raises(TryItError) as caught:
        validate(method, path, headers, body)
    return caught.value


def test_a_plain_request_comes_back_normalised():
    request = validate(" post ", "  /sandbox/users?limit=2 ",
                       [(" Content-Type ", " application/json "), ("", ""), ("  ", " ")],
                       '{"name": "Ada"}')
    assert request == TryRequest("POST", "/sandbox/users?limit=2",
                                 (("Content-Type", "application/json"),), '{"name": "Ada"}')
    assert request.header("content-type") == "application/json"
    assert request.header("Accept") is None


@pytest.mark.parametrize("method", ["get", "Head", "OPTIONS", "patch"])
def test_methods_are_case_insensitive(method):
    assert validate(method, "/sandbox/anything", [], "").method == method.upper()


@pytest.mark.parametrize("method", ["", "  ", "TRACE", "CONNECT", "FETCH", "optıons", "G ET"])
def test_other_methods_are_refused(method):
    error = refused(method=method)
    assert (error.status, error.field) == (400, "method")
    assert "GET" in error.message


@pytest.mark.parametrize(("path", "expected"), [
    ("/sandbox", "/sandbox/"),
    ("/sandbox?x=1", "/sandbox/?x=1"),
    ("/sandbox/", "/sandbox/"),
    ("/sandbox/anything/€?q=é&r=%20", "/sandbox/anything/€?q=é&r=%20"),
    ("/sandbox/get?next=..", "/sandbox/get?next=.."),
    ("/sandbox/a..b/...", "/sandbox/a..b/..."),
])
def test_paths_under_the_sandbox_are_kept(path, expected):
    assert validate("GET", path, [], "").path == expected


@pytest.mark.parametrize(("path", "words"), [
    ("", "starts with /sandbox/"),
    ("http://127.0.0.1:5000/sandbox/get", "scheme and host"),
    ("https:/sandbox/get", "scheme and host"),
    ("HTTPS://evil.example/", "scheme and host"),
    ("javascript:alert(1)", "scheme and host"),
    ("file:///etc/passwd", "scheme and host"),
    ("//evil.example/sandbox/get", "another host"),
    ("\\\\evil.example\\sandbox", "another host"),
    ("/\\evil.example/sandbox/", "another host"),
    ("/sandbox\\get", "backslash"),
    ("/sandbox/get\r\nX-Evil: 1", "control character"),
    ("/sandbox/get\x00", "control character"),
    ("/sandbox/get\x7f", "control character"),
    ("/sandbox/get\tx", "control character"),
    ("/sandbox/get me", "space"),
    ("/sandbox/get\u00a0x", "space"),
    ("/sandbox/get\u202ex", "invisible"),
    ("/sandbox/get#top", "fragment"),
    ("/get", "must start with /sandbox/"),
    ("sandbox/get", "must start with /sandbox/"),
    ("/sandboxes/get", "must start with /sandbox/"),
    ("/Sandbox/get", "must start with /sandbox/"),
    ("/admin", "must start with /sandbox/"),
    ("/sandbox/../admin", "'..' segment"),
    ("/sandbox/..", "'..' segment"),
    ("/sandbox/%2e%2e/admin", "percent-encoded"),
    ("/sandbox/%2E%2e/admin", "'..' segment"),
    ("/sandbox/.%2e/admin", "'..' segment"),
    ("/sandbox/%2e%2e%2fadmin", "'..' segment"),
    ("/sandbox/./get", "'.' segment"),
    ("/sandbox/" + "a" * MAX_PATH_LENGTH, f"at most {MAX_PATH_LENGTH}"),
])
def test_bad_paths_are_refused_with_a_reason(path, words):
    error = refused(path=path)
    assert (error.status, error.field) == (400, "path")
    assert words in error.message


def test_the_path_length_limit_is_inclusive():
    path = "/sandbox/" + "a" * (MAX_PATH_LENGTH - len("/sandbox/"))
    assert validate("GET", path, [], "").path == path
    assert refused(path=path + "a").field == "path"


@pytest.mark.parametrize(("headers", "words"), [
    ([("Bad Name", "x")], "not a valid header name"),
    ([("X-Colon:", "x")], "not a valid header name"),
    ([("Ünicode", "x")], "not a valid header name"),
    ([("", "value")], "no name"),
    ([("X-Split", "a\r\nX-Injected: 1")], "one line"),
    ([("X-Split", "a\nb")], "one line"),
    ([("X-Nul", "a\x00b")], "one line"),
    ([("X-Accent", "café")], "printable ASCII"),
    ([("X-Bell", "a\x07b")], "printable ASCII"),
    ([("X-Del", "a\x7fb")], "printable ASCII"),
    ([("X-Big", "x" * MAX_HEADER_BYTES)], "8 KB"),
    ([("X-H", "v")] * (MAX_HEADERS + 1), f"at most {MAX_HEADERS}"),
])
def test_bad_headers_are_refused(headers, words):
    error = refused(headers=headers)
    assert (error.status, error.field) == (400, "headers")
    assert words in error.message


@pytest.mark.parametrize("name", [*SERVER_SET_HEADERS, "HOST", "Content-Length",
                                  "X-Sandbox-Key"])
def test_headers_the_server_sets_are_refused(name):
    error = refused(headers=[(name, "x")])
    assert error.field == "headers"
    assert "is set by the server" in error.message
    assert name in error.message


@pytest.mark.parametrize("name", ["Content_Length", "X_Sandbox_Key", "Transfer_Encoding",
                                  "X_Lesson", "_", "X-Ok_Not"])
def test_header_names_with_an_underscore_are_refused_with_the_reason(name):
    # WSGI and PHP read X-Foo as HTTP_X_FOO, so X_Foo would pass for it (and Content_Length
    # would become CONTENT_LENGTH itself): refuse, and say why.
    error = refused(headers=[(name, "1")])
    assert (error.status, error.field) == (400, "headers")
    assert name in error.message and '"-"' in error.message and "nginx" in error.message


def test_header_limits_are_inclusive_and_blank_rows_do_not_count():
    rows = [("X-H", "v")] * MAX_HEADERS + [("", "")] * 10
    assert len(validate("GET", "/sandbox/get", rows, "").headers) == MAX_HEADERS
    name = "X-Big"
    value = "x" * (MAX_HEADER_BYTES - len(name) - 2)
    assert validate("GET", "/sandbox/get", [(name, value)], "").headers == ((name, value),)


def test_header_values_keep_inner_whitespace_and_may_be_empty():
    request = validate("GET", "/sandbox/get",
                       [("X-Tab", "\ta\tb  c \r\n"), ("X-Empty", ""), ("Cookie", "a=1; b=2")], "")
    assert request.headers == (("X-Tab", "a\tb  c"), ("X-Empty", ""), ("Cookie", "a=1; b=2"))


def test_repeated_headers_are_kept_in_order():
    rows = [("Accept", "text/html"), ("X-A", "1"), ("accept", "application/json")]
    assert validate("GET", "/sandbox/get", rows, "").headers == tuple(rows)


def test_body_limit_is_in_utf8_bytes_and_too_large_is_413():
    assert validate("POST", "/sandbox/post", [], "x" * MAX_BODY_BYTES).body
    for body in ("x" * (MAX_BODY_BYTES + 1), "€" * (MAX_BODY_BYTES // 3 + 1)):
        error = refused(method="POST", path="/sandbox/post", body=body)
        assert (error.status, error.field) == (413, "body")
        assert "64 KB" in error.message


def test_body_is_kept_exactly():
    body = "  {\r\n  \"a\": 1\r\n}\n\n"
    assert validate("PUT", "/sandbox/put", [], body).body == body


@pytest.mark.parametrize("method", ["GET", "DELETE", "OPTIONS"])
def test_a_body_is_allowed_on_methods_without_body_semantics(method):
    assert validate(method, "/sandbox/anything", [], "hello").body == "hello"


def test_a_body_on_head_is_refused():
    error = refused(method="HEAD", body="hello")
    assert (error.status, error.field) == (400, "body")
    assert "HEAD" in error.message


@pytest.mark.parametrize("body", ["a\x00b", "\ud800"])
def test_bodies_that_cannot_be_sent_as_text_are_refused(body):
    assert refused(method="POST", body=body).field == "body"


def test_the_error_is_a_value_error_with_defaults():
    error = TryItError("nope")
    assert isinstance(error, ValueError)
    assert (error.message, error.status, error.field, str(error)) == ("nope", 400, None, "nope")


def test_fold_headers_joins_repeats_at_the_first_position():
    headers = (("Accept", "a"), ("X-B", "1"), ("accept", "b"), ("Cookie", "x=1"),
               ("cookie", "y=2"))
    assert fold_headers(headers) == [("Accept", "a, b"), ("X-B", "1"), ("Cookie", "x=1; y=2")]


# --- property: any input either validates to something sane or is a TryItError ------

ANY_TEXT = st.text(max_size=60)
PATHS = st.one_of(ANY_TEXT, st.builds(lambda tail: "/sandbox/" + tail, ANY_TEXT),
                  st.sampled_from(["/sandbox", "/sandbox/%2e%2E", " /sandbox/get ",
                                   "/sandbox/" + "x" * 3000]))
HEADER_NAMES = st.one_of(ANY_TEXT, st.text(alphabet=string.ascii_letters + "-_", min_size=1,
                                           max_size=20), st.sampled_from(SERVER_SET_HEADERS),
                         st.sampled_from([h.replace("-", "_") for h in SERVER_SET_HEADERS]))
HEADER_VALUES = st.one_of(ANY_TEXT, st.text(alphabet=string.printable, max_size=40))
METHOD_TEXT = st.one_of(ANY_TEXT, st.sampled_from([m.lower() for m in METHODS]))
BODIES = st.one_of(ANY_TEXT, st.just("x" * (MAX_BODY_BYTES + 1)))


def _control_free(text: str) -> bool:
    return not any(unicodedata.category(char)[0] in "CZ" for char in text)


@settings(max_examples=400, deadline=None)
@given(METHOD_TEXT, PATHS, st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=35),
       BODIES)
def test_validate_returns_a_sane_request_or_a_try_it_error(method, path, headers, body):
    try:
        request = validate(method, path, headers, body)
    except TryItError as error:
        assert error.message and error.field in ("method", "path", "headers", "body")
        assert error.status in (400, 413)
        return
    assert request.method in METHODS
    assert request.path.startswith("/sandbox/") and len(request.path) <= MAX_PATH_LENGTH
    assert _control_free(request.path) and "\\" not in request.path
    assert "#" not in request.path
    assert len(request.headers) <= MAX_HEADERS
    for name, value in request.headers:
        assert TOKEN.fullmatch(name) and name.lower() not in SERVER_SET_HEADERS
        assert "_" not in name
        assert value.isascii() and all(c == "\t" or " " <= c <= "~" for c in value)
        assert value == value.strip() and len(name) + 2 + len(value) <= MAX_HEADER_BYTES
    assert len(request.body.encode("utf-8")) <= MAX_BODY_BYTES
    assert request.method != "HEAD" or request.body == ""
    assert validate(request.method, request.path, request.headers, request.body) == request
