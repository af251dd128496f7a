"""The paths of the sandbox's OpenAPI document, one builder per endpoint family.

Small helpers (op, in_path, in_query) keep each operation to a line or two; openapi.py
assembles the document and serves it.
"""

from __future__ import annotations

from typing import Any

ALL = ("get", "post", "put", "patch", "delete")
ANY = (*ALL, "trace")  # /anything, /status, /redirect-to and /delay, as in httpbin
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
    anything = {m: op("Echo any method", "echo", {"200": ECHO}) for m in ANY}
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
                                    "400": PROBLEM}, params=[codes]) for m in ANY},
        "/redirect/{n}": {"get": op("Redirect n times", "redirects", hop, params=[
            n, in_query("absolute", "true for absolute URLs")])},
        "/relative-redirect/{n}": {"get": op("Redirect n times with paths", "redirects",
                                              hop, params=[n])},
        "/absolute-redirect/{n}": {"get": op("Redirect n times with full URLs",
                                              "redirects", hop, params=[n])},
        "/redirect-to": {m: op("Redirect to a sandbox path", "redirects",
                                {"3XX": {"description": "Redirect"}, "400": PROBLEM},
                                params=[in_query("url", "A path under the sandbox"),
                                        in_query("status_code", "300-399; else 302",
                                               {"type": "integer"})]) for m in ANY},
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
        "/bytes/{n}": {"get": op("n random bytes (cut to 102400)", "formats", {
            "200": {"description": "Bytes", "content": {"application/octet-stream": {}}},
            "400": PROBLEM}, params=[in_path("n", "Count", {"type": "integer"}),
                                     in_query("seed", "Repeatable output")])},
        "/delay/{n}": {m: op("Wait n seconds (at most 3), then echo", "formats",
                              {"200": ECHO, "400": PROBLEM},
                              params=[in_path("n", "Seconds", {"type": "number"})])
                       for m in ANY},
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


def _get(summary: str, tag: str, responses: dict, **extra) -> dict:
    return {"get": op(summary, tag, responses, **extra)}


def _content(description: str, *mimetypes: str) -> dict:
    return {"description": description, "content": {m: {} for m in mimetypes}}


def httpbin_paths() -> dict:
    """The rest of httpbin: encodings, streams, ranges, images, digest, pages."""
    n = in_path("n", "A count", {"type": "integer", "minimum": 0})
    seconds = {"type": "number", "minimum": 0}
    octets = _content("Bytes", "application/octet-stream")
    credentials = [in_path("user", "Expected user"), in_path("passwd", "Expected password")]
    digest = [in_path("qop", "auth or auth-int (else both are offered)"), *credentials]
    algorithm = in_path("algorithm", "MD5 (default), SHA-256 or SHA-512")
    stale = in_path("stale_after", "Logins before the nonce is called stale, or never")
    digest_answers = {"200": as_json("authenticated, user"), "401": PROBLEM, "403": PROBLEM}
    picture = {"200": _content("The picture", "image/png", "image/jpeg", "image/webp",
                               "image/svg+xml"), "406": PROBLEM}
    return {
        "/gzip": _get("The echo, gzip-compressed", "encodings", {"200": as_json("gzipped")}),
        "/deflate": _get("The echo, deflate-compressed", "encodings",
                         {"200": as_json("deflated")}),
        "/brotli": _get("The echo, brotli-compressed", "encodings", {"200": as_json("brotli")}),
        "/encoding/utf8": _get("A UTF-8 text in many scripts", "encodings",
                               {"200": _content("Text", "text/html")}),
        "/stream/{n}": _get("n JSON lines (at most 100)", "streams",
                            {"200": as_json("One echo per line, with id")}, params=[n]),
        "/stream-bytes/{n}": _get("n random bytes in chunks (at most 102400)", "streams",
                                  {"200": octets, "400": PROBLEM}, params=[
                                      n, in_query("seed", "Repeatable output"),
                                      in_query("chunk_size", "Bytes per chunk (10240)")]),
        "/range/{numbytes}": _get("n bytes (1-102400) that honour Range", "streams", {
            "200": octets, "206": octets, "404": PROBLEM, "416": PROBLEM}, params=[
                in_path("numbytes", "How many bytes", {"type": "integer"}),
                in_header("Range", "bytes=a-b, bytes=a- or bytes=-n"),
                in_query("duration", "Seconds to spread it over (at most 3)")]),
        "/drip": _get("Bytes over time (at most 102400, 3 s in all)", "streams", {
            "default": octets, "400": PROBLEM}, params=[
                in_query("numbytes", "How many (10)", {"type": "integer"}),
                in_query("duration", "Seconds to spread them over (2)", seconds),
                in_query("delay", "Seconds before the first (0)", seconds),
                in_query("code", "The status, 100-599 (200)", {"type": "integer"})]),
        "/image": _get("A picture in the first type Accept names", "images", picture,
                       params=[in_header("Accept", "image/webp, image/svg+xml, image/jpeg, "
                                                   "image/png or image/*")]),
        **{f"/image/{kind}": _get(f"A {kind.upper()} picture", "images", {"200": _content(
            "The picture", mimetype)}) for kind, mimetype in (
                ("png", "image/png"), ("jpeg", "image/jpeg"), ("webp", "image/webp"),
                ("svg", "image/svg+xml"))},
        "/hidden-basic-auth/{user}/{passwd}": _get(
            "HTTP Basic authentication that answers 404, not 401", "auth",
            {"200": as_json("authenticated, user"), "404": PROBLEM}, params=credentials),
        "/digest-auth/{qop}/{user}/{passwd}": _get(
            "HTTP Digest authentication (RFC 7616), MD5", "auth", digest_answers,
            params=digest),
        "/digest-auth/{qop}/{user}/{passwd}/{algorithm}": _get(
            "HTTP Digest authentication with an algorithm", "auth", digest_answers,
            params=[*digest, algorithm]),
        "/digest-auth/{qop}/{user}/{passwd}/{algorithm}/{stale_after}": _get(
            "HTTP Digest authentication whose nonce goes stale", "auth", digest_answers,
            params=[*digest, algorithm, stale]),
        "/base64/{value}": _get("URL-safe base64 decoded", "formats",
                                {"200": _content("The text", "text/html")},
                                params=[in_path("value", "URL-safe base64 of UTF-8 text")]),
        "/links/{n}": _get("Redirect to the first page of n links", "pages",
                           {"302": {"description": "To /links/{n}/0"}}, params=[n]),
        "/links/{n}/{offset}": _get("A page of n links (at most 200)", "pages",
                                    {"200": _content("HTML", "text/html")}, params=[
                                        n, in_path("offset", "The page shown as text",
                                                   {"type": "integer"})]),
        "/forms/post": _get("An HTML form that posts to /post", "pages",
                            {"200": _content("HTML", "text/html")}),
        "/robots.txt": _get("Rules for robots", "pages", {"200": _content("Text",
                                                                          "text/plain")}),
        "/deny": _get("What robots.txt denies", "pages", {"200": _content("Text",
                                                                          "text/plain")}),
    }
