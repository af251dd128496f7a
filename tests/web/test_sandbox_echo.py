"""Echo endpoints through the in-process client, mounted at /sandbox as in production."""

from __future__ import annotations

import pytest

from .test_sandbox_support import assert_problem, client_for, make_sandbox

ECHO_KEYS = {"args", "headers", "origin", "url"}
BODY_KEYS = ECHO_KEYS | {"data", "files", "form", "json"}


@pytest.fixture
def http(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        yield client


def test_get_echoes_args_headers_origin_and_the_public_url(http):
    response = http.get("/get", params=[("a", "1"), ("a", "2"), ("b", "x y")],
                        headers={"X-Lesson": "http"})
    body = response.json()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(body) == ECHO_KEYS
    assert body["args"] == {"a": ["1", "2"], "b": "x y"}
    assert body["headers"]["X-Lesson"] == "http"
    assert body["origin"] == "127.0.0.1"
    assert body["url"] == "http://testserver/sandbox/get?a=1&a=2&b=x+y"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_each_body_method_echoes_json(http, method):
    response = http.request(method, f"/{method.lower()}", json={"n": [1, 2]})
    body = response.json()
    assert response.status_code == 200
    assert set(body) == BODY_KEYS
    assert body["json"] == {"n": [1, 2]}
    assert body["data"] == '{"n":[1,2]}'
    assert body["form"] == {} and body["files"] == {}


@pytest.mark.parametrize("path, allowed", [
    ("/get", "GET, HEAD, OPTIONS"), ("/post", "POST, OPTIONS"), ("/put", "PUT, OPTIONS"),
    ("/patch", "PATCH, OPTIONS"), ("/delete", "DELETE, OPTIONS"),
])
def test_each_echo_path_accepts_only_its_method(http, path, allowed):
    wrong = "POST" if path == "/get" else "GET"
    body = assert_problem(http.request(wrong, path), 405)
    assert http.request(wrong, path).headers["allow"] == allowed
    assert allowed in body["detail"]


def test_post_form_and_files_like_httpbin(http):
    response = http.post("/post", data={"a": "1"},
                         files={"notes": ("notes.txt", b"hello", "text/plain"),
                                "blob": ("b.bin", b"\xff\x00", "application/x-thing")})
    body = response.json()
    assert body["form"] == {"a": "1"}
    assert body["files"] == {"notes": "hello", "blob": "data:application/x-thing;base64,/wA="}
    assert body["data"] == "" and body["json"] is None


def test_non_json_and_binary_bodies(http):
    body = http.post("/post", content=b"plain words", headers={"Content-Type": "text/plain"})
    assert body.json()["data"] == "plain words" and body.json()["json"] is None
    binary = http.put("/put", content=b"\x00\xff", headers={"Content-Type": "image/png"})
    assert binary.json()["data"] == "data:image/png;base64,AP8="
    broken = http.post("/post", content=b'{"a":', headers={"Content-Type": "application/json"})
    assert broken.status_code == 200 and broken.json()["json"] is None


def test_anything_takes_every_method_and_any_path(http):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = http.request(method, "/anything/a/b", params={"q": "1"})
        body = response.json()
        assert response.status_code == 200
        assert body["method"] == method
        assert body["url"] == "http://testserver/sandbox/anything/a/b?q=1"
        assert set(body) == BODY_KEYS | {"method"}
    assert http.get("/anything").json()["url"] == "http://testserver/sandbox/anything"


def test_body_over_64_kb_is_a_413(http):
    assert_problem(http.post("/post", content=b"x" * (64 * 1024 + 1)), 413)
    assert_problem(http.post("/anything", data={"f": "x" * (65 * 1024)}), 413)
    assert http.post("/post", content=b"x" * (64 * 1024)).status_code == 200


def test_headers_user_agent_ip(http):
    headers = http.get("/headers", headers={"User-Agent": "curl/8"}).json()
    assert headers["headers"]["User-Agent"] == "curl/8"
    assert http.get("/user-agent", headers={"User-Agent": "curl/8"}).json() == {
        "user-agent": "curl/8"}
    assert http.get("/ip").json() == {"origin": "127.0.0.1"}


def test_response_headers_sets_and_echoes_each_pair(http):
    for method in ("GET", "POST"):
        response = http.request(method, "/response-headers",
                                params=[("X-Lesson", "one"), ("X-Lesson", "two"),
                                        ("Content-Type", "text/plain")])
        assert response.status_code == 200
        assert response.headers.get_list("X-Lesson") == ["one", "two"]
        assert response.headers["content-type"] == "text/plain"
        assert response.json()["X-Lesson"] == ["one", "two"]


@pytest.mark.parametrize("params", [
    {"Bad Name": "v"}, {"X-Split": "a\r\nSet-Cookie: stolen=1"}, {"X-Nul": "a\x00"},
    {"Content-Length": "1"}, {"Transfer-Encoding": "chunked"}, {"X-Uni": "é"},
    [("X-N", str(i)) for i in range(31)],
])
def test_response_headers_refuses_unsafe_headers(http, params):
    response = http.get("/response-headers", params=params)
    assert_problem(response, 400)
    assert "stolen" not in response.headers.get("set-cookie", "")


def test_unknown_path_is_a_problem_that_points_at_the_document(http):
    body = assert_problem(http.get("/no/such/thing"), 404)
    assert "/sandbox/openapi.json" in body["detail"]


def test_head_and_options(http):
    head = http.head("/get")
    assert head.status_code == 200 and head.content == b""
    options = http.options("/post")
    assert options.status_code == 200 and "POST" in options.headers["allow"]


def test_non_ascii_paths_reach_the_app_intact(http):
    for path, last in (("/anything/€", "€"), ("/anything/%E2%82%AC", "€"),
                       ("/anything/é", "é")):
        response = http.get(path)
        assert response.status_code == 200
        assert response.json()["url"] == f"http://testserver/sandbox/anything/{last}"
    assert_problem(http.get("/users/%E2%82%AC"), 404)


def test_paths_outside_the_mount_get_a_problem_too(http):
    response = http.get("/../elsewhere")
    assert_problem(response, 404)
