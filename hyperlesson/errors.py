"""Error pages that help: a 404 with links back, every 4xx as a readable message."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from .htmx import render


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = render("errors/page.html", "errors/_message.html", status=error.code or 500,
                          error=error)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
