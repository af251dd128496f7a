"""Authentication to practise: HTTP Basic against credentials in the path, and Bearer.

Nothing here is secret: the expected user and password are part of the URL, so a
learner can see a 401 with its challenge, then send the header and see a 200.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from flask import Blueprint, jsonify, request
from werkzeug.datastructures import Authorization

from .responses import ProblemError

bp = Blueprint("auth", __name__)

BASIC_CHALLENGE = 'Basic realm="Fake Realm"'


def _same(given: str | None, expected: str) -> bool:
    # surrogatepass: a str that came through a lenient decoder still compares, never raises.
    return given is not None and hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                                                     expected.encode("utf-8", "surrogatepass"))


def _basic_credentials() -> tuple[str, str] | None:
    """(user, password) from Authorization: Basic, or None when it does not carry any.

    Werkzeug's parser raises ValueError on non-ASCII text where the base64 should be, and
    reads the decoded bytes as UTF-8 only. RFC 7617 leaves the charset open: browsers and
    curl send UTF-8, Python requests sends Latin-1 for str credentials, so both count.
    """
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(encoded.strip(" \t").encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # every byte is a Latin-1 character
    user, colon, password = text.partition(":")
    return (user, password) if colon else None


def _basic_matches(user: str, passwd: str) -> bool:
    given = _basic_credentials()
    return given is not None and _same(given[0], user) and _same(given[1], passwd)


@bp.get("/basic-auth/<user>/<passwd>")
def basic_auth(user: str, passwd: str):
    """200 when Authorization: Basic carries user:passwd, else 401 with the challenge."""
    if not _basic_matches(user, passwd):
        raise ProblemError(401, f"Send Authorization: Basic with the base64 of "
                                f"'{user}:{passwd}'.",
                           headers={"WWW-Authenticate": BASIC_CHALLENGE})
    return jsonify(authenticated=True, user=user)


@bp.get("/hidden-basic-auth/<user>/<passwd>")
def hidden_basic_auth(user: str, passwd: str):
    """Basic authentication without a challenge: a wrong or missing one is a 404, so a
    browser shows no login prompt and nothing says a login would help."""
    if not _basic_matches(user, passwd):
        raise ProblemError(404, "There is nothing here for you.")
    return jsonify(authenticated=True, user=user)


@bp.get("/bearer")
def bearer():
    """200 with the token when Authorization: Bearer <token> is sent, else 401."""
    auth = _authorization()
    if auth is None or auth.type != "bearer" or not auth.token:
        raise ProblemError(401, "Send Authorization: Bearer <token> (any token works).",
                           headers={"WWW-Authenticate": "Bearer"})
    return jsonify(authenticated=True, token=auth.token)


def _authorization() -> Authorization | None:
    """request.authorization, or None where werkzeug's parser fails on non-ASCII base64
    (it raises ValueError for "Basic ü"): this endpoint answers 401 to that, not 500."""
    try:
        return request.authorization
    except ValueError:
        return None
