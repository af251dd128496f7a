"""/status and the redirect family: codes, challenges, and Locations inside /sandbox."""

from __future__ import annotations

import pytest

from .test_sandbox_support import assert_problem, client_for, make_sandbox


@pytest.fixture
def http(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        yield client


@pytest.mark.parametrize("code", [200, 201, 204, 400, 404, 429, 500, 503, 599, 299])
def test_status_answers_that_code(http, code):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = http.request(method, f"/status/{code}")
        assert response.status_code == code
        assert response.content == b""


@pytest.mark.parametrize("code", [301, 302, 303, 305, 307])
def test_status_3xx_points_inside_the_sandbox(http, code):
    response = http.get(f"/status/{code}")
    assert response.status_code == code
    assert response.headers["location"] == "/sandbox/redirect/1"
    assert "content-type" not in response.headers  # nothing to type, as httpbin


@pytest.mark.parametrize("code", [300, 308])
def test_status_300_and_308_have_no_location_as_in_httpbin(http, code):
    response = http.get(f"/status/{code}")
    assert response.status_code == code
    assert "location" not in response.headers


def test_status_304_has_no_location_or_body(http):
    response = http.get("/status/304")
    assert response.status_code == 304
    assert "location" not in response.headers and response.content == b""


def test_status_401_and_407_carry_challenges(http):
    assert http.get("/status/401").headers["www-authenticate"] == 'Basic realm="Fake Realm"'
    assert http.get("/status/407").headers["proxy-authenticate"] == 'Basic realm="Fake Realm"'


def test_status_418_is_a_teapot(http):
    response = http.get("/status/418")
    assert response.status_code == 418
    assert "teapot" in response.text
    assert response.headers["content-type"].startswith("text/plain")


def test_status_list_picks_one_of_them(http):
    seen = {http.get("/status/200,201,202").status_code for _ in range(40)}
    assert seen <= {200, 201, 202} and len(seen) > 1
    assert {http.get("/status/200:0,404:5").status_code for _ in range(10)} == {404}


@pytest.mark.parametrize("spec", ["99", "600", "1000", "abc", "-1", "200,,500", "200:x"])
def test_status_refuses_bad_codes(http, spec):
    assert_problem(http.get(f"/status/{spec}"), 400)


def test_redirect_chain_ends_at_get(http):
    locations = []
    response = http.get("/redirect/3")
    while response.status_code == 302:
        locations.append(response.headers["location"])
        response = http.get(response.headers["location"].removeprefix("/sandbox"))
    assert locations == ["/sandbox/relative-redirect/2", "/sandbox/relative-redirect/1",
                         "/sandbox/get"]
    assert response.json()["url"] == "http://testserver/sandbox/get"


def test_following_redirects_with_httpx(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        response = client.get("/redirect/4", follow_redirects=True)
        assert response.status_code == 200 and len(response.history) == 4
        absolute = client.get("/absolute-redirect/2", follow_redirects=True)
        assert [str(r.headers["location"]) for r in absolute.history] == [
            "http://testserver/sandbox/absolute-redirect/1", "http://testserver/sandbox/get"]


def test_redirect_absolute_flag_and_single_hops(http):
    assert http.get("/redirect/2", params={"absolute": "true"}).headers["location"] == (
        "http://testserver/sandbox/absolute-redirect/1")
    assert http.get("/relative-redirect/1").headers["location"] == "/sandbox/get"
    assert http.get("/absolute-redirect/1").headers["location"] == (
        "http://testserver/sandbox/get")


@pytest.mark.parametrize("path", ["/redirect/11", "/redirect/0", "/relative-redirect/99",
                                  "/absolute-redirect/0"])
def test_redirect_counts_are_capped(http, path):
    assert_problem(http.get(path), 400)


@pytest.mark.parametrize("path", ["/absolute-redirect/x", "/redirect/-1", "/redirect/abc",
                                  "/cache/abc", "/bytes/-1"])
def test_a_count_that_is_not_a_whole_number_names_no_endpoint(http, path):
    assert_problem(http.get(path), 404)  # as httpbin, whose routes take <int:n>


@pytest.mark.parametrize("url, code", [("/sandbox/get", 302),
                                       ("/sandbox/status/200?x=1", 307),
                                       ("http://testserver/sandbox/ip", 301)])
def test_redirect_to_sandbox_paths(http, url, code):
    response = http.get("/redirect-to", params={"url": url, "status_code": code})
    assert response.status_code == code
    assert response.headers["location"] == url


@pytest.mark.parametrize("url", ["https://example.com/", "//example.com/sandbox/get",
                                 "/login", "/sandbox/../login", "http://evil/sandbox/get",
                                 "/\\example.com", ""])
def test_redirect_to_refuses_targets_outside_the_sandbox(http, url):
    response = http.get("/redirect-to", params={"url": url})
    assert_problem(response, 400)
    assert "location" not in response.headers


@pytest.mark.parametrize("code", ["200", "400", "299", "-5"])
def test_redirect_to_falls_back_to_302_as_httpbin(http, code):
    response = http.get("/redirect-to", params={"url": "/sandbox/get", "status_code": code})
    assert response.status_code == 302
    assert response.headers["location"] == "/sandbox/get"


@pytest.mark.parametrize("params", [{"url": "/sandbox/get", "status_code": "abc"}, {},
                                    {"url": ""}])
def test_redirect_to_refuses_what_httpbin_fails_on(http, params):
    assert_problem(http.get("/redirect-to", params=params), 400)


def test_redirect_to_reads_its_parameters_in_any_case(http):
    response = http.get("/redirect-to?URL=/sandbox/ip&Status_Code=307")
    assert (response.status_code, response.headers["location"]) == (307, "/sandbox/ip")


def test_unmounted_app_keeps_locations_relative_to_its_root(tmp_path):
    client = make_sandbox(tmp_path).test_client()
    assert client.get("/redirect/1").headers["Location"] == "/get"
    assert client.get("/redirect-to?url=/get").status_code == 302
    assert client.get("/redirect-to?url=https://example.com/").status_code == 400
