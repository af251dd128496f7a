"""Response headers that keep pages safe: a strict Content-Security-Policy and friends."""

from __future__ import annotations

from flask import Flask, current_app, g

from ..extensions import csrf

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def init_app(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def reuse_checked_csrf_token() -> None:
    """Draw this request's forms with the CSRF token it brought, once Flask-WTF has
    checked it, instead of signing a new one (a few percent of a try-it send). Only
    while tokens do not expire (WTF_CSRF_TIME_LIMIT None, our default): the token is
    then exactly as good as a fresh one for this session."""
    config = current_app.config
    if not g.get("csrf_valid") or config["WTF_CSRF_TIME_LIMIT"] is not None:
        return
    # The very token Flask-WTF checked (form field, a prefixed field, then its headers).
    token = csrf._get_csrf_token()
    if token:
        setattr(g, config["WTF_CSRF_FIELD_NAME"], token)  # where generate_csrf() looks
