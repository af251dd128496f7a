"""The session cookie and the CSRF token, each signed or verified once per process.

Every request of a learner carries the same session cookie, and every page of theirs
the same CSRF token; Flask and Flask-WTF verify or sign them anew each time (HMACs,
base64, JSON: about a tenth of a lesson page). The same bytes always verify the same
way under the same key, so what was verified once is kept, bounded, per app:

- a session cookie's value, with what it holds and when it was signed, so that the
  session lifetime still ends it; only sessions of plain values (str, int, bool...)
  are kept, so no request can change what another one reads;
- a session's CSRF token, signed once while tokens have no time limit
  (WTF_CSRF_TIME_LIMIT None, the default): the time inside the signature is then never
  checked, so one signed token is as good as the next. With a limit, each page signs
  anew;
- and so a posted token that is the very one this process signed for this session is
  valid without verifying its signature again (`check_csrf`). Any other token, and any
  request over HTTPS (where Flask-WTF also checks the Referer), goes through Flask-WTF's
  whole check, as does a request to a view it exempts.
"""

from __future__ import annotations

import hmac
import time

from flask import Flask, Request, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

from ..extensions import csrf

MAX_KEPT = 5_000  # per process: a large school's learners; past it, start over
_PLAIN = (str, int, float, bool, type(None))
CSRF_FIELD = "csrf_token"  # Flask-WTF's default WTF_CSRF_FIELD_NAME, which we keep


class VerifiedOnceSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, each cookie value verified once."""

    def __init__(self) -> None:
        self._verified: dict[str, tuple[dict, int]] = {}  # value -> (data, signed at)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        kept = self._verified.get(value) if value else None
        if kept is not None:
            data, signed_at = kept
            age = int(time.time()) - signed_at  # as itsdangerous measures it
            if 0 <= age <= app.permanent_session_lifetime.total_seconds():
                return self.session_class(data)  # a copy: the kept dict stays as it was
            self._verified.pop(value, None)  # another thread may have dropped it already
        serializer = self.get_signing_serializer(app)
        if serializer is None or not value:
            return super().open_session(app, request)
        try:
            data, signed_at = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(type(item) in _PLAIN for item in data.values()):
            _keep(self._verified, value, (dict(data), int(signed_at.timestamp())))
        return self.session_class(data)


def csrf_token() -> str:
    """This session's signed CSRF token (Flask-WTF's generate_csrf), signed once per
    process for each session; templates call it as `csrf_token()`."""
    if CSRF_FIELD in g:
        return g.get(CSRF_FIELD)
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:  # a token that ages: sign anew
        return generate_csrf()
    raw = session.get(CSRF_FIELD)
    signed = current_app.extensions["signed_csrf_tokens"]
    token = signed.get(raw) if isinstance(raw, str) else None
    if token is None:
        token = generate_csrf()  # makes the raw token first if the session has none
        _keep(signed, session[CSRF_FIELD], token)
    setattr(g, CSRF_FIELD, token)  # what generate_csrf returns for the rest of the request
    return token


def check_csrf() -> None:
    """Before each request, in place of Flask-WTF's own hook (WTF_CSRF_CHECK_DEFAULT
    is off): its check, but for a token this process signed for this session."""
    config = current_app.config
    if not config["WTF_CSRF_ENABLED"] or request.method not in config["WTF_CSRF_METHODS"]:
        return
    raw = session.get(CSRF_FIELD)
    kept = (current_app.extensions["signed_csrf_tokens"].get(raw)
            if isinstance(raw, str) else None)
    if kept is not None and not request.is_secure:
        posted = request.form.get(CSRF_FIELD) or next(
            (value for name in config["WTF_CSRF_HEADERS"]
             if (value := request.headers.get(name))), "")
        # As bytes: compare_digest refuses str with anything but ASCII in it.
        if hmac.compare_digest(posted.encode(), kept.encode()):
            g.csrf_valid = True  # as Flask-WTF marks a request it checked
            return
    csrf.protect(apply_exemptions=True)


def _keep(kept: dict, key, value) -> None:
    if len(kept) >= MAX_KEPT:  # a flood of new sessions costs verifying, never memory
        kept.clear()
    kept[key] = value


def init_app(app: Flask) -> None:
    app.session_interface = VerifiedOnceSessionInterface()
    app.extensions["signed_csrf_tokens"] = {}
    # Where Flask-WTF's hook was (it was registered just before): the same order.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_csrf)
    # In place of Flask-WTF's, both where it put it: the template globals and a context
    # processor (this one runs after it, so it wins).
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
