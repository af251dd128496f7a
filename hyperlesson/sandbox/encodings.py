"""Compressed answers (/gzip, /deflate, /brotli) and a UTF-8 text (/encoding/utf8).

The compressed ones are compressed whatever the request's Accept-Encoding says, as
httpbin's are: the point is to see Content-Encoding and a client that decodes it.
"""

from __future__ import annotations

import gzip as gzip_format
import zlib
from collections.abc import Callable

import brotli as brotli_format
from flask import Blueprint, Response, jsonify, request

from .echo import origin, shown_headers

bp = Blueprint("encodings", __name__)

UTF8_SAMPLE = """UTF-8 in a few scripts, sent as text/html; charset=utf-8

English      The quick brown fox jumps over the lazy dog.
Français     Où est la gare ? Voilà : à côté du musée.
Deutsch      Größe, Übung, Straße.
Ελληνικά     Καλημέρα κόσμε.
Русский      Привет, мир.
日本語        こんにちは、世界。
中文          你好，世界。
한국어        안녕하세요, 세계.
العربية      مرحبا بالعالم.
עברית        שלום עולם.
हिन्दी         नमस्ते दुनिया।
Symbols      € £ ¥ ₹ → ← ∑ ∞ ≠ ≤ ≥ ✓ ✗ ★
Emoji        🙂 🚀 🌍 📦 (four bytes each in UTF-8)
"""


def _compressed(compress: Callable[[bytes], bytes], coding: str, flag: str) -> Response:
    """httpbin's body (origin, headers, method and a flag), compressed."""
    response = jsonify({"origin": origin(), "headers": shown_headers(),
                        "method": request.method, flag: True})
    response.set_data(compress(response.get_data()))
    response.headers["Content-Encoding"] = coding
    return response


@bp.get("/gzip")
def gzip():
    return _compressed(lambda data: gzip_format.compress(data, 4), "gzip", "gzipped")


@bp.get("/deflate")
def deflate():
    return _compressed(zlib.compress, "deflate", "deflated")


@bp.get("/brotli")
def brotli():
    return _compressed(brotli_format.compress, "br", "brotli")


@bp.get("/encoding/utf8")
def utf8():
    return Response(UTF8_SAMPLE, mimetype="text/html")
