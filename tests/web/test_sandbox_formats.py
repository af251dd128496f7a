"""Authentication practice, sample documents, random bytes and the bounded delay."""

from __future__ import annotations

import base64
import uuid

import pytest

from hyperlesson.sandbox import formats

from .test_sandbox_support import assert_problem, client_for, make_sandbox


@pytest.fixture
def http(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        yield client


def test_basic_auth(http):
    good = http.get("/basic-auth/ada/secret", auth=("ada", "secret"))
    assert good.status_code == 200
    assert good.json() == {"authenticated": True, "user": "ada"}
    for auth in (None, ("ada", "wrong"), ("bob", "secret")):
        response = http.get("/basic-auth/ada/secret", auth=auth)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == 'Basic realm="Fake Realm"'


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic " + base64.b64encode(
    b"\xff\xfe:x").decode(), "Bearer abc", "Digest x", "Basic"])
def test_basic_auth_malformed_headers_are_401_not_500(http, header):
    response = http.get("/basic-auth/ada/secret", headers={"Authorization": header})
    assert_problem(response, 401)


def test_bearer(http):
    good = http.get("/bearer", headers={"Authorization": "Bearer tok-123"})
    assert good.json() == {"authenticated": True, "token": "tok-123"}
    for headers in ({}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer "}):
        response = http.get("/bearer", headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


def test_sample_documents(http):
    data = http.get("/json")
    assert data.headers["content-type"] == "application/json"
    assert data.json()["slideshow"]["slides"]
    html = http.get("/html")
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.text.startswith("<!DOCTYPE html>")
    xml = http.get("/xml")
    assert xml.headers["content-type"].startswith("application/xml")
    assert xml.text.startswith("<?xml")


def test_uuid(http):
    value = http.get("/uuid").json()["uuid"]
    assert uuid.UUID(value).version == 4


def test_bytes(http):
    response = http.get("/bytes/16")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert len(response.content) == 16
    assert len(http.get("/bytes/102400").content) == 102400
    assert http.get("/bytes/0").content == b""
    seeded = [http.get("/bytes/32", params={"seed": "7"}).content for _ in range(2)]
    assert seeded[0] == seeded[1]


@pytest.mark.parametrize("path, status", [("/bytes/-1", 404), ("/bytes/x", 404),
                                          ("/bytes/10?seed=abc", 400)])
def test_bytes_refuses_what_is_not_a_count(http, path, status):
    assert_problem(http.get(path), status)


def test_bytes_are_cut_to_100_kb_as_httpbin_cuts_them(http):
    assert len(http.get("/bytes/999999").content) == 102400


def test_seeded_bytes_are_httpbins_for_the_same_seed(http):
    # httpbin 0.10.4: random.seed(42), then randint(0, 255) for each byte.
    assert http.get("/bytes/8?seed=42").content == bytes([57, 12, 140, 125, 114, 71, 52, 44])
    assert http.get("/bytes/8?SEED=42").content == http.get("/bytes/8?seed=42").content


@pytest.fixture
def slept(monkeypatch):
    calls: list[float] = []
    monkeypatch.setattr(formats, "sleep", calls.append)
    return calls


@pytest.mark.parametrize("value, seconds", [("0", 0), ("1.5", 1.5), ("3", 3), ("10", 3),
                                            ("99999", 3)])
def test_delay_waits_at_most_three_seconds(http, slept, value, seconds):
    response = http.post(f"/delay/{value}", json={"a": 1})
    assert response.status_code == 200
    assert response.json()["data"] == '{"a":1}'
    assert "json" not in response.json()  # httpbin's /delay has no json key
    assert slept == [seconds]


@pytest.mark.parametrize("value", ["-1", "nan", "soon"])
def test_delay_refuses_bad_values_without_waiting(http, slept, value):
    assert_problem(http.get(f"/delay/{value}"), 400)
    assert slept == []


def test_delay_really_sleeps(http):
    assert http.get("/delay/0.01").status_code == 200
