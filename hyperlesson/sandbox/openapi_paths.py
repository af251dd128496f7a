"""The paths of the sandbox's OpenAPI document, one builder per endpoint family.

Small helpers (op, in_path, in_query) keep each operation to a line or two; openapi.py
assembles the document and serves it.
"""

from __future__ import annotations

from typing import Any

ALL = ("get", "post", "put", "patch", "delete")
PROBLEM = {"$ref": "#/components/responses/Problem"}
ECHO = {"description": "The request, echoed", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Echo"}}}}


def in_path(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string"}}


def in_query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def in_header(name: str, description: str) -> dict:
    return {"name": name, "in": "header", "required": False, "description": description,
            "schema": {"type": "string"}}


def op(summary: str, tag: str, responses: dict, *, params: list | None = None,
        body: dict | None = None) -> dict:
    operation: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": responses}
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = body
    return operation


def as_json(description: str, schema: dict | None = None) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def echo_paths() -> dict:
    paths: dict[str, dict] = {"/get": {"get": op("Echo a GET", "echo", {"200": ECHO})}}
    for method in ALL[1:]:
        paths[f"/{method}"] = {method: op(f"Echo a {method.upper()} with its body", "echo",
                                           {"200": ECHO, "405": PROBLEM, "413": PROBLEM})}
    anything = {m: op("Echo any method", "echo", {"200": ECHO}) for m in ALL}
    paths["/anything"] = anything
    paths["/anything/{anything}"] = {m: {**o, "parameters": [in_path("anything", "Any path")]}
                                     for m, o in anything.items()}
    paths["/headers"] = {"get": op("The request headers", "echo", {"200": as_json("headers")})}
    paths["/user-agent"] = {"get": op("The User-Agent", "echo", {"200": as_json("user-agent")})}
    paths["/ip"] = {"get": op("The caller's address", "echo", {"200": as_json("origin")})}
    headers = op("Each query pair becomes a response header", "echo",
                  {"200": as_json("The headers set"), "400": PROBLEM},
                  params=[in_query("Name", "Any header name, with its value")])
    paths["/response-headers"] = {"get": headers, "post": headers}
    return paths


def status_paths() -> dict:
    n = in_path("n", "Number of redirects, 1 to 10", {"type": "integer", "minimum": 1,
                                                     "maximum": 10})
    hop = {"302": {"description": "Redirect to the next hop, finally /get"}, "400": PROBLEM}
    codes = in_path("codes", "A code 100-599, or a list like 200,500 or 200:0.9,500:0.1")
    return {
        "/status/{codes}": {m: op("Answer with that status", "status",
                                   {"default": {"description": "The status asked for"},
                                    "400": PROBLEM}, params=[codes]) for m in ALL},
        "/redirect/{n}": {"get": op("Redirect n times", "redirects", hop, params=[
            n, in_query("absolute", "true for absolute URLs")])},
        "/relative-redirect/{n}": {"get": op("Redirect n times with paths", "redirects",
                                              hop, params=[n])},
        "/absolute-redirect/{n}": {"get": op("Redirect n times with full URLs",
                                              "redirects", hop, params=[n])},
        "/redirect-to": {m: op("Redirect to a sandbox path", "redirects",
                                {"3XX": {"description": "Redirect"}, "400": PROBLEM},
                                params=[in_query("url", "A path under the sandbox"),
                                        in_query("status_code", "300-399, default 302",
                                               {"type": "integer"})]) for m in ALL},
    }


def state_paths() -> dict:
    cookies = {"302": {"description": "Redirect to /cookies"}, "400": PROBLEM}
    tag = in_path("etag", "Any ETag value")
    conditional = {"200": ECHO, "304": {"description": "Not Modified"}}
    return {
        "/cookies": {"get": op("The request's cookies", "cookies", {"200": as_json("cookies")})},
        "/cookies/set": {"get": op("Set ?name=value cookies", "cookies", cookies)},
        "/cookies/set/{name}/{value}": {"get": op("Set one cookie", "cookies", cookies,
            params=[in_path("name", "Cookie name"), in_path("value", "Cookie value")])},
        "/cookies/delete": {"get": op("Expire ?name cookies", "cookies", cookies)},
        "/etag/{etag}": {"get": op("Conditional GET on a given ETag", "caching",
            {**conditional, "412": PROBLEM}, params=[
                tag, in_header("If-None-Match", "304 when it matches"),
                in_header("If-Match", "412 when it does not match")])},
        "/cache": {"get": op("304 when the request is conditional", "caching", conditional,
            params=[in_header("If-Modified-Since", "Any date"),
                    in_header("If-None-Match", "Any ETag")])},
        "/cache/{n}": {"get": op("Cache-Control: public, max-age=n", "caching",
            {"200": ECHO, "400": PROBLEM}, params=[in_path("n", "Seconds",
                                                          {"type": "integer"})])},
        "/basic-auth/{user}/{passwd}": {"get": op("HTTP Basic authentication", "auth",
            {"200": as_json("authenticated, user"), "401": PROBLEM},
            params=[in_path("user", "Expected user"), in_path("passwd", "Expected password")])},
        "/bearer": {"get": op("Bearer token authentication", "auth",
                               {"200": as_json("authenticated, token"), "401": PROBLEM})},
    }


def format_paths() -> dict:
    def sample(kind: str, mimetype: str) -> dict:
        return {"get": op(f"A sample {kind} document", "formats", {"200": {
            "description": kind, "content": {mimetype: {}}}})}

    return {
        "/json": sample("JSON", "application/json"),
        "/html": sample("HTML", "text/html"),
        "/xml": sample("XML", "application/xml"),
        "/uuid": {"get": op("A random UUID", "formats", {"200": as_json("uuid")})},
        "/bytes/{n}": {"get": op("n random bytes (at most 102400)", "formats", {
            "200": {"description": "Bytes", "content": {"application/octet-stream": {}}},
            "400": PROBLEM}, params=[in_path("n", "Count", {"type": "integer"}),
                                     in_query("seed", "Repeatable output")])},
        "/delay/{n}": {m: op("Wait n seconds (at most 3), then echo", "formats",
                              {"200": ECHO, "400": PROBLEM},
                              params=[in_path("n", "Seconds", {"type": "number"})])
                       for m in ALL},
    }


def user_paths() -> dict:
    key = {"$ref": "#/components/parameters/SandboxKey"}
    user_id = in_path("user_id", "The user's id", {"type": "integer", "minimum": 1})
    user = {"description": "The user", "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}
    created = {**user, "description": "Created; Location names the new user"}
    listing = as_json("The users", {"type": "array",
                                  "items": {"$ref": "#/components/schemas/User"}})
    body = {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/UserInput"}}}}
    patch = {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/UserPatch"}}}}
    invalid = {"400": PROBLEM, "413": PROBLEM, "415": PROBLEM, "422": PROBLEM}
    conditional = [in_header("If-Match", "412 unless it names the current ETag")]
    return {
        "/users": {
            "get": op("List your users", "users", {"200": listing, "400": PROBLEM}, params=[
                key, in_query("limit", "1 to 100", {"type": "integer"}),
                in_query("sort", "id, name or email; '-' in front descends")]),
            "post": op("Create a user", "users", {"201": created, "409": PROBLEM, **invalid},
                        params=[key], body=body),
        },
        "/users/reset": {"post": op("Restore the sample users", "users",
                                     {"200": listing}, params=[key])},
        "/users/{user_id}": {
            "get": op("Read a user", "users",
                       {"200": user, "304": {"description": "Not Modified"}, "404": PROBLEM},
                       params=[key, user_id, in_header("If-None-Match", "304 when it matches")]),
            "put": op("Replace a user, or create it at this id", "users",
                       {"200": user, "201": created, "409": PROBLEM, "412": PROBLEM,
                        **invalid}, params=[key, user_id, *conditional], body=body),
            "patch": op("Change some fields", "users", {"200": user, "404": PROBLEM,
                         "412": PROBLEM, **invalid}, params=[key, user_id, *conditional],
                         body=patch),
            "delete": op("Delete a user", "users",
                          {"204": {"description": "Deleted"}, "404": PROBLEM,
                           "412": PROBLEM}, params=[key, user_id, *conditional]),
        },
    }
