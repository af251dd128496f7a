"""Try-it presets written in lesson prose as a ```tryit block, in HTTP wire form:

    POST /sandbox/users
    Content-Type: application/json

    {"name": "Ada"}
"""

from __future__ import annotations

import re

from ..tryit.request import TryItError, check_headers, validate
from .model import Preset

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SANDBOX_PREFIX = "/sandbox/"
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 token
REFUSED = "the try-it panel would refuse it: "


class PresetError(ValueError):
    def __init__(self, message: str, line_in_block: int = 0):
        super().__init__(message)
        self.line_in_block = line_in_block


def parse_preset(content: str) -> Preset:
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].strip():
        raise PresetError("empty tryit block: write 'METHOD /sandbox/path' on its first line")
    parts = lines[0].split()
    if len(parts) != 2:
        raise PresetError("the first line of a tryit block is 'METHOD /sandbox/path'")
    method, path = parts[0].upper(), parts[1]
    if method not in METHODS:
        raise PresetError(f"unknown method '{parts[0]}' (use one of {', '.join(METHODS)})")
    if not path.startswith(SANDBOX_PREFIX):
        raise PresetError(f"the path must start with {SANDBOX_PREFIX} (got '{path}')")
    headers: list[tuple[str, str]] = []
    index = 1
    while index < len(lines) and lines[index].strip():
        name, colon, value = lines[index].partition(":")
        if not colon or not _TOKEN.match(name.strip()) or name != name.strip():
            raise PresetError(f"expected a header line 'Name: value', got '{lines[index]}'",
                              index)
        try:
            check_headers([(name, value)])
        except TryItError as error:
            raise PresetError(f"{REFUSED}{error.message}", index) from None
        headers.append((name, value.strip()))
        index += 1
    body = "\n".join(lines[index + 1 :]) if index < len(lines) else ""
    try:  # the panel's own rules, so a learner's click on a preset is never refused
        validate(method, path, headers, body)
    except TryItError as error:
        raise PresetError(f"{REFUSED}{error.message}",
                          index + 1 if error.field == "body" else 0) from None
    return Preset(method, path, tuple(headers), body)
