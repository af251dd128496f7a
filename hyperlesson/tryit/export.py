"""The learner's request as code to run elsewhere: curl, Python requests, Python httpx.

Each snippet targets this server's public sandbox URL and carries the learner's
X-Sandbox-Key, so it reads and writes the same data as the panel. Every value is quoted
for its language (shlex.quote for the shell; Python string literals that survive any
text), so a hostile header value or body is data, never code.

Like the panel, the snippets do not follow redirects unless follow_redirects=True.
"""

from __future__ import annotations

import json
import math
import shlex

from .body import is_json_type
from .request import TryRequest, fold_headers

MAX_JSON_DEPTH = 20  # deeper JSON is passed as a string: Python's parser nests ~200 deep
INDENT = "    "
# httpx's shortcut functions that accept a body; the others go through httpx.request().
HTTPX_BODY_FUNCTIONS = ("post", "put", "patch")


def _url(request: TryRequest, base_url: str) -> str:
    return base_url.rstrip("/") + request.path


def as_curl(request: TryRequest, *, base_url: str, sandbox_key: str,
            follow_redirects: bool = False) -> str:
    """One line of bash: `curl -i [...] URL`."""
    url = _url(request, base_url)
    args = ["curl", "-i"]
    if any(char in url for char in "[]{}"):
        args.append("--globoff")  # curl would read [1-3] and {a,b} as URL patterns
    if follow_redirects:
        args.append("-L")
    if request.method == "HEAD":
        args.append("--head")
    elif (request.method, bool(request.body)) not in (("GET", False), ("POST", True)):
        args += ["-X", request.method]  # curl's default is GET, or POST with --data-raw
    for name, value in [*request.headers, ("X-Sandbox-Key", sandbox_key)]:
        # "Name:" would remove the header in curl; "Name;" sends it with an empty value.
        args += ["-H", f"{name}: {value}" if value else f"{name};"]
    if request.body:
        if request.header("Content-Type") is None:
            args += ["-H", "Content-Type:"]  # curl would add a form Content-Type; the panel not
        args += ["--data-raw", request.body]
    args.append(url)
    return " ".join(shlex.quote(arg) for arg in args)


def py_str(text: str) -> str:
    """A double-quoted Python string literal for any text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(text)  # \udXXX escapes for lone surrogates
    return json.dumps(text, ensure_ascii=False)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    return 0


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate keys would be lost in a dict")
    return dict(pairs)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} has no JSON literal")


def json_body(request: TryRequest) -> object | None:
    """The body as a Python value for json=, or None to send it as a string instead."""
    content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    if not request.body or not is_json_type(content_type):
        return None
    try:
        value = json.loads(request.body, object_pairs_hook=_reject_duplicates,
                           parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if _depth(value) > MAX_JSON_DEPTH or not _all_finite(value):
        return None
    return value


def _all_finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)  # 1e999 parses to inf, which has no literal
    if isinstance(value, dict):
        return all(_all_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_all_finite(item) for item in value)
    return True


def py_value(value: object, level: int = 1) -> str:
    """A Python literal for a parsed JSON value, on one line when short, else indented."""
    if isinstance(value, str):
        return py_str(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, dict):
        items = [f"{py_str(key)}: {py_value(item, level + 1)}" for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        items = [py_value(item, level + 1) for item in value]  # type: ignore[attr-defined]
        opening, closing = "[", "]"
    flat = f"{opening}{', '.join(items)}{closing}"
    if len(INDENT * level) + len(flat) <= 88 and "\n" not in flat:
        return flat
    inner = INDENT * (level + 1)
    lines = "".join(f"{inner}{item},\n" for item in items)
    return f"{opening}\n{lines}{INDENT * level}{closing}"


def _python(library: str, function: str, request: TryRequest, *, base_url: str,
            sandbox_key: str, headers: list[tuple[str, str]], body_keyword: str,
            redirects: str, reason: str) -> str:
    arguments = [py_str(request.method)] if function == "request" else []
    arguments += [py_str(_url(request, base_url)),
                  f"headers={py_value(dict([*headers, ('X-Sandbox-Key', sandbox_key)]))}"]
    value = json_body(request)
    if value is not None:
        arguments.append(f"json={py_value(value)}")
    elif request.body:
        # requests sends a str body as Latin-1; the panel sends UTF-8 bytes.
        encode = ".encode()" if library == "requests" and not request.body.isascii() else ""
        arguments.append(f"{body_keyword}={py_str(request.body)}{encode}")
    arguments.append(redirects)
    lines = "".join(f"{INDENT}{argument},\n" for argument in arguments)
    return (f"import {library}\n\n"
            f"response = {library}.{function}(\n{lines})\n"
            f"print(response.status_code, response.{reason})\n"
            "print(response.text)\n")


def as_requests(request: TryRequest, *, base_url: str, sandbox_key: str,
                follow_redirects: bool = False) -> str:
    """Python with requests. requests cannot repeat a header, so repeated ones are
    joined the way the panel sends them."""
    return _python("requests", request.method.lower(), request, base_url=base_url,
                   sandbox_key=sandbox_key, headers=fold_headers(request.headers),
                   body_keyword="data", redirects=f"allow_redirects={follow_redirects}",
                   reason="reason")


def as_httpx(request: TryRequest, *, base_url: str, sandbox_key: str,
             follow_redirects: bool = False) -> str:
    """Python with httpx; GET, HEAD, DELETE and OPTIONS with a body use httpx.request()."""
    function = request.method.lower()
    if request.body and function not in HTTPX_BODY_FUNCTIONS:
        function = "request"
    return _python("httpx", function, request, base_url=base_url, sandbox_key=sandbox_key,
                   headers=fold_headers(request.headers), body_keyword="content",
                   redirects=f"follow_redirects={follow_redirects}", reason="reason_phrase")
