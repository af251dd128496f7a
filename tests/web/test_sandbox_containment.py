"""The sandbox cannot touch the lesson server: attacks through links a stranger could send.

Each attack was found against the real app (issue "Contain the sandbox"); the browser
versions are in tests/browser/test_containment.py.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .helpers import LESSON


def response_headers(client, *pairs: tuple[str, str]):
    return client.get("/sandbox/response-headers?" + urlencode(pairs))


def assert_refused(response, words: str):
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert "Set-Cookie" not in response.headers
    assert "Refresh" not in response.headers
    assert words in response.get_json()["detail"]


@pytest.mark.parametrize("cookie", [
    "session=forged; Path=/", "session=x", "SESSION=x; Path=/sandbox",
    "remember_token=x; Max-Age=0", "session =x",
])
def test_the_app_cookies_cannot_be_set_or_deleted(client, cookie):
    assert_refused(response_headers(client, ("Set-Cookie", cookie)), "lesson server's own")


@pytest.mark.parametrize("cookie", [
    "flavour=x; Path=/", "flavour=x; path=/learn", "flavour=x; Path=/sandboxed",
    "flavour=x; Path=/sandbox/get; Path=/",
])
def test_sandbox_cookies_stay_under_the_sandbox_path(client, cookie):
    assert_refused(response_headers(client, ("Set-Cookie", cookie)), "under /sandbox/")


@pytest.mark.parametrize("cookie", ["flavour=x; Domain=example.org", "a=1; domain=localhost"])
def test_sandbox_cookies_name_no_domain(client, cookie):
    assert_refused(response_headers(client, ("Set-Cookie", cookie)), "Domain")


@pytest.mark.parametrize("cookie", [
    "flavour=chocolate", "flavour=x; Path=/sandbox", "flavour=x; Path=/sandbox/cookies",
    "flavour=x; HttpOnly; Max-Age=60; SameSite=Strict", "flavour=x; Path=relative",
])
def test_cookies_inside_the_sandbox_are_sent_as_asked(client, cookie):
    response = response_headers(client, ("Set-Cookie", cookie))
    assert response.status_code == 200
    assert response.headers["Set-Cookie"] == cookie


def test_cookies_set_refuses_the_app_cookie_names(client):
    for url in ("/sandbox/cookies/set?session=x", "/sandbox/cookies/set/session/x",
                "/sandbox/cookies/delete?session", "/sandbox/cookies/set?__Host-a=1"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("refresh", [
    "0;url=http://elsewhere.example/", "0; URL='http://elsewhere.example/'",
    "0, //elsewhere.example", "0 http://elsewhere.example", "0;url=/learn/python-backend/",
    "0;url=/sandbox/../learn", "0;url=/sandbox/%2e%2e/learn", "0;url=https:elsewhere.example",
    "0;url=/sandbox/\t/elsewhere", "now", "0;url=/sandbox/get x", "0;url=",
])
def test_refresh_never_leaves_the_sandbox(client, refresh):
    response = response_headers(client, ("Refresh", refresh))
    assert response.status_code == 400
    assert "Refresh" not in response.headers


@pytest.mark.parametrize("refresh", ["5", "0;url=/sandbox/get", "1; URL = /sandbox/uuid",
                                     "0,/sandbox/json", "0;url=http://localhost/sandbox/get"])
def test_refresh_inside_the_sandbox_works(client, refresh):
    response = response_headers(client, ("Refresh", refresh))
    assert response.status_code == 200
    assert response.headers["Refresh"] == refresh


@pytest.mark.parametrize("location", ["http://elsewhere.example/", "//elsewhere.example",
                                      "/learn/python-backend/", "/\\elsewhere.example"])
def test_location_never_leaves_the_sandbox(client, location):
    assert response_headers(client, ("Location", location)).status_code == 400


@pytest.mark.parametrize("name,value", [
    ("Clear-Site-Data", '"cookies"'), ("Clear-Site-Data", '"*"'),
    ("Strict-Transport-Security", "max-age=0"), ("NEL", '{"report_to":"a","max_age":9}'),
    ("Report-To", '{"group":"a"}'), ("Reporting-Endpoints", 'a="http://x.example/"'),
    ("Alt-Svc", 'h2="elsewhere.example:443"'), ("Accept-CH", "Sec-CH-UA-Model"),
    ("Service-Worker-Allowed", "/"), ("content-security-policy", "default-src *"),
    ("X-Content-Type-Options", "sniff"),
])
def test_headers_that_act_on_the_whole_site_are_refused(client, name, value):
    response = response_headers(client, (name, value))
    assert response.status_code == 400
    assert value not in response.headers.get_all(name)


@pytest.mark.parametrize("kind", ["text/css", "text/javascript", "application/javascript",
                                  "TEXT/CSS; charset=utf-8", "text/x-javascript",
                                  "application/wasm"])
def test_no_stylesheet_or_script_can_be_served(client, kind):
    assert_refused(response_headers(client, ("Content-Type", kind)), "script or a stylesheet")


def test_the_app_cookies_never_reach_the_sandbox(client):
    client.get(LESSON)  # the session cookie, with its learner token
    assert client.get_cookie("session") is not None
    client.set_cookie("flavour", "x", path="/sandbox")
    echoed = client.get("/sandbox/cookies").get_json()
    assert echoed == {"cookies": {"flavour": "x"}}
    headers = client.get("/sandbox/headers").get_json()["headers"]
    assert "session" not in headers.get("Cookie", "")


def test_only_the_app_cookies_are_hidden(client):
    for name, value in (("session", "secret"), ("remember_token", "t"), ("a", "1"),
                        ("sessionx", "2")):
        client.set_cookie(name, value)
    response = client.get("/sandbox/cookies")
    assert response.get_json() == {"cookies": {"a": "1", "sessionx": "2"}}
