"""Error pages that help: a 404 with links back, every 4xx as a readable message."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .htmx import is_htmx, render

STALE_FORM = ("This page has expired (its security token is missing or too old). "
              "Reload the page and try again; nothing you did before was lost.")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def stale_form(error: CSRFError):
        error.description = STALE_FORM
        return http_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = render("errors/page.html", "errors/_message.html", status=error.code or 500,
                          error=error)
        if is_htmx():
            # Show the message inside whatever the request would have replaced.
            response.headers["HX-Reswap"] = "beforeend"
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
