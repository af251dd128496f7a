"""send(): the sandbox called in-process, redirects by hand, the result described."""

from __future__ import annotations

import json
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperlesson.extensions import db
from hyperlesson.sandbox import create_sandbox_app, mounted
from hyperlesson.tryit.client import USER_AGENT, public_origin, redirected, send
from hyperlesson.tryit.cookies import CookieJar
from hyperlesson.tryit.request import TryItError, TryRequest, validate
from hyperlesson.tryit.result import BODY_DISPLAY_LIMIT, Exchange

BASE = "http://127.0.0.1:5000"
NOW = 1_800_000_000.0


@pytest.fixture
def sandbox(tmp_path):
    app = create_sandbox_app({"TESTING": True,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/s.db"})
    with app.app_context():
        db.create_all()
    return mounted(app)  # the panel sends whole paths, /sandbox/...


def run(sandbox, method="GET", path="/sandbox/get", headers=(), body="", *, key="learner-a",
        **options) -> Exchange:
    return send(validate(method, path, list(headers), body), sandbox, base_url=BASE,
                sandbox_key=key, **options)


def echoed(exchange: Exchange) -> dict:
    assert exchange.response.body_kind == "json", exchange.response.body_text
    return json.loads(exchange.response.body_text)


def _refuse(*args, **kwargs):
    raise AssertionError("the try-it client must never touch the network")


def test_no_socket_is_ever_opened(sandbox, monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)

    got = run(sandbox)
    assert got.response.status == 200
    assert echoed(got)["url"] == f"{BASE}/sandbox/get"

    created = run(sandbox, "POST", "/sandbox/users", [("Content-Type", "application/json")],
                  '{"name": "Katherine Johnson", "email": "kj@example.com"}')
    assert (created.response.status, created.response.reason) == (201, "Created")
    assert created.response.location == "/sandbox/users/4"
    assert echoed(created)["id"] == 4

    chain = run(sandbox, path="/sandbox/redirect/3", follow_redirects=True)
    assert [(hop.status, hop.location) for hop in chain.hops] == [
        (302, "/sandbox/relative-redirect/2"), (302, "/sandbox/relative-redirect/1"),
        (302, "/sandbox/get")]
    assert [hop.url for hop in chain.hops] == [
        f"{BASE}/sandbox/redirect/3", f"{BASE}/sandbox/relative-redirect/2",
        f"{BASE}/sandbox/relative-redirect/1"]
    assert chain.response.status == 200


def test_send_needs_no_app_context_and_works_inside_another_apps(sandbox):
    from flask import Flask

    assert run(sandbox).response.status == 200
    with Flask("other").app_context():
        assert run(sandbox, path="/sandbox/users").response.status == 200


def test_an_unknown_sandbox_path_is_a_404_problem(sandbox):
    exchange = run(sandbox, path="/sandbox/no-such-thing")
    assert exchange.response.status == 404
    assert exchange.response.status_class == "4xx"
    assert exchange.response.meaning.startswith("Not Found")
    assert echoed(exchange)["status"] == 404


def test_redirects_are_not_followed_unless_asked(sandbox):
    exchange = run(sandbox, path="/sandbox/redirect/2")
    assert exchange.hops == ()
    assert (exchange.response.status, exchange.response.location) == (
        302, "/sandbox/relative-redirect/1")


def test_absolute_redirects_on_the_same_origin_are_followed(sandbox):
    exchange = run(sandbox, path="/sandbox/absolute-redirect/2", follow_redirects=True)
    assert [hop.location for hop in exchange.hops] == [
        f"{BASE}/sandbox/absolute-redirect/1", f"{BASE}/sandbox/get"]
    assert exchange.response.status == 200


def test_a_location_outside_the_sandbox_is_not_followed():
    for location in ("http://evil.example/", "//evil.example/x", "/admin", "/sandbox/../x",
                     "http://127.0.0.1:5001/sandbox/get", "https://127.0.0.1:5000/sandbox/get"):
        # A 3xx carrying an arbitrary Location, served by a tiny stand-in app.
        exchange = send(validate("GET", "/sandbox/go", [], ""), mounted(_redirector(location)),
                        base_url=BASE, sandbox_key="k", follow_redirects=True)
        assert exchange.hops == ()
        assert exchange.response.status == 302
        assert exchange.response.location == location
        assert "outside the sandbox" in exchange.response.meaning


def _redirector(location: str):
    def app(environ, start_response):
        if environ["PATH_INFO"] == "/go":
            start_response("302 FOUND", [("Location", location), ("Content-Length", "0")])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"followed"]
    return app


def test_the_chain_is_bounded(sandbox):
    exchange = run(sandbox, path="/sandbox/redirect/5", follow_redirects=True, max_redirects=2)
    assert len(exchange.hops) == 2
    assert exchange.response.status == 302
    assert "at most 2 redirects" in exchange.response.meaning
    assert len(run(sandbox, path="/sandbox/redirect/10", follow_redirects=True).hops) == 10


@pytest.mark.parametrize(("status", "method", "expected", "keeps_body"), [
    (303, "POST", "GET", False), (303, "PUT", "GET", False), (303, "HEAD", "HEAD", False),
    (302, "POST", "GET", False), (301, "POST", "GET", False), (302, "PUT", "PUT", True),
    (307, "POST", "POST", True), (308, "PATCH", "PATCH", True),
])
def test_redirect_methods_follow_the_browsers(status, method, expected, keeps_body):
    headers = [("Content-Type", "application/json"), ("Accept", "text/plain")]
    new_method, body, new_headers = redirected(status, method, "{}", headers)
    assert new_method == expected
    if keeps_body:
        assert (body, new_headers) == ("{}", headers)
    else:
        assert (body, new_headers) == ("", [("Accept", "text/plain")])


def test_307_repeats_the_post_with_its_body_and_303_turns_into_get(sandbox):
    target = "/sandbox/redirect-to?url=/sandbox/anything&status_code={}"
    kept = run(sandbox, "POST", target.format(307), [("Content-Type", "text/plain")], "hello",
               follow_redirects=True)
    assert echoed(kept)["method"] == "POST" and echoed(kept)["data"] == "hello"
    dropped = run(sandbox, "POST", target.format(303), [("Content-Type", "text/plain")],
                  "hello", follow_redirects=True)
    body = echoed(dropped)
    assert body["method"] == "GET" and body["data"] == ""
    assert "Content-Type" not in body["headers"]
    assert [hop.method for hop in dropped.hops] == ["POST"]


def test_a_jar_keeps_cookies_between_sends(sandbox):
    jar = CookieJar()
    set_it = run(sandbox, path="/sandbox/cookies/set?flavour=oat", jar=jar, now=NOW)
    assert set_it.response.status == 302 and set_it.cookies == ""
    shown = run(sandbox, path="/sandbox/cookies", jar=jar, now=NOW + 1)
    assert echoed(shown)["cookies"] == {"flavour": "oat"}
    assert shown.cookies == "flavour=oat"
    assert "\r\nCookie: flavour=oat\r\n" in shown.wire
    run(sandbox, path="/sandbox/cookies/delete?flavour", jar=jar, now=NOW + 2)
    assert echoed(run(sandbox, path="/sandbox/cookies", jar=jar, now=NOW + 3))["cookies"] == {}


def test_a_cookie_the_learner_types_joins_the_jars(sandbox):
    jar = CookieJar()
    run(sandbox, path="/sandbox/cookies/set?flavour=oat", jar=jar, now=NOW)
    shown = run(sandbox, path="/sandbox/cookies", headers=[("Cookie", "mine=1")], jar=jar,
                now=NOW)
    assert echoed(shown)["cookies"] == {"mine": "1", "flavour": "oat"}


def test_an_expired_cookie_is_not_sent(sandbox):
    jar = CookieJar()
    run(sandbox, path="/sandbox/response-headers?Set-Cookie=a=1;%20Path=/sandbox;%20Max-Age=5",
        jar=jar, now=NOW)
    assert echoed(run(sandbox, path="/sandbox/cookies", jar=jar, now=NOW + 4))["cookies"] == {
        "a": "1"}
    assert echoed(run(sandbox, path="/sandbox/cookies", jar=jar, now=NOW + 5))["cookies"] == {}


def test_cookies_live_for_one_chain_only(sandbox):
    chain = run(sandbox, path="/sandbox/cookies/set?flavour=oat", follow_redirects=True)
    assert echoed(chain)["cookies"] == {"flavour": "oat"}
    assert echoed(run(sandbox, path="/sandbox/cookies"))["cookies"] == {}


def test_304_from_a_matching_etag(sandbox):
    exchange = run(sandbox, path="/sandbox/etag/abc", headers=[("If-None-Match", '"abc"')])
    view = exchange.response
    assert (view.status, view.reason, view.body_kind, view.body_text) == (
        304, "Not Modified", "empty", "")
    assert view.etag == '"abc"'


def test_json_is_pretty_printed_with_two_spaces(sandbox):
    view = run(sandbox, path="/sandbox/json").response
    assert view.body_kind == "json"
    assert view.body_text.startswith('{\n  "slideshow": {\n    "title"')
    assert view.size == int(view.header("Content-Length"))


def test_binary_bodies_become_a_note(sandbox):
    view = run(sandbox, path="/sandbox/bytes/64?seed=1").response
    assert (view.body_kind, view.size) == ("binary", 64)
    assert view.body_text == "(64 bytes of binary data: application/octet-stream)"


def test_head_has_headers_and_no_body(sandbox):
    view = run(sandbox, "HEAD", "/sandbox/get").response
    assert (view.status, view.body_kind, view.body_text, view.size) == (200, "empty", "", 0)
    assert int(view.header("content-length")) > 0


def test_a_content_encoding_the_body_does_not_have_is_shown_not_raised(sandbox):
    view = run(sandbox, path="/sandbox/response-headers?Content-Encoding=gzip").response
    assert view.status == 200 and view.body_kind == "json"
    assert json.loads(view.body_text)["Content-Encoding"] == "gzip"
    assert "not in that encoding" in view.meaning


def test_send_checks_a_hand_built_request_again(sandbox):
    for bad in (TryRequest("GET", "//evil.example/", (), ""),
                TryRequest("GET", "/sandbox/get", (("X-A", "caf\u00e9"),), ""),
                TryRequest("TRACE", "/sandbox/get", (), "")):
        with pytest.raises(TryItError):
            send(bad, sandbox, base_url=BASE, sandbox_key="k")


def test_repeated_response_headers_are_kept_in_order(sandbox):
    view = run(sandbox, path="/sandbox/response-headers?Set-Cookie=a=1&Set-Cookie=b=2").response
    assert [v for k, v in view.headers if k.lower() == "set-cookie"] == ["a=1", "b=2"]


def test_the_wire_form_is_the_first_request_as_sent(sandbox):
    exchange = run(sandbox, "POST", "/sandbox/redirect-to?url=/sandbox/get&status_code=303",
                   [("Content-Type", "text/plain"), ("X-Twice", "1"), ("x-twice", "2")],
                   "héllo", key="learner-w", follow_redirects=True)
    head, _, body = exchange.wire.partition("\r\n\r\n")
    lines = head.split("\r\n")
    assert lines[0] == "POST /sandbox/redirect-to?url=/sandbox/get&status_code=303 HTTP/1.1"
    assert "Host: 127.0.0.1:5000" in lines
    assert "X-Sandbox-Key: learner-w" in lines
    assert f"User-Agent: {USER_AGENT}" in lines
    assert "Content-Length: 6" in lines and "X-Twice: 1, 2" in lines
    assert body == "héllo"
    assert echoed(exchange)["headers"]["User-Agent"] == USER_AGENT


def test_the_learners_user_agent_wins_and_a_long_body_is_cut_in_the_wire(sandbox):
    exchange = run(sandbox, "POST", "/sandbox/post", [("User-Agent", "curl/8.0")], "x" * 12_000)
    assert "User-Agent: curl/8.0" in exchange.wire.split("\r\n")
    assert exchange.wire.endswith("\r\n\r\n" + "x" * 10_000 + "\r\n[… 2000 more bytes not shown]")
    assert echoed(exchange)["headers"]["User-Agent"] == "curl/8.0"
    assert echoed(exchange)["data"] == "x" * 12_000


def test_a_long_response_body_is_cut_for_display(sandbox):
    view = run(sandbox, "POST", "/sandbox/post", [], "x" * 30_000).response
    assert view.truncated and len(view.body_text) == BODY_DISPLAY_LIMIT
    assert view.body_kind == "json" and view.size > 30_000


def test_a_round_trip_through_json(sandbox):
    exchange = run(sandbox, "POST", "/sandbox/redirect-to?url=/sandbox/anything&status_code=307",
                   [("Content-Type", "application/json")], '{"a": [1, 2]}',
                   follow_redirects=True)
    data = json.loads(json.dumps(exchange.to_dict()))
    assert Exchange.from_dict(data) == exchange
    assert exchange.elapsed_ms > 0


def test_each_sandbox_key_has_its_own_users(sandbox):
    created = run(sandbox, "POST", "/sandbox/users", [("Content-Type", "application/json")],
                  '{"name": "Only A", "email": "a@example.com"}', key="key-a")
    assert created.response.status == 201
    names_a = [u["name"] for u in echoed(run(sandbox, path="/sandbox/users", key="key-a"))]
    names_b = [u["name"] for u in echoed(run(sandbox, path="/sandbox/users", key="key-b"))]
    assert "Only A" in names_a and "Only A" not in names_b
    assert run(sandbox, path="/sandbox/users/4", key="key-b").response.status == 404


@pytest.mark.parametrize("base", ["ftp://host", "http://host/prefix", "http://h/?q=1", "/x",
                                  "http://user@host"])
def test_base_url_must_be_an_origin(base):
    with pytest.raises(ValueError):
        public_origin(base)
    assert public_origin("http://[::1]:8000/") == "http://[::1]:8000"


def test_a_malformed_sandbox_key_is_a_programming_error(sandbox):
    with pytest.raises(ValueError):
        run(sandbox, key="bad key\r\n")


PATH_TAILS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
       st.sampled_from(["anything/", "get?", "users/", "status/", "etag/", "redirect-to?url=",
                        "response-headers?", "cookies/set?", "bytes/", "base64/"]),
       PATH_TAILS, st.lists(st.tuples(st.sampled_from(["X-A", "Accept", "Content-Type",
                                                       "If-Match", "Cookie"]), VALUES),
                            max_size=3), st.text(max_size=40))
def test_any_valid_request_gets_a_response_not_an_exception(sandbox, method, route, tail,
                                                            headers, body):
    try:
        request = validate(method, "/sandbox/" + route + tail, headers, body)
    except ValueError:
        return
    exchange = send(request, sandbox, base_url=BASE, sandbox_key="fuzz", follow_redirects=True)
    assert 100 <= exchange.response.status <= 599
    assert Exchange.from_dict(json.loads(json.dumps(exchange.to_dict()))) == exchange


# The environ is built here, not by a library: what a learner types must not reach the
# keys a server sets, and the request must go to the origin given whatever the path says.

def _recorder(seen: list):
    def app(environ, start_response):
        seen.append(dict(environ))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"seen"]
    return mounted(app)


def test_learner_headers_cannot_set_what_the_server_sets():
    seen: list = []
    hostile = [("Path-Info", "/admin"), ("Script-Name", "/x"), ("Remote-Addr", "10.0.0.1"),
               ("Server-Name", "evil.example"), ("Server-Port", "1"), ("wsgi.url-scheme", "ftp"),
               ("wsgi.input", "x"),
               ("Request-Method", "DELETE"), ("Query-String", "a=1"), ("Http-Host", "evil")]
    send(validate("GET", "/sandbox/get?x=1", hostile, ""), _recorder(seen), base_url=BASE,
         sandbox_key="k")
    environ = seen[0]
    assert (environ["SCRIPT_NAME"], environ["PATH_INFO"], environ["QUERY_STRING"]) == (
        "/sandbox", "/get", "x=1")
    assert (environ["REQUEST_METHOD"], environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == (
        "GET", "127.0.0.1", "http")
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"], environ["HTTP_HOST"]) == (
        "127.0.0.1", "5000", "127.0.0.1:5000")
    assert environ["HTTP_PATH_INFO"] == "/admin" and environ["HTTP_HTTP_HOST"] == "evil"
    assert environ["HTTP_X_SANDBOX_KEY"] == "k"


@pytest.mark.parametrize("path", ["/sandbox/@evil.example/x", "/sandbox//evil.example/x",
                                  "/sandbox/x?@evil.example", "/sandbox/http://evil.example/"])
def test_the_host_is_the_origin_whatever_the_path_says(path):
    seen: list = []
    exchange = send(validate("GET", path, [], ""), _recorder(seen), base_url=BASE,
                    sandbox_key="k")
    assert (seen[0]["SERVER_NAME"], seen[0]["HTTP_HOST"]) == ("127.0.0.1", "127.0.0.1:5000")
    assert "\r\nHost: 127.0.0.1:5000\r\n" in exchange.wire


def test_the_app_session_never_reaches_the_sandbox(sandbox):
    # Only the jar's cookies and the learner's own Cookie header are sent: nothing of the
    # process that calls send() (its request, its session) is in the environ.
    from flask import Flask
    outer = Flask("lesson-server")
    with outer.test_request_context(headers={"Cookie": "session=secret; remember_token=t"}):
        body = echoed(run(sandbox, path="/sandbox/headers"))
    assert "Cookie" not in body["headers"]
    assert echoed(run(sandbox, path="/sandbox/cookies", headers=[("Cookie", "mine=1")]))[
        "cookies"] == {"mine": "1"}


@pytest.mark.parametrize(("typed", "wire"), [
    ("/sandbox/anything/caf\u00e9", "/sandbox/anything/caf%C3%A9"),
    ("/sandbox/anything/e\u0301", "/sandbox/anything/e%CC%81"),  # a combining accent
    ("/sandbox/anything/\u732b?q=\U0001f600", "/sandbox/anything/%E7%8C%AB?q=%F0%9F%98%80"),
    ("/sandbox/anything/{a}`b\"<>?q=\"<>`{}",
     "/sandbox/anything/%7Ba%7D%60b%22%3C%3E?q=%22%3C%3E`{}"),
    ("/sandbox/anything/%E2%82%AC%zz", "/sandbox/anything/%E2%82%AC%zz"),  # kept as typed
])
def test_odd_characters_are_percent_encoded_as_browsers_do(sandbox, typed, wire):
    exchange = run(sandbox, path=typed)
    assert exchange.wire.startswith(f"GET {wire} HTTP/1.1\r\n")
    assert exchange.response.status == 200
    assert echoed(exchange)["url"].startswith(f"{BASE}/sandbox/anything/")


@pytest.mark.parametrize("location", [
    "/sandbox/get\t", "/sandbox/ge\nt", "\x00/sandbox/get", "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "http://127.0.0.1:5000:80/sandbox/get",
    "http://127.0.0.1:99999/sandbox/get", "http://[::1/sandbox/get", "//", "http:///x",
])
def test_a_hostile_location_is_not_followed_and_never_raises(location):
    exchange = send(validate("GET", "/sandbox/go", [], ""), mounted(_redirector(location)),
                    base_url=BASE, sandbox_key="k", follow_redirects=True)
    assert exchange.hops == () and exchange.response.status == 302
    assert "outside the sandbox" in exchange.response.meaning


def test_a_non_ascii_location_inside_the_sandbox_is_followed_encoded():
    exchange = send(validate("GET", "/sandbox/go", [], ""),
                    mounted(_redirector("/sandbox/caf\u00e9?q=\u00fc")), base_url=BASE,
                    sandbox_key="k", follow_redirects=True)
    assert [hop.location for hop in exchange.hops] == ["/sandbox/caf\u00e9?q=\u00fc"]
    assert exchange.response.body_text == "followed"


def test_a_redirect_loop_stops_at_the_limit():
    exchange = send(validate("GET", "/sandbox/go", [], ""), mounted(_redirector("/sandbox/go")),
                    base_url=BASE, sandbox_key="k", follow_redirects=True)
    assert len(exchange.hops) == 10 and "at most 10 redirects" in exchange.response.meaning


def test_headers_repeated_in_a_response_are_all_kept_and_joined_where_one_is_read():
    def app(environ, start_response):
        start_response("200 OK", [("Set-Cookie", "a=1"), ("X-Twice", "1"), ("Set-Cookie", "b=2"),
                                  ("x-twice", "2"), ("Content-Encoding", "identity"),
                                  ("Content-Encoding", "gzip")])
        return [b"", b"not gzip"]  # an empty first chunk, as streaming apps send
    jar = CookieJar()
    exchange = send(validate("GET", "/sandbox/x", [], ""), mounted(app), base_url=BASE,
                    sandbox_key="k", jar=jar, now=NOW)
    assert [name for name, _ in exchange.response.headers] == [
        "Set-Cookie", "X-Twice", "Set-Cookie", "x-twice", "Content-Encoding", "Content-Encoding"]
    assert [cookie["name"] for cookie in jar.as_dicts()] == ["a", "b"]
    assert "Content-Encoding: identity, gzip" in exchange.response.meaning
    assert exchange.response.size == len(b"not gzip")
