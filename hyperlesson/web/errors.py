"""Error pages that help: a 404 with links back, every 4xx as a readable message."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadHost, HTTPException

from .htmx import is_htmx, render


class InsufficientStorage(HTTPException):
    """507: the server keeps no more of something (Werkzeug has no class for it)."""

    code = 507
    description = "The server cannot store any more of this."


STALE_FORM = ("This page has expired (its security token is missing or too old). "
              "Reload the page and try again; nothing you did before was lost.")
BAD_HOST = ("The address this page was asked for (the Host header) is not a valid host name: "
            "each part between dots must have 1 to 63 characters. Open the page through the "
            "server's name or IP address.")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def stale_form(error: CSRFError):
        error.description = STALE_FORM
        return http_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 413:
            error.description = (
                f"What was sent is larger than this server accepts "
                f"({current_app.config['MAX_CONTENT_LENGTH'] // 1024} KB in all). The try-it "
                "panel sends at most a 64 KB body and 16 KB of headers.")
        if isinstance(error, BadHost):
            # Werkzeug could not encode the Host header (IDNA), so nothing was routed; the
            # templates link with page_url(), which does not need this request's host.
            error.description = BAD_HOST
        response = render("errors/page.html", "errors/_message.html", status=error.code or 500,
                          error=error, back_url=back_url(), track=g.get("track"))
        if is_htmx():
            # Show the message inside whatever the request would have replaced.
            response.headers["HX-Reswap"] = "beforeend"
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        if getattr(error, "retry_after", None) is not None:  # a spent budget or rate limit
            response.headers["Retry-After"] = str(error.retry_after)
        return response


def back_url() -> str:
    """The page a learner was on, for "Go back" and "Reload the page": the page htmx
    sent from, or the referrer; the list of tracks when neither is a web address."""
    for url in (request.headers.get("HX-Current-URL") if is_htmx() else None,
                request.referrer):
        if url and urlsplit(url).scheme in ("http", "https"):
            return url
    # page_url: linked without this request's host, which may be the bad one (BadHost).
    return current_app.jinja_env.globals["page_url"]("lessons.home")
