"""How a response body is shown: pretty JSON, text, a note for binary data, or nothing.

Everything here returns plain text that the template escapes; nothing from the sandbox
is ever rendered as HTML.
"""

from __future__ import annotations

import codecs
import json
import re
import zlib

from werkzeug.http import parse_options_header

BODY_DISPLAY_LIMIT = 20_000  # characters of body text shown; the rest is cut with a note
BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
BINARY_TYPES = frozenset({
    "application/octet-stream", "application/pdf", "application/zip", "application/gzip",
    "application/x-gzip", "application/x-tar", "application/wasm", "application/x-7z-compressed",
    "application/vnd.ms-excel", "application/msword", "application/x-protobuf",
})
TEXT_EXCEPTIONS = frozenset({"image/svg+xml"})
MAX_DECODED_BYTES = 1024 * 1024  # a gzip body is unpacked up to this size, no further
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    """`text` with each lone surrogate written as its JSON escape, `\\ud800`.

    JSON may carry one ("\\ud800" decodes to it, and so can UTF-7), but no page can:
    UTF-8 has no encoding for it, so rendering the result would fail every time.
    """
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def is_json_type(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def is_binary_type(mimetype: str) -> bool:
    if mimetype in TEXT_EXCEPTIONS:
        return False
    return mimetype in BINARY_TYPES or mimetype.startswith(BINARY_PREFIXES)


def _codec(charset: str | None) -> str:
    if charset:
        try:
            return codecs.lookup(charset).name
        except LookupError:
            pass
    return "utf-8"


def binary_note(size: int, mimetype: str) -> str:
    unit = "byte" if size == 1 else "bytes"
    return f"({size} {unit} of binary data: {mimetype or 'no Content-Type'})"


def pretty_json(text: str) -> str | None:
    """`text` re-indented by 2 spaces, or None when it is not JSON (or too deep)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return None


def shape_body(content: bytes, content_type: str | None, *,
               empty: bool = False) -> tuple[str, str, bool]:
    """(body_text, body_kind, truncated) for a response body.

    `empty` is for responses that have no body by definition (HEAD, 1xx, 204, 304).
    """
    if empty or not content:
        return "", "empty", False
    mimetype, options = parse_options_header(content_type or "")
    mimetype = mimetype.lower()
    if is_binary_type(mimetype):
        return binary_note(len(content), mimetype), "binary", False
    try:
        text = content.decode(_codec(options.get("charset")))
    except UnicodeDecodeError:
        return binary_note(len(content), mimetype), "binary", False
    if "\x00" in text:
        return binary_note(len(content), mimetype), "binary", False
    kind = "text"
    if is_json_type(mimetype):
        pretty = pretty_json(text)
        if pretty is not None:
            text, kind = pretty, "json"
    text = escape_surrogates(text)
    if len(text) > BODY_DISPLAY_LIMIT:
        return text[:BODY_DISPLAY_LIMIT], kind, True
    return text, kind, False


def decode_content(raw: bytes, content_encoding: str | None) -> tuple[bytes, str]:
    """(body, note): `raw` with its Content-Encoding undone, as a client would.

    A body that is not what its Content-Encoding says (a learner can set that header
    through /response-headers) is kept as received, and `note` says why.
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    data = raw
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding not in ("gzip", "x-gzip", "deflate"):
            return raw, (f"The body is in Content-Encoding {coding}, which the panel does not "
                         "unpack; it is shown as received.")
        try:
            data = _inflate(data, coding)
        except zlib.error:
            return raw, (f"The response says Content-Encoding: {content_encoding}, but the body "
                         "is not in that encoding; it is shown as received.")
    return data, ""


def _inflate(data: bytes, coding: str) -> bytes:
    if coding != "deflate":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, MAX_DECODED_BYTES)
    try:
        return zlib.decompressobj().decompress(data, MAX_DECODED_BYTES)
    except zlib.error:  # raw deflate without the zlib wrapper, as some servers send it
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, MAX_DECODED_BYTES)
