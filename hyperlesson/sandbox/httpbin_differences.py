"""Where the sandbox answers differently from httpbin 0.10.4 on purpose, and why.

One list, read by three readers: /openapi.json publishes it (x-httpbin-differences),
the README mirrors it (a test checks each title is there), and the differential test
(tests/web/test_httpbin_parity.py) lets a request differ from httpbin only in the
aspects of the differences it names. Everything else must match httpbin.
"""

from __future__ import annotations

from dataclasses import dataclass

# What the differential test compares, request by request.
ASPECTS = ("status", "headers", "content-type", "location", "etag", "body")
ERROR = ("status", "headers", "content-type", "location", "body")


@dataclass(frozen=True)
class Difference:
    title: str
    reason: str
    aspects: tuple[str, ...] = ()  # what it changes in a response it applies to
    headers: frozenset[str] = frozenset()  # names present on one side, on every response


DIFFERENCES = {
    "contained": Difference(
        "Every response is a sandboxed document",
        "The sandbox answers on the lesson server's origin, so each response carries "
        "Content-Security-Policy: sandbox and X-Content-Type-Options: nosniff: nothing it "
        "returns can run script or style the lesson pages.",
        headers=frozenset({"content-security-policy", "x-content-type-options"})),
    "no-cors": Difference(
        "No CORS headers",
        "httpbin lets every website read its answers with the visitor's credentials "
        "(Access-Control-Allow-Origin echoes the Origin, with Allow-Credentials). The "
        "sandbox lives on the school's server: other sites may not read it through a "
        "learner's browser.",
        headers=frozenset({"access-control-allow-origin", "access-control-allow-credentials",
                           "access-control-allow-methods", "access-control-allow-headers",
                           "access-control-max-age"})),
    "problem-json": Difference(
        "Errors are application/problem+json",
        "Every 4xx says what to change in an RFC 9457 problem body, where httpbin sends an "
        "empty body, a line of text or an HTML page.",
        ("headers", "content-type", "body")),
    "forwarded": Difference(
        "X-Forwarded-For and X-Forwarded-Proto count only from a trusted proxy",
        "httpbin believes any client's X-Forwarded-For; the sandbox's origin and url "
        "follow those headers only when HYPERLESSON_TRUSTED_PROXIES says a proxy sets "
        "them, so nobody can pretend to be another address.",
        ("body",)),
    "status-range": Difference(
        "/status accepts 100 to 599 only",
        "Other numbers are not HTTP status codes (RFC 9110); clients and proxies fail on "
        "them in different ways. The sandbox answers 400.",
        ERROR),
    "caps": Difference(
        "Lower caps",
        "In-process calls from the try-it panel have no timeout and a class shares one "
        "server: at most 10 redirects (httpbin: any number), 3 s of delay or drip "
        "(httpbin: 10 s, and any duration for /drip) and 102400 bytes from /drip "
        "(httpbin: 10 MB). More redirects are a 400; longer waits and larger drips are cut "
        "to the cap, as httpbin cuts its own.",
        ("status", "headers", "content-type", "location", "body")),
    "hostile-4xx": Difference(
        "400 where httpbin fails with 500",
        "A request with a missing or malformed parameter (/redirect-to without url, "
        "/delay/abc, /drip?duration=abc, /redirect/0) is the caller's mistake: the sandbox "
        "answers 400 with what to change.",
        ERROR),
    "contained-headers": Difference(
        "/response-headers keeps what it sends inside the sandbox",
        "No Location or Refresh outside /sandbox, no cookie for the lesson server's names, "
        "a Domain or another Path, no header a browser applies to the whole site, no "
        "script or stylesheet Content-Type: such a request is a 400 (see Safety).",
        ERROR),
    "one-content-type": Difference(
        "/response-headers?Content-Type= replaces the type",
        "httpbin then sends two Content-Type headers, its own and the one asked for, which "
        "RFC 9110 does not allow and clients resolve differently; the sandbox sends the one "
        "asked for.",
        ("content-type", "body")),
    "redirect-inside": Difference(
        "/redirect-to goes only to sandbox paths",
        "An open redirect on the school's server would lend its name to any link: url must "
        "be a path under /sandbox/ (or a URL on the same host under it); anything else is "
        "a 400.",
        ("status", "headers", "content-type", "location", "body")),
    "cookie-path": Difference(
        "Sandbox cookies have Path=/sandbox and SameSite=Lax",
        "So they never reach the lesson pages (httpbin's have Path=/). The names the "
        "lesson server uses are refused.",
        ()),
    "quoted-etag": Difference(
        "ETags are quoted",
        'RFC 9110 writes an entity tag in double quotes (ETag: "abc"); httpbin sends it '
        "bare. If-None-Match and If-Match accept both forms, and a 412 names the current "
        "ETag so the learner sees what to send.",
        ("etag",)),
    "own-words": Difference(
        "Samples in our own words",
        "/json, /html, /xml, /encoding/utf8, /deny, /forms/post, the images, the 402 and "
        "418 bodies and the index are our own documents with the same structure and "
        "Content-Type: httpbin's are other people's texts and pictures (and its 402 body "
        "is not for a classroom).",
        ("body", "headers", "content-type")),
}

IGNORED_HEADERS = frozenset().union(*(d.headers for d in DIFFERENCES.values()))


def as_openapi() -> list[dict]:
    """The list as /openapi.json publishes it (x-httpbin-differences)."""
    return [{"title": d.title, "reason": d.reason} for d in DIFFERENCES.values()]
