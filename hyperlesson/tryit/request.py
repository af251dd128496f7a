"""What a learner may send from the try-it panel, checked before anything is sent.

The learner gives a method, a path, header rows and a body; never a scheme, host or
port: every request goes in-process to this server's sandbox. validate() returns a
TryRequest or raises TryItError with a sentence the panel shows next to the field.
Any other exception from validate() is a bug.

Decisions: a body is allowed on GET, DELETE and OPTIONS (the learner may want to see
what a server does with one) but not on HEAD, which no client tool can send with a
body (curl refuses -I with --data). "." and ".." segments are refused, raw or
percent-encoded: clients resolve them before sending, so the path shown would not be
the path sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
MAX_HEADERS = 30
MAX_HEADER_BYTES = 8 * 1024
# All header lines together: what common servers accept (nginx and Node.js allow 8 to
# 16 KB), and what keeps the panel's largest form under the app's MAX_CONTENT_LENGTH.
MAX_ALL_HEADERS_BYTES = 16 * 1024
MAX_BODY_BYTES = 64 * 1024
MAX_PATH_LENGTH = 2048
SERVER_SET_HEADERS = ("host", "content-length", "connection", "transfer-encoding",
                      "x-sandbox-key")
SANDBOX_PREFIX = "/sandbox/"
NO_BODY_METHODS = ("HEAD",)

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token
HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")  # printable ASCII and tab
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class TryItError(ValueError):
    """A request the panel will not send; `message` is for the learner."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass(frozen=True)
class TryRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def validate(method: str, path: str, headers: Iterable[tuple[str, str]],
             body: str) -> TryRequest:
    checked_method = check_method(method)
    checked_body = check_body(body, checked_method)
    return TryRequest(checked_method, check_path(path), check_headers(headers), checked_body)


def check_method(method: str) -> str:
    name = method.strip().upper()
    if not name:
        raise TryItError("Choose a method, such as GET or POST.", field="method")
    if not method.isascii() or name not in METHODS:
        raise TryItError(f"The panel sends {', '.join(METHODS)}; {_show(method)} is not one "
                         "of them.", field="method")
    return name


def _show(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _bad_character(text: str) -> str | None:
    """A description of the first character a path must not contain, or None."""
    for char in text:
        category = unicodedata.category(char)
        if char == "\\":
            return ("a backslash (\\): URLs separate segments with /, and some clients "
                    "turn \\ into /")
        if category == "Cc":
            return f"a control character (U+{ord(char):04X}), such as a line break or tab"
        if category[0] == "Z":
            return "a space: write it as %20 (or + in the query)"
        if category[0] == "C":
            return f"an invisible or unassigned character (U+{ord(char):04X})"
        if char == "#":
            return ("a # fragment: the part after # stays in the browser and is never "
                    "sent to the server")
    return None


def check_path(path: str) -> str:
    """The path to send, under /sandbox/; a bare "/sandbox" becomes "/sandbox/"."""
    text = path.strip()
    if not text:
        raise TryItError("Enter a path that starts with /sandbox/, such as /sandbox/get.",
                         field="path")
    if SCHEME.match(text):
        raise TryItError("Enter only the path, such as /sandbox/get: the panel always sends "
                         "to this server's sandbox, so a scheme and host (http://…) are not "
                         "needed or allowed.", field="path")
    if text.startswith(("//", "\\")) or text.startswith("/\\"):
        raise TryItError("A path starting with // (or a backslash) names another host; "
                         "start with /sandbox/ instead.", field="path")
    if len(text) > MAX_PATH_LENGTH:
        raise TryItError(f"The path is {len(text)} characters long; the panel sends at most "
                         f"{MAX_PATH_LENGTH}.", field="path")
    bad = _bad_character(text)
    if bad:
        raise TryItError(f"The path contains {bad}.", field="path")
    if text == "/sandbox" or text.startswith("/sandbox?"):
        text = SANDBOX_PREFIX + text[len("/sandbox"):]
    if not text.startswith(SANDBOX_PREFIX):
        raise TryItError("The path must start with /sandbox/ (for example /sandbox/get): "
                         "the panel only talks to the sandbox API.", field="path")
    if len(text) > MAX_PATH_LENGTH:
        raise TryItError(f"The path is longer than {MAX_PATH_LENGTH} characters.",
                         field="path")
    route = text.partition("?")[0]
    dots = [segment for segment in unquote(route).split("/") if segment in (".", "..")]
    if dots:
        encoded = "" if dots[0] in route.split("/") else ", percent-encoded"
        raise TryItError(f"The path contains a {dots[0]!r} segment{encoded}. Clients resolve "
                         "'.' and '..' before sending, so the request would not go to the "
                         "path you see; write the path out in full.", field="path")
    return text


def _header_line(name: str, value: str) -> tuple[str, str] | None:
    key, text = name.strip(), value.strip()
    if not key and not text:
        return None  # a blank row of the form
    if not key:
        raise TryItError(f"A header has the value {_show(text)} but no name.", field="headers")
    if not TOKEN.fullmatch(key):
        raise TryItError(f"{_show(key)} is not a valid header name: use letters, digits and "
                         "!#$%&'*+-.^_`|~ only, no spaces or colon.", field="headers")
    shown = key if len(key) <= 40 else key[:40] + "…"
    if key.lower() in SERVER_SET_HEADERS:
        raise TryItError(f"{key} is set by the server, so you cannot set it here.",
                         field="headers")
    if "_" in key:
        # A WSGI environ (like PHP's $_SERVER) holds X-Foo as HTTP_X_FOO, so X_Foo would
        # pass for X-Foo there, and Content_Length would become CONTENT_LENGTH itself.
        dashed = shown.replace("_", "-")
        after = (f"; but {dashed} is set by the server" if dashed.lower() in SERVER_SET_HEADERS
                 else f": {dashed}")
        raise TryItError(f"{shown} has an underscore (_). Servers in the CGI style (WSGI, "
                         "PHP) turn \"-\" into \"_\", so X_Foo and X-Foo look the same to "
                         "them, and nginx drops such headers by default. Use \"-\" instead"
                         f"{after}.", field="headers")
    if any(char in text for char in "\r\n\x00"):
        raise TryItError(f"The value of {shown} must be on one line (no line breaks).",
                         field="headers")
    if not HEADER_VALUE.fullmatch(text):
        raise TryItError(f"The value of {shown} may only use printable ASCII characters and "
                         "tabs; percent-encode or base64 anything else.", field="headers")
    if len(key) + 2 + len(text) > MAX_HEADER_BYTES:
        raise TryItError(f"The {shown} header is longer than {MAX_HEADER_BYTES // 1024} KB.",
                         field="headers")
    return key, text


def check_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    checked: list[tuple[str, str]] = []
    for name, value in headers:
        line = _header_line(name, value)
        if line is None:
            continue
        if len(checked) == MAX_HEADERS:
            raise TryItError(f"Send at most {MAX_HEADERS} headers.", field="headers")
        checked.append(line)
    if sum(len(name) + 2 + len(value) for name, value in checked) > MAX_ALL_HEADERS_BYTES:
        raise TryItError(f"The headers come to more than {MAX_ALL_HEADERS_BYTES // 1024} KB in "
                         "all, which many servers refuse (431 Request Header Fields Too "
                         "Large); send fewer or shorter ones.", field="headers")
    return tuple(checked)


def check_body(body: str, method: str) -> str:
    too_large = TryItError(f"The body is larger than {MAX_BODY_BYTES // 1024} KB (in UTF-8).",
                           status=413, field="body")
    if len(body) > MAX_BODY_BYTES:  # every character is at least one byte
        raise too_large
    try:
        size = len(body.encode("utf-8"))
    except UnicodeEncodeError:
        raise TryItError("The body contains characters that cannot be sent as UTF-8.",
                         field="body") from None
    if size > MAX_BODY_BYTES:
        raise too_large
    if "\x00" in body:
        raise TryItError("The body contains a NUL character (U+0000), which a text body "
                         "cannot carry.", field="body")
    if body and method in NO_BODY_METHODS:
        raise TryItError("A HEAD request has no body: it asks for the headers a GET would "
                         "get. Use GET or POST to send a body.", field="body")
    return body


def fold_headers(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """Repeated names joined into one line (", ", or "; " for Cookie), at the first one.

    A WSGI environ holds one value per header, so the sandbox would otherwise see only
    the last; a real server joins them the same way (RFC 9110 section 5.3).
    """
    folded: dict[str, tuple[str, list[str]]] = {}
    for name, value in headers:
        folded.setdefault(name.lower(), (name, []))[1].append(value)
    return [(name, ("; " if key == "cookie" else ", ").join(values))
            for key, (name, values) in folded.items()]
