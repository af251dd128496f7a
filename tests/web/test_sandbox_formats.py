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


@pytest.mark.parametrize("path", ["/bytes/102401", "/bytes/-1", "/bytes/x",
                                  "/bytes/10?seed=abc"])
def test_bytes_are_bounded(http, path):
    assert_problem(http.get(path), 400)


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
    assert response.json()["json"] == {"a": 1}
    assert slept == [seconds]


@pytest.mark.parametrize("value", ["-1", "nan", "soon"])
def test_delay_refuses_bad_values_without_waiting(http, slept, value):
    assert_problem(http.get(f"/delay/{value}"), 400)
    assert slept == []


def test_delay_really_sleeps(http):
    assert http.get("/delay/0.01").status_code == 200
