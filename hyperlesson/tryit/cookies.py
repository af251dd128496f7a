"""The try-it panel's cookie jar: what a browser would keep from the sandbox's answers.

A learner's jar holds the cookies the sandbox set (Set-Cookie) and sends them back on
the next requests whose path they match, as a browser does (RFC 6265): Path (given, or
the default path of the request that set it), Max-Age (over Expires), Expires, deletion
by an expiry in the past, the newest value for a name and path. Domain is never
honoured: the jar belongs to one origin, the sandbox, which never sets one. A Secure
cookie is kept only when the sandbox is reached over HTTPS, as browsers do.

Bounded as a browser's jar is, but smaller: MAX_COOKIES, each within MAX_COOKIE_BYTES,
all within MAX_JAR_BYTES; the oldest go first. Pure: times are passed in (seconds
since the epoch), nothing is stored here (records/cookie_jars.py does that).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from http.cookiejar import http2time

from .request import TryRequest, fold_headers

MAX_COOKIES = 20
MAX_COOKIE_BYTES = 1024  # name and value together
MAX_JAR_BYTES = 4096  # all cookies' names, values and paths together
MAX_AGE_SECONDS = 400 * 86400  # browsers cap a cookie's life at 400 days
PRINTABLE = re.compile(r"[\t\x20-\x7e]*")
DIGITS = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    path: str
    expires: float | None = None  # seconds since the epoch; None: until the jar is cleared
    created: float = 0.0

    @property
    def size(self) -> int:
        return len(self.name.encode()) + len(self.value.encode()) + len(self.path.encode())

    def matches(self, path: str) -> bool:
        """RFC 6265 5.1.4 path-match: /sandbox/cookies matches /sandbox and /sandbox/."""
        if path == self.path:
            return True
        if not path.startswith(self.path):
            return False
        return self.path.endswith("/") or path[len(self.path)] == "/"

    def expired(self, now: float) -> bool:
        return self.expires is not None and self.expires <= now

    def as_dict(self) -> dict:
        return asdict(self)


def _http_date(text: str) -> float | None:
    """An Expires date as seconds since the epoch; None when unreadable (ignored)."""
    try:
        return http2time(text[:64])
    except (ValueError, OverflowError):
        return None


def default_path(request_path: str) -> str:
    """RFC 6265 5.1.4: the request path up to, not including, its last "/"."""
    path = request_path.split("?", 1)[0]
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[:path.rindex("/")]


def parse_set_cookie(line: str, request_path: str, now: float,
                     secure_origin: bool) -> Cookie | None:
    """One Set-Cookie line as RFC 6265 5.2 reads it; None when a browser would ignore
    it. A cookie whose expiry is already past is returned (it deletes its namesake)."""
    if not PRINTABLE.fullmatch(line):
        return None  # browsers drop a line with control characters; the wire is ASCII
    pair, *attributes = line.split(";")
    if "=" not in pair:
        return None
    name, value = (part.strip() for part in pair.split("=", 1))
    if not name or len(name.encode()) + len(value.encode()) > MAX_COOKIE_BYTES:
        return None
    path, max_age, expires, secure = None, None, None, False
    for attribute in attributes:
        key, _, attribute_value = attribute.partition("=")
        key, attribute_value = key.strip().lower(), attribute_value.strip()
        if key == "path" and attribute_value.startswith("/"):
            path = attribute_value
        elif key == "max-age" and DIGITS.fullmatch(attribute_value):
            # A hundred digits are still a number: past 400 days it is capped anyway.
            max_age = int(attribute_value[:12]) if len(attribute_value) <= 12 else (
                -1 if attribute_value.startswith("-") else MAX_AGE_SECONDS)
        elif key == "expires":
            expires = _http_date(attribute_value)
        elif key == "secure":
            secure = True
    if secure and not secure_origin:
        return None
    if max_age is not None:  # Max-Age wins over Expires
        expires = now + min(max_age, MAX_AGE_SECONDS) if max_age > 0 else now - 1
    elif expires is not None:
        expires = min(float(expires), now + MAX_AGE_SECONDS)
    return Cookie(name, value, path or default_path(request_path), expires, now)


class CookieJar:
    """A learner's cookies for the sandbox, in the order they were first set."""

    def __init__(self, cookies: list[Cookie] | tuple[Cookie, ...] = ()):
        self._cookies = list(cookies)

    @classmethod
    def from_dicts(cls, rows: list[dict]) -> CookieJar:
        return cls([Cookie(**row) for row in rows])

    def as_dicts(self) -> list[dict]:
        return [cookie.as_dict() for cookie in self._cookies]

    def live(self, now: float) -> list[Cookie]:
        """The cookies not yet expired, as the panel lists them."""
        return [cookie for cookie in self._cookies if not cookie.expired(now)]

    def header_for(self, path: str, now: float) -> str:
        """The Cookie header for a request to `path` ("" for none): longer paths first,
        then older cookies first (RFC 6265 5.4)."""
        path = path.split("?", 1)[0]
        chosen = [cookie for cookie in self.live(now) if cookie.matches(path)]
        chosen.sort(key=lambda cookie: (-len(cookie.path), cookie.created))
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in chosen)

    def receive(self, set_cookie_lines: list[str], request_path: str, now: float,
                secure_origin: bool = False) -> None:
        """Store what a response's Set-Cookie lines say, as a browser would."""
        for line in set_cookie_lines:
            cookie = parse_set_cookie(line, request_path, now, secure_origin)
            if cookie is not None:
                self._put(cookie, now)

    def _put(self, cookie: Cookie, now: float) -> None:
        place = next((index for index, old in enumerate(self._cookies)
                      if (old.name, old.path) == (cookie.name, cookie.path)), None)
        if place is not None:  # a new value keeps the old one's place in the order
            old = self._cookies[place]
            self._cookies[place] = Cookie(cookie.name, cookie.value, cookie.path,
                                          cookie.expires, old.created)
        else:
            self._cookies.append(cookie)
        self._cookies = self.live(now)  # a deletion (an expiry in the past) goes here
        while (len(self._cookies) > MAX_COOKIES
               or sum(kept.size for kept in self._cookies) > MAX_JAR_BYTES):
            self._cookies.pop(0)  # the oldest goes first

    def __len__(self) -> int:
        return len(self._cookies)


def with_cookie(request: TryRequest, cookie_header: str) -> TryRequest:
    """`request` as the panel sent it: the jar's cookies joined to any Cookie header the
    learner typed. The exported snippets are made from this, so they send the same."""
    if not cookie_header:
        return request
    return replace(request, headers=tuple(fold_headers((*request.headers,
                                                        ("Cookie", cookie_header)))))
