"""Browsers an account logged in from before (OWASP's "device cookies").

Wrong passwords are limited per account, so that nobody can guess one. Alone, that lets
anyone lock anyone out: ten wrong guesses from a learner in the same room, behind the
same router, and the teacher cannot log in until the window ends. So a browser that
logged in to an account (or signed it up) keeps a signed cookie naming the account, and
its wrong passwords are counted apart from everyone else's. A stranger's guesses spend
only the strangers' count; a browser holding the cookie has its own count of the same
size, so the cookie buys no extra guesses at a password nobody there knew.
"""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer

from ..records.accounts import failures_key
from ..records.models import new_token

COOKIE = "device"
SALT = "hyperlesson-trusted-device"  # a value signed for anything else never verifies
TRUSTED_FOR_SECONDS = 365 * 24 * 3600  # a school year and then some


def device_of(username: str) -> str | None:
    """This browser's device id when it logged in to `username`'s account before."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        account, device = _serializer().loads(value, max_age=TRUSTED_FOR_SECONDS)
    except (BadData, TypeError, ValueError):  # forged, expired or not a pair
        return None
    if account != failures_key(username) or not isinstance(device, str):
        return None
    return device


def trust_this_browser(response: Response, username: str) -> Response:
    """Give the browser a device cookie for `username`'s account (a new one each login:
    the count of the one before is left behind)."""
    value = _serializer().dumps([failures_key(username), new_token()])
    response.set_cookie(COOKIE, value, max_age=TRUSTED_FOR_SECONDS, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"],
                        path=current_app.session_interface.get_cookie_path(current_app))
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)
