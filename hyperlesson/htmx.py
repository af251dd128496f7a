"""The one place that knows how htmx talks to us: is it an htmx request, and what to send."""

from __future__ import annotations

from flask import make_response, render_template, request


def is_htmx() -> bool:
    # Back/forward in htmx 4 re-requests the full page without HX-Request.
    return request.headers.get("HX-Request") == "true"


def render(page: str, fragment: str, status: int = 200, **context):
    """The fragment to htmx, the full page otherwise; either way `Vary: HX-Request`."""
    template = fragment if is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
