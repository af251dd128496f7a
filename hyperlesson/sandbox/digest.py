"""HTTP Digest authentication to practise (RFC 7616), with MD5, SHA-256 or SHA-512.

Like httpbin, the server keeps no state: the nonce is not remembered, and two cookies
play the part of a server's memory: `stale_after` (answer "stale" after that many
successes; "never" by default) and `last_nonce` (a nonce used twice is stale). The
cookies are the sandbox's own (Path=/sandbox). Nothing here is secret: the expected
user and password are in the URL.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Response, jsonify, request
from werkzeug.datastructures import Authorization

from .caching import set_sandbox_cookie
from .errors import problem_response
from .responses import ProblemError

bp = Blueprint("digest", __name__)

REALM = "sandbox@hyperlesson"
ALGORITHMS = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}
QOPS = ("auth", "auth-int")


def digest(algorithm: str, *parts: str | bytes) -> str:
    joined = b":".join(part if isinstance(part, bytes) else part.encode("utf-8")
                       for part in parts)
    return ALGORITHMS[algorithm](joined).hexdigest()


def expected_response(fields: dict[str, str], *, password: str, method: str, body: bytes,
                      algorithm: str) -> str | None:
    """What the client's `response` must be (RFC 7616 3.4.1), or None when the fields
    it needs are missing."""
    needed = ["username", "nonce", "uri"] + (["nc", "cnonce"] if fields.get("qop") else [])
    if any(fields.get(name) is None for name in needed):
        return None
    ha1 = digest(algorithm, fields["username"], fields.get("realm") or "", password)
    qop = fields.get("qop")
    if qop == "auth-int":
        ha2 = digest(algorithm, method, fields["uri"], digest(algorithm, body))
    elif qop in (None, "auth"):
        ha2 = digest(algorithm, method, fields["uri"])
    else:
        return None
    if qop is None:
        return digest(algorithm, ha1, fields["nonce"], ha2)
    return digest(algorithm, ha1, fields["nonce"], fields["nc"], fields["cnonce"], qop, ha2)


def challenge(qop: str | None, algorithm: str, *, stale: bool = False) -> Response:
    nonce = digest(algorithm, request.remote_addr or "", str(time.time()), os.urandom(10))
    opaque = digest(algorithm, os.urandom(10))
    offered = ", ".join(QOPS if qop is None else (qop,))
    detail = ("The nonce was used before: answer this new challenge." if stale else
              "Answer the challenge in WWW-Authenticate with Authorization: Digest "
              "(curl --digest, or requests' HTTPDigestAuth).")
    return problem_response(401, detail, headers={"WWW-Authenticate": (
        f'Digest realm="{REALM}", nonce="{nonce}", opaque="{opaque}", qop="{offered}", '
        f"algorithm={algorithm}, stale={'TRUE' if stale else 'FALSE'}")})


def _credentials() -> dict[str, str] | None:
    header = request.headers.get("Authorization")
    try:
        auth = Authorization.from_header(header) if header else None
    except ValueError:  # werkzeug refuses some malformed headers this way
        return None
    if auth is None or auth.type != "digest":
        return None
    return dict(auth.parameters)


def _names_this_request(uri: str) -> bool:
    try:
        path = urlsplit(uri).path
    except ValueError:  # "http://[" and other URLs that cannot be split
        return False
    return unquote(path) == request.script_root + request.path


def _cookies(response: Response, **values: str) -> Response:
    for name, value in values.items():
        set_sandbox_cookie(response, name, value)
    return response


@bp.get("/digest-auth/<qop>/<user>/<passwd>")
@bp.get("/digest-auth/<qop>/<user>/<passwd>/<algorithm>")
@bp.get("/digest-auth/<qop>/<user>/<passwd>/<algorithm>/<stale_after>")
def digest_auth(qop: str, user: str, passwd: str, algorithm: str = "MD5",
                stale_after: str = "never"):
    """200 when Authorization: Digest answers the challenge for user and passwd, else 401
    with a challenge. qop is auth or auth-int (anything else offers both); algorithm MD5
    (the default), SHA-256 or SHA-512; ?require-cookie=1 insists the client keeps cookies."""
    algorithm = algorithm if algorithm in ALGORITHMS else "MD5"
    chosen_qop = qop if qop in QOPS else None
    if not stale_after.isascii() or not stale_after.isprintable() or len(stale_after) > 40:
        raise ProblemError(400, "stale_after is a number of logins, or never.")
    require_cookie = request.args.get("require-cookie", "").lower() in ("1", "t", "true")
    fields = _credentials()
    if fields is None or (require_cookie and "Cookie" not in request.headers):
        return _cookies(challenge(chosen_qop, algorithm), stale_after=stale_after,
                        fake="fake_value")
    if require_cookie and request.cookies.get("fake") != "fake_value":
        return _cookies(problem_response(403, "missing cookie set on challenge: send back "
                                              "the cookies the challenge set."),
                        fake="fake_value")
    nonce = fields.get("nonce") or ""
    last_nonce = nonce[:200] if nonce.isascii() and nonce.isprintable() else ""
    seen_stale_after = request.cookies.get("stale_after")
    if nonce and nonce == request.cookies.get("last_nonce") or seen_stale_after == "0":
        return _cookies(challenge(chosen_qop, algorithm, stale=True), stale_after=stale_after,
                        last_nonce=last_nonce, fake="fake_value")
    wanted = expected_response(fields, password=passwd, method=request.method,
                               body=request.get_data(), algorithm=algorithm)
    given = fields.get("response") or ""
    if (wanted is None or fields.get("username") != user
            or not _names_this_request(fields["uri"])
            or not hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                                       wanted.encode("ascii"))):
        return _cookies(challenge(chosen_qop, algorithm), stale_after=stale_after,
                        last_nonce=last_nonce, fake="fake_value")
    response = jsonify(authenticated=True, user=user)
    _cookies(response, fake="fake_value")
    if seen_stale_after:
        remaining = seen_stale_after
        _cookies(response, stale_after=str(int(remaining) - 1)
                 if remaining.isdigit() and len(remaining) < 10 else "never")
    return response

