"""/openapi.json describes every route the app has, and the index points at it."""

from __future__ import annotations

import re

import pytest

from hyperlesson.sandbox.openapi import document

from .test_sandbox_support import client_for, make_sandbox

IMPLICIT = {"HEAD", "OPTIONS"}


@pytest.fixture
def sandbox(tmp_path):
    return make_sandbox(tmp_path)


def openapi_path(rule: str) -> str:
    """/users/<int:user_id> -> /users/{user_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_path_translation():
    assert openapi_path("/users/<int:user_id>") == "/users/{user_id}"
    assert openapi_path("/anything/<path:anything>") == "/anything/{anything}"
    assert openapi_path("/basic-auth/<user>/<passwd>") == "/basic-auth/{user}/{passwd}"


def test_every_route_and_method_is_documented(sandbox):
    paths = document("/sandbox")["paths"]
    routes: dict[str, set[str]] = {}
    for rule in sandbox.url_map.iter_rules():
        routes.setdefault(openapi_path(rule.rule), set()).update(rule.methods - IMPLICIT)
    assert set(routes) == set(paths)
    for path, methods in routes.items():
        assert {m.lower() for m in methods} == set(paths[path]), path


def test_the_document_is_structurally_sound(sandbox):
    with client_for(sandbox) as http:
        response = http.get("/openapi.json")
    doc = response.json()
    assert response.status_code == 200
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["servers"] == [{"url": "/sandbox"}]
    assert {"User", "Problem"} <= set(doc["components"]["schemas"])
    for path, operations in doc["paths"].items():
        assert path.startswith("/")
        declared = set(re.findall(r"{([^}]+)}", path))
        for method, operation in operations.items():
            assert method in {"get", "post", "put", "patch", "delete", "trace"}
            assert operation["summary"] and operation["responses"], (path, method)
            params = [resolve(doc, p) for p in operation.get("parameters", [])]
            in_path = {p["name"] for p in params if p["in"] == "path"}
            assert in_path == declared, (path, method)
            for param in params:
                assert {"name", "in", "schema"} <= set(param)
                assert param["in"] in {"path", "query", "header"}
            for code, answer in operation["responses"].items():
                assert re.fullmatch(r"[1-5](\d\d|XX)|default", code), (path, code)
                assert "description" in resolve(doc, answer)
            if "requestBody" in operation:
                assert "content" in operation["requestBody"]
    assert_refs_resolve(doc, doc)


def resolve(doc: dict, node: dict) -> dict:
    if "$ref" not in node:
        return node
    target = doc
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return target


def assert_refs_resolve(doc, node):
    if isinstance(node, dict):
        if "$ref" in node:
            assert node["$ref"].startswith("#/components/")
            resolve(doc, node)
        for value in node.values():
            assert_refs_resolve(doc, value)
    elif isinstance(node, list):
        for value in node:
            assert_refs_resolve(doc, value)


def test_index_links_resolve(sandbox):
    with client_for(sandbox) as http:
        response = http.get("/", headers={"Accept": "application/json"})
        assert "Accept" in response.headers["Vary"]
        index = response.json()
        assert index["openapi"] == "/sandbox/openapi.json"
        for link in index["try_first"]:
            assert http.get(link.removeprefix("/sandbox")).status_code in (200, 418)


@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_a_browser_gets_an_html_index_of_every_endpoint(sandbox, accept):
    with client_for(sandbox) as http:
        response = http.get("/", headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["Vary"]
    for path in document("/sandbox")["paths"]:
        assert f"<code>/sandbox{path}</code>" in response.text.replace("&#34;", '"')
    assert '<a href="/sandbox/gzip">' in response.text  # paths without parameters link


def test_the_document_lists_the_deliberate_differences_from_httpbin(sandbox):
    with client_for(sandbox) as http:
        listed = http.get("/openapi.json").json()["info"]["x-httpbin-differences"]
    assert {"title", "reason"} == set(listed[0])
    assert any(item["title"] == "ETags are quoted" for item in listed)
