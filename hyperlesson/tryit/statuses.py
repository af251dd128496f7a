"""Status codes in plain words: the reason phrase and one line a learner can act on."""

from __future__ import annotations

from http import HTTPStatus

MEANINGS: dict[int, str] = {
    100: "Continue: the server has the headers and is ready for the body.",
    101: "Switching Protocols: the connection changes to the protocol named in Upgrade.",
    200: "OK: the request worked and the body holds the answer.",
    201: "Created: a new resource exists now; Location says where it lives.",
    202: "Accepted: the server took the request but has not finished the work yet.",
    203: "Non-Authoritative Information: a proxy changed the origin server's answer.",
    204: "No Content: it worked, and there is deliberately no body.",
    205: "Reset Content: it worked; the client should clear the form it sent.",
    206: "Partial Content: only the byte range asked for with Range is in the body.",
    300: "Multiple Choices: several representations exist; pick one of them.",
    301: "Moved Permanently: use the URL in Location from now on.",
    302: "Found: the resource is at Location for now; keep using the old URL later.",
    303: "See Other: fetch the result with a GET to the URL in Location.",
    304: "Not Modified: your cached copy is still current, so no body was sent.",
    307: "Temporary Redirect: repeat the same request, same method and body, at Location.",
    308: "Permanent Redirect: use Location from now on, with the same method and body.",
    400: "Bad Request: the server could not understand the request as sent.",
    401: "Unauthorized: send credentials; WWW-Authenticate says which kind.",
    403: "Forbidden: the server knows who you are and still says no.",
    404: "Not Found: nothing lives at this path.",
    405: "Method Not Allowed: this path exists but not for this method; see Allow.",
    406: "Not Acceptable: the server cannot produce any format your Accept header allows.",
    407: "Proxy Authentication Required: a proxy in between wants credentials.",
    408: "Request Timeout: the server gave up waiting for the rest of the request.",
    409: "Conflict: the request clashes with the resource's current state.",
    410: "Gone: this resource existed and was removed for good.",
    411: "Length Required: send a Content-Length header with the body.",
    412: "Precondition Failed: an If-Match or similar condition was not true.",
    413: "Content Too Large: the body is bigger than the server accepts.",
    414: "URI Too Long: the URL is longer than the server accepts.",
    415: "Unsupported Media Type: the server does not take a body of this Content-Type.",
    416: "Range Not Satisfiable: the Range asked for lies outside the resource.",
    417: "Expectation Failed: the server cannot meet the Expect header.",
    418: "I'm a teapot: an April Fools' joke (RFC 2324) that servers keep for fun.",
    421: "Misdirected Request: this server is not the one for this host.",
    422: "Unprocessable Content: the syntax is fine but the values are not valid.",
    425: "Too Early: the server will not risk processing a request that might be replayed.",
    426: "Upgrade Required: switch to the protocol named in Upgrade and try again.",
    428: "Precondition Required: this server wants conditional writes (send If-Match).",
    429: "Too Many Requests: slow down; Retry-After may say for how long.",
    431: "Request Header Fields Too Large: send fewer or smaller headers.",
    451: "Unavailable For Legal Reasons: a legal demand blocks this resource.",
    500: "Internal Server Error: the server failed; the request may have been fine.",
    501: "Not Implemented: the server does not support this method at all.",
    502: "Bad Gateway: a proxy got an invalid answer from the server behind it.",
    503: "Service Unavailable: the server is overloaded or down; try again later.",
    504: "Gateway Timeout: a proxy waited too long for the server behind it.",
}

CLASS_MEANINGS: dict[str, str] = {
    "1xx": "Informational: the server is still working on the request.",
    "2xx": "Success: the server received, understood and accepted the request.",
    "3xx": "Redirection: the client has to go somewhere else to finish.",
    "4xx": "Client error: something about the request was wrong; change it and retry.",
    "5xx": "Server error: the server failed on a request that may have been fine.",
}


def status_class(status: int) -> str:
    """"1xx" to "5xx"; "" for a number outside 100..599."""
    return f"{status // 100}xx" if 100 <= status <= 599 else ""


def reason(status: int) -> str:
    """The standard reason phrase ("Created", "I'm a Teapot"); "" when none is registered."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def meaning(status: int) -> str:
    """One plain-words line for `status`, falling back to what its class means."""
    if status in MEANINGS:
        return MEANINGS[status]
    fallback = CLASS_MEANINGS.get(status_class(status))
    if fallback is None:
        return f"{status} is not a standard status code (they run from 100 to 599)."
    phrase = reason(status)
    return f"{phrase}: {fallback}" if phrase else fallback
