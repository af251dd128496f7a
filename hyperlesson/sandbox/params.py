"""Pure parsing of path and query values, each bounded, each failure a 400 problem.

In-process calls ignore timeouts, so every number that costs time or memory (delay,
byte count, redirect hops) has a hard cap here rather than in the views.
"""

from __future__ import annotations

import math
import random
import re
from urllib.parse import unquote, urlsplit

from .responses import ProblemError

MAX_REDIRECTS = 10
MAX_DELAY_SECONDS = 3.0
MAX_BYTES = 100 * 1024
MAX_HEADER_PAIRS = 30
MAX_CACHE_SECONDS = 365 * 24 * 3600

# RFC 9110 token: header names, cookie names.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A header value: visible ASCII, spaces and tabs inside, nothing that could split a header.
HEADER_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?|")
# Headers that describe the message framing: a learner setting them breaks the response.
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive",
                             "upgrade", "te", "trailer", "proxy-connection"})


def bounded_int(value: str, name: str, low: int, high: int) -> int:
    """`value` as an int in low..high, else a 400 naming the parameter and the range."""
    text = value.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,12}", text):
        raise ProblemError(400, f"{name} must be a whole number from {low} to {high}, "
                                f"not {value[:40]!r}.")
    number = int(text)
    if not low <= number <= high:
        raise ProblemError(400, f"{name} must be from {low} to {high}; got {number}.")
    return number


def whole_number(value: str, name: str) -> int:
    """Any whole number of up to 12 digits, where httpbin takes any int: a count that is
    then cut to its cap, a seed, a status to fall back from."""
    return bounded_int(value, name, -(10**12) + 1, 10**12 - 1)


def delay_seconds(value: str, name: str = "The delay") -> float:
    """httpbin takes fractions; anything above the cap waits the cap, as httpbin does."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if math.isnan(seconds) or seconds < 0:
        raise ProblemError(400, f"{name} must be a number of seconds, 0 or more "
                                f"(capped at {MAX_DELAY_SECONDS:g}); got {value[:40]!r}.")
    return min(seconds, MAX_DELAY_SECONDS)


def choose_status(spec: str, rng: random.Random | None = None) -> int:
    """One code from httpbin's /status syntax: `404`, `200,500` or `200:0.9,500:0.1`.

    A plain comma list picks uniformly; `code:weight` entries pick by weight.
    """
    entries = [part.strip() for part in spec.split(",")]
    if not spec.strip() or len(entries) > 20 or not all(entries):
        raise ProblemError(400, "Give a status code from 100 to 599, or a comma-separated "
                                "list of them (optionally code:weight).")
    codes: list[int] = []
    weights: list[float] = []
    for entry in entries:
        code_text, _, weight_text = entry.partition(":")
        codes.append(bounded_int(code_text, "The status code", 100, 599))
        if not weight_text:
            weights.append(1.0)
            continue
        try:
            weight = float(weight_text)
        except ValueError:
            weight = math.nan
        if not (weight >= 0 and math.isfinite(weight)):
            raise ProblemError(400, f"The weight of {code_text} must be a number, 0 or more.")
        weights.append(weight)
    largest = max(weights)
    if largest <= 0:
        raise ProblemError(400, "At least one status code needs a weight above 0.")
    # Only proportions count, and finite weights can still sum to infinity (1e308 twice),
    # which random.choices refuses: scaled so the largest is 1, the sum is at most 20.
    scaled = [weight / largest for weight in weights]
    return (rng or random).choices(codes, weights=scaled)[0]


def check_header(name: str, value: str) -> None:
    """Refuse a header a learner asked for when it is not a token or could split lines."""
    if not TOKEN.fullmatch(name):
        raise ProblemError(400, f"{name[:40]!r} is not a valid header name (letters, digits "
                                "and !#$%&'*+-.^_`|~ only).")
    if name.lower() in FRAMING_HEADERS:
        raise ProblemError(400, f"The sandbox does not let you set {name}: it frames the "
                                "response itself.")
    if not HEADER_VALUE.fullmatch(value):
        raise ProblemError(400, f"The value of {name} must be printable ASCII on one line.")


def check_cookie(name: str, value: str) -> None:
    if not TOKEN.fullmatch(name):
        raise ProblemError(400, f"{name[:40]!r} is not a valid cookie name.")
    # Spaces, commas and quotes are fine: the Set-Cookie value is then quoted, as httpbin's.
    if not re.fullmatch(r"[\x20-\x7e]*", value) or len(value) > 1024:
        raise ProblemError(400, f"The value of cookie {name} must be printable ASCII, "
                                "at most 1024 characters.")


def redirect_target(url: str, *, host: str, prefix: str) -> str:
    """A redirect-to target, allowed only inside the sandbox.

    `prefix` is the sandbox's mount path ending in "/" (e.g. "/sandbox/"). Accepted:
    a path under it, or an http(s) URL on the request's own host under it. Refused:
    other hosts, scheme-relative `//host`, backslashes, and dot segments that a
    browser would resolve to a path outside the sandbox.
    """
    if not url:
        raise ProblemError(400, "Give the target in ?url=, a path such as "
                                f"{prefix}get.")
    if "\\" in url or any(ord(ch) < 0x21 or ord(ch) == 0x7f for ch in url):
        raise ProblemError(400, "The url must not contain backslashes, spaces or "
                                "control characters.")
    parts = urlsplit(url)
    foreign = parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower()
    if (parts.scheme or parts.netloc) and foreign:
        raise ProblemError(400, f"The sandbox only redirects to its own paths "
                                f"(under {prefix}), not to {parts.netloc or url!r}.")
    segments = [unquote(segment) for segment in parts.path.split("/")]
    if not parts.path.startswith(prefix) or any(s in (".", "..") for s in segments):
        raise ProblemError(400, f"The sandbox only redirects to paths under {prefix}.")
    return url


def byte_range(header: str | None, size: int) -> tuple[int, int]:
    """(first, last) byte positions a Range header asks of `size` bytes, read as httpbin
    reads it: `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else means the whole. The
    caller answers 416 when first > last or either lies outside."""
    first = last = None
    text = (header or "").strip()
    if text.startswith("bytes") and text.count("=") == 1:
        bounds = text.split("=")[1].split("-")
        first = _position(bounds[0])
        last = _position(bounds[1]) if len(bounds) > 1 else None
    if first is None and last is None:
        return 0, size - 1
    if first is None:
        return max(0, size - last), size - 1
    if last is None:
        return first, size - 1
    return first, last


def _position(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,30}", text) else None  # longer: not a number
