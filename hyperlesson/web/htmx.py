"""The one place that knows how htmx talks to us: is it an htmx request, and what to send."""

from __future__ import annotations

from collections.abc import Callable

from flask import make_response, redirect, render_template, request


def is_htmx() -> bool:
    # Back/forward in htmx 4 re-requests the full page without HX-Request.
    return request.headers.get("HX-Request") == "true"


def render(page: str, fragment: str, status: int = 200, **context):
    """The fragment to htmx, the full page otherwise; either way `Vary: HX-Request`."""
    return _vary(make_response(render_template(fragment if is_htmx() else page, **context),
                               status))


def fragment_or_redirect(fragment: str | Callable[[], str], location: str | Callable[[], str],
                         **context):
    """After a POST: the fragment to htmx, a 303 (post/redirect/get) to a plain form.
    `fragment`: a template, or what renders it (a prepared one: web/prepared_page.py);
    `location`: the URL, or what builds it (htmx never needs it)."""
    if is_htmx():
        html = fragment() if callable(fragment) else render_template(fragment, **context)
        return _vary(make_response(html))
    return see_other(location() if callable(location) else location)


def see_other(location: str):
    """303 to the page that shows a fragment's content, for a browser without htmx (a
    fragment URL opened by hand, a plain form); `Vary`, as the URL serves both."""
    return _vary(redirect(location, 303))


def fragment(template: str, **context):
    """A fragment for htmx (a poll's answer, a refreshed region)."""
    return _vary(make_response(render_template(template, **context)))


def shows_version(version: str) -> bool:
    """An htmx poll whose `?v=` is `version`: the page shows it already (a live region
    renders its version into its poll URL)."""
    return is_htmx() and request.args.get("v") == version


def unchanged():
    """204 to a poll that found nothing new: htmx 4 swaps nothing, nothing is rendered."""
    return _vary(make_response("", 204))


def _vary(response):
    response.vary.add("HX-Request")
    return response
