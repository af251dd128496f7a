"""No input makes the sandbox answer 500: a sweep of odd requests over every route."""

from __future__ import annotations

import pytest

from hyperlesson.sandbox import formats, streams

from .test_sandbox_support import client_for, make_sandbox

ODD_SEGMENTS = ["0", "-1", "99999999999999999999999", "abc", "1.5", "%00", "%E9", "..",
                "%2F", " ", "nan", "1e9"]
ODD_BODIES = [
    ({"Content-Type": "application/json"}, b"{"),
    ({"Content-Type": "application/json"}, b"[" * 5000),
    ({"Content-Type": "application/json"}, b'{"name": "\\ud800", "email": "a@b"}'),
    ({"Content-Type": "application/json"}, b'{"name": "A", "email": "a@b"}'),
    ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x\r\nbroken"),
    ({"Content-Type": "multipart/form-data"}, b"no boundary"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"%%%&&&==\xff"),
    ({"Content-Type": "text/plain; charset=nonsense"}, b"\xff\xfe"),
    ({"Content-Type": "application/json"}, b"x" * (70 * 1024)),
    ({}, b""),
]


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    with (pytest.MonkeyPatch.context() as patch,
          client_for(make_sandbox(tmp_path_factory.mktemp("sweep")), key="sweep") as client):
        patch.setattr(formats, "sleep", lambda seconds: None)
        patch.setattr(streams, "sleep", lambda seconds: None)
        yield client


def paths_to_try(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        for segment in ODD_SEGMENTS:
            path = rule.rule
            while "<" in path:
                start, end = path.index("<"), path.index(">")
                path = path[:start] + segment + path[end + 1:]
            paths.append(path)
    return sorted(set(paths))


def test_odd_paths_and_methods_never_500(http, tmp_path):
    app = make_sandbox(tmp_path)
    for path in paths_to_try(app):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"):
            response = http.request(method, path)
            assert response.status_code < 500 or path.startswith("/status/"), (method, path)
            if response.status_code >= 400 and method != "HEAD" and not path.startswith(
                    ("/status/", "/anything", "/delay/")):
                assert response.headers["content-type"] == "application/problem+json", (
                    method, path, response.status_code)


@pytest.mark.parametrize("headers, content", ODD_BODIES)
@pytest.mark.parametrize("method, path", [("POST", "/post"), ("PUT", "/anything/x"),
                                          ("POST", "/users"), ("PUT", "/users/1"),
                                          ("PATCH", "/users/2"), ("POST", "/users/reset"),
                                          ("POST", "/response-headers")])
def test_odd_bodies_never_500(http, method, path, headers, content):
    response = http.request(method, path, headers=headers, content=content)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("headers", [
    {"If-None-Match": "garbage"}, {"If-Match": "W/"}, {"If-Modified-Since": "yesterday"},
    {"Authorization": "Basic"}, {"Authorization": "Bearer"}, {"Authorization": "x" * 5000},
    {"Cookie": "=;;;=%%"}, {"Content-Length": "abc"}, {"X-Sandbox-Key": "x" * 1000},
])
def test_odd_headers_never_500(http, headers):
    for path in ("/etag/a", "/cache", "/users/1", "/basic-auth/a/b", "/bearer", "/cookies",
                 "/users"):
        assert http.get(path, headers=headers).status_code < 500, (path, headers)
