"""Conditional requests (/etag, /cache), Cache-Control, and cookies scoped to /sandbox."""

from __future__ import annotations

import pytest

from .test_sandbox_support import assert_problem, client_for, make_sandbox


@pytest.fixture
def http(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        yield client


def test_etag_without_conditions_is_200_with_the_etag(http):
    response = http.get("/etag/abc")
    assert response.status_code == 200
    assert response.headers["etag"] == '"abc"'
    assert response.json()["url"] == "http://testserver/sandbox/etag/abc"


@pytest.mark.parametrize("header", ['"abc"', 'W/"abc"', '"x", "abc"', "*"])
def test_etag_if_none_match_matching_is_304(http, header):
    response = http.get("/etag/abc", headers={"If-None-Match": header})
    assert response.status_code == 304
    assert response.headers["etag"] == '"abc"'
    assert response.content == b""


def test_etag_if_none_match_other_is_200(http):
    assert http.get("/etag/abc", headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_if_match(http):
    response = http.get("/etag/abc", headers={"If-Match": '"other"'})
    assert_problem(response, 412)
    assert response.headers["etag"] == '"abc"'
    assert http.get("/etag/abc", headers={"If-Match": '"abc"'}).status_code == 200
    assert http.get("/etag/abc", headers={"If-Match": "*"}).status_code == 200


@pytest.mark.parametrize("tag", ['a"b', "x" * 129])
def test_etag_refuses_unquotable_values(http, tag):
    assert_problem(http.get(f"/etag/{tag}"), 400)


def test_cache_is_200_with_validators_then_304_when_conditional(http):
    first = http.get("/cache")
    assert first.status_code == 200
    assert first.headers["last-modified"].endswith("GMT")
    assert first.headers["etag"].startswith('"')
    again = http.get("/cache", headers={"If-Modified-Since": first.headers["last-modified"]})
    assert again.status_code == 304 and again.content == b""
    assert http.get("/cache", headers={"If-None-Match": first.headers["etag"]}).status_code == 304


def test_cache_n_sets_max_age(http):
    response = http.get("/cache/60")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    assert_problem(http.get("/cache/-1"), 404)  # httpbin's <int:n> too
    assert_problem(http.get("/cache/forever"), 404)
    assert_problem(http.get("/cache/99999999999"), 400)


def test_cookies_echo_what_was_sent(http):
    response = http.get("/cookies", headers={"Cookie": "a=1; b=two"})
    assert response.json() == {"cookies": {"a": "1", "b": "two"}}


def test_cookies_set_redirects_with_set_cookie_scoped_to_the_sandbox(http):
    response = http.get("/cookies/set", params={"flavour": "oat", "size": "big"})
    assert response.status_code == 302
    assert response.headers["location"] == "/sandbox/cookies"
    cookies = response.headers.get_list("set-cookie")
    assert "flavour=oat; Path=/sandbox; SameSite=Lax" in cookies
    assert len(cookies) == 2
    followed = http.get("/cookies")
    assert followed.json() == {"cookies": {"flavour": "oat", "size": "big"}}


def test_cookies_set_with_path_segments(http):
    response = http.get("/cookies/set/name/value")
    assert response.status_code == 302
    assert response.headers["set-cookie"].startswith("name=value;")


def test_cookies_delete_expires_them(http):
    http.get("/cookies/set", params={"a": "1", "b": "2"})
    response = http.get("/cookies/delete", params={"a": ""})
    assert response.status_code == 302
    assert response.headers["location"] == "/sandbox/cookies"
    expired = response.headers["set-cookie"]
    assert expired.startswith("a=;") and "Max-Age=0" in expired and "Path=/sandbox" in expired
    assert http.get("/cookies").json() == {"cookies": {"b": "2"}}


@pytest.mark.parametrize("path", ["/cookies/set?bad%20name=1", "/cookies/set?ok=line%0Abreak",
                                  "/cookies/delete?bad%3Bname", "/cookies/set/a%3Bb/c"])
def test_cookies_refuse_invalid_names_and_values(http, path):
    response = http.get(path)
    assert_problem(response, 400)
    assert "set-cookie" not in response.headers


def test_cookies_are_bounded(http):
    many = {f"c{i}": "1" for i in range(21)}
    assert_problem(http.get("/cookies/set", params=many), 400)
    assert_problem(http.get("/cookies/delete", params=many), 400)
