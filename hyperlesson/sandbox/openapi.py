"""/openapi.json: an OpenAPI 3.1 description of every sandbox endpoint.

The document is a plain dict built by document(); a test checks that every route in
the app's url_map appears in it with its methods, so the two cannot drift apart.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import openapi_paths as p
from .httpbin_differences import as_openapi

bp = Blueprint("openapi", __name__)


def _components() -> dict:
    text = {"type": "string"}
    name = {"type": "string", "minLength": 1, "maxLength": 100}
    email = {"type": "string", "pattern": ".+@.+", "maxLength": 254}
    return {
        "schemas": {
            "User": {"type": "object", "required": ["id", "name", "email"],
                     "properties": {"id": {"type": "integer"}, "name": name, "email": email}},
            "UserInput": {"type": "object", "required": ["name", "email"],
                          "additionalProperties": False,
                          "properties": {"name": name, "email": email,
                                         "id": {"type": "integer"}}},
            "UserPatch": {"type": "object", "additionalProperties": False,
                          "properties": {"name": name, "email": email,
                                         "id": {"type": "integer"}}},
            "Problem": {"type": "object", "required": ["type", "title", "status"],
                        "properties": {"type": text, "title": text,
                                       "status": {"type": "integer"}, "detail": text,
                                       "errors": {"type": "array", "items": {
                                           "type": "object", "properties": {
                                               "field": text, "message": text}}}}},
            "Echo": {"type": "object", "required": ["args", "headers", "origin", "url"],
                     "properties": {"args": {"type": "object"}, "data": text,
                                    "files": {"type": "object"}, "form": {"type": "object"},
                                    "headers": {"type": "object"}, "json": {},
                                    "method": text, "origin": text, "url": text}},
        },
        "responses": {"Problem": {"description": "A problem (RFC 9457)", "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
        "parameters": {"SandboxKey": p.in_header(
            "X-Sandbox-Key", "Your own copy of the data: 1-64 of A-Z a-z 0-9 _ -; "
                             "without it, the shared 'public' data")},
    }


def document(server_url: str) -> dict:
    """The whole OpenAPI 3.1 document, with the sandbox's mount path as its server."""
    paths = {
        "/": {"get": p.op("This index: HTML, or JSON for Accept: application/json", "meta",
                          {"200": {"description": "Links", "content": {
                              "text/html": {}, "application/json": {}}}})},
        "/openapi.json": {"get": p.op("This document", "meta", {"200": p.as_json("OpenAPI")})},
        **p.echo_paths(), **p.status_paths(), **p.state_paths(), **p.format_paths(),
        **p.httpbin_paths(), **p.user_paths(),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hyperlesson sandbox API", "version": "1.0.0",
                 "description": "httpbin's endpoints (as httpbin 0.10.4 answers them, apart "
                                "from x-httpbin-differences) and a /users resource to "
                                "practise HTTP on. Errors are application/problem+json. "
                                "Caps: bodies 64 KB, 10 redirects, 3 s of delay or drip, "
                                "102400 bytes, 100 stream lines, 200 links.",
                 "x-httpbin-differences": as_openapi()},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": _components(),
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document(request.script_root or "/"))

