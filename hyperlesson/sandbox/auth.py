"""Authentication to practise: HTTP Basic against credentials in the path, and Bearer.

Nothing here is secret: the expected user and password are part of the URL, so a
learner can see a 401 with its challenge, then send the header and see a 200.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, jsonify, request

from .responses import ProblemError

bp = Blueprint("auth", __name__)

BASIC_CHALLENGE = 'Basic realm="Fake Realm"'


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@bp.get("/basic-auth/<user>/<passwd>")
def basic_auth(user: str, passwd: str):
    """200 when Authorization: Basic carries user:passwd, else 401 with the challenge."""
    auth = request.authorization
    if (auth is None or auth.type != "basic" or not _same(auth.username, user)
            or not _same(auth.password, passwd)):
        raise ProblemError(401, f"Send Authorization: Basic with the base64 of "
                                f"'{user}:{passwd}'.",
                           headers={"WWW-Authenticate": BASIC_CHALLENGE})
    return jsonify(authenticated=True, user=user)


@bp.get("/bearer")
def bearer():
    """200 with the token when Authorization: Bearer <token> is sent, else 401."""
    auth = request.authorization
    if auth is None or auth.type != "bearer" or not auth.token:
        raise ProblemError(401, "Send Authorization: Bearer <token> (any token works).",
                           headers={"WWW-Authenticate": "Bearer"})
    return jsonify(authenticated=True, token=auth.token)
