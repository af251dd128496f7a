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
  anew. The posted token is still checked by Flask-WTF on every form.
"""

from __future__ import annotations

import time

from flask import Flask, Request, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

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
            del self._verified[value]
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


def _keep(kept: dict, key, value) -> None:
    if len(kept) >= MAX_KEPT:  # a flood of new sessions costs verifying, never memory
        kept.clear()
    kept[key] = value


def init_app(app: Flask) -> None:
    app.session_interface = VerifiedOnceSessionInterface()
    app.extensions["signed_csrf_tokens"] = {}
    # In place of Flask-WTF's, both where it put it: the template globals and a context
    # processor (this one runs after it, so it wins).
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
