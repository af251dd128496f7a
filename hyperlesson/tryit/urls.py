"""The try-it client's URLs: this server's public origin, a path as it goes on the wire,
and where a redirect's Location leads. Plain urllib.parse: nothing here is fetched.

A path is percent-encoded as browsers do (WHATWG URL: the path and the query
percent-encode sets; non-ASCII as UTF-8; an existing %XX is kept as typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from .request import TryItError, check_path

DEFAULT_PORTS = {"http": 80, "https": 443}
_PRINTABLE = "".join(chr(code) for code in range(0x21, 0x7F))
QUERY_SAFE = "".join(char for char in _PRINTABLE if char not in '"#<>')
PATH_SAFE = "".join(char for char in QUERY_SAFE if char not in "?`{}")


@dataclass(frozen=True)
class Origin:
    """scheme://host[:port], the port None when it is the scheme's default."""

    scheme: str
    host: str  # lower case; an IPv6 address without its brackets
    port: int | None

    @property
    def netloc(self) -> str:
        """The Host header: host, and the port unless it is the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def server_port(self) -> str:
        return str(self.port or DEFAULT_PORTS[self.scheme])

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def _origin_of(parts: SplitResult) -> Origin:
    """The origin of a split URL; ValueError for a port that is no port."""
    port = parts.port
    return Origin(parts.scheme, parts.hostname or "",
                  None if port == DEFAULT_PORTS.get(parts.scheme) else port)


@lru_cache(maxsize=64)  # one server has one or two origins: parse each once
def parse_origin(base_url: str) -> Origin:
    """`base_url` as an Origin; a scheme other than http(s), no host, a path, query,
    fragment or user info is a ValueError."""
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"base_url must be an http(s) origin, not {base_url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"base_url must be an origin only (no path or query): {base_url!r}")
    return _origin_of(parts)


def public_origin(base_url: str) -> str:
    """`base_url` as scheme://host[:port]; a path, query or user info is a ValueError."""
    return str(parse_origin(base_url))


def encode_target(path: str, query: str | None = None) -> str:
    """Path and query as they go on the wire; `query` None: split at the first "?"."""
    if query is None:
        path, mark, query = path.partition("?")
        query = query if mark else None
    encoded = quote(path, safe=PATH_SAFE)
    return encoded if query is None else f"{encoded}?{quote(query, safe=QUERY_SAFE)}"


def sandbox_target(current_url: str, location: str, origin: Origin) -> str | None:
    """The path (and query) to request next, or None when Location leaves the sandbox:
    another scheme, host or port, an empty host ("//", which urljoin would read as
    this URL), a path the panel would not send, or a control character anywhere
    (which a browser would silently drop)."""
    if any(char.isascii() and not char.isprintable() for char in location):
        return None
    try:
        given = urlsplit(location)
        after_scheme = location.strip(" ")[len(given.scheme) + 1 if given.scheme else 0:]
        if after_scheme.startswith("//") and not given.netloc:
            return None
        resolved = urlsplit(urljoin(current_url, location))
        if _origin_of(resolved) != origin:
            return None
        return check_path(encode_target(resolved.path or "/", resolved.query or None))
    except (TryItError, ValueError):
        return None
