"""The sandbox API: a small Flask app of its own that learners send real requests to.

httpbin's endpoints (so what learners practise works against httpbin too) and a
/users resource kept in the shared database, one copy per X-Sandbox-Key. The main app
mounts it at /sandbox (DispatcherMiddleware) and the try-it panel calls it in-process;
every route builds its URLs with url_for, so Locations carry the mount path.

Every endpoint is bounded (bodies 64 KB, delays 3 s, bytes 100 KB, 10 redirects,
100 stream lines),
because in-process calls ignore timeouts. Every error is application/problem+json.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from hyperlesson.extensions import db

from .wsgi import by_host, mounted, without_cookies

__all__ = ["EXCHANGE_HOOK", "by_host", "create_sandbox_app", "mounted", "without_cookies"]

# app.extensions[EXCHANGE_HOOK](request, response), if the lesson server set one, sees
# every answer to a request that carries an X-Sandbox-Key: tasks are graded from them.
EXCHANGE_HOOK = "exchange_hook"

MAX_BODY_BYTES = 64 * 1024


def create_sandbox_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_BODY_BYTES,
        MAX_FORM_PARTS=100,
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        # No key: the sandbox never reads or writes a session, so none can be signed.
        SECRET_KEY=None,
        # The lesson server's cookie names: the sandbox never sets them (header_policy).
        APP_COOKIES=("session", "remember_token"),
        # Budgets for datasets made by direct requests (hyperlesson/budgets.py).
        NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR=300,
        NEW_SANDBOX_DATASETS_PER_NETWORK_PER_DAY=1_000,
        MAX_SANDBOX_DATASETS=20_000,
    )
    app.config.update(config or {})
    app.json.sort_keys = False  # a user reads id, name, email in that order
    app.url_map.strict_slashes = False  # /users/ is /users, not a redirect

    from . import (
        auth,
        caching,
        digest,
        echo,
        encodings,
        errors,
        formats,
        images,
        openapi,
        pages,
        status,
        streams,
        users,
    )

    db.init_app(app)
    errors.init_app(app)
    for module in (echo, status, caching, auth, digest, formats, encodings, streams, images,
                   pages, users, openapi):
        app.register_blueprint(module.bp)
    app.after_request(_offer_exchange)  # runs last: it sees the response as sent
    app.after_request(_contain)
    return app


# The sandbox shares the lesson server's origin, and /response-headers lets a learner
# choose the Content-Type. So a sandbox response opened in a browser is a sandboxed
# document: no script runs, nothing loads, it cannot act on the learner's session.
CONTAINMENT = {
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
# /forms/post's form may be sent, to the sandbox only (a view sets g.allow_forms); still
# no script, and the sandboxed document's requests carry none of the site's cookies.
FORM_POLICY = ("sandbox allow-forms; default-src 'none'; form-action 'self'; "
               "frame-ancestors 'none'")


def _contain(response):
    response.headers.update(CONTAINMENT)
    if g.get("allow_forms"):
        response.headers["Content-Security-Policy"] = FORM_POLICY
    return response


def _offer_exchange(response):
    hook = current_app.extensions.get(EXCHANGE_HOOK)
    if hook is not None and "X-Sandbox-Key" in request.headers:
        hook(request._get_current_object(), response)  # not the proxy: read a dozen times
    return response
