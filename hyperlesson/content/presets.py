"""Try-it presets written in lesson prose as a ```tryit block, in HTTP wire form:

    POST /sandbox/users
    Content-Type: application/json

    {"name": "Ada"}

A `# expect: 201` line before the request line states the status the prose promises
for this request sent alone on fresh sandbox data; it is not sent, and a test checks it.
"""

from __future__ import annotations

import re

from ..tryit.request import TryItError, check_headers, validate
from .model import Preset

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SANDBOX_PREFIX = "/sandbox/"
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 token
REFUSED = "the try-it panel would refuse it: "
_EXPECT = re.compile(r"^#\s*expect:\s*(\d{3})\s*$", re.IGNORECASE)


class PresetError(ValueError):
    def __init__(self, message: str, line_in_block: int = 0):
        super().__init__(message)
        self.line_in_block = line_in_block


def parse_preset(content: str) -> Preset:
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    expect, skipped = _expectation(lines)
    try:
        return _request(lines[skipped:], expect)
    except PresetError as error:
        raise PresetError(str(error), error.line_in_block + skipped) from None


def _expectation(lines: list[str]) -> tuple[int | None, int]:
    """The `# expect: NNN` line at the top of the block, and how many lines it took."""
    if not lines or not lines[0].startswith("#"):
        return None, 0
    match = _EXPECT.match(lines[0])
    if match is None or not 100 <= int(match.group(1)) <= 599:
        raise PresetError("a line before the request line can only be '# expect: NNN', "
                          "the status code from 100 to 599 the prose promises")
    if len(lines) > 1 and lines[1].startswith("#"):
        raise PresetError("write '# expect: NNN' once", 1)
    return int(match.group(1)), 1


def _request(lines: list[str], expect: int | None) -> Preset:
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
    return Preset(method, path, tuple(headers), body, expect)
