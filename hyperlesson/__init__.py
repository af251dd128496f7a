"""Hyperlesson: a self-hosted, interactive lesson server."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import PACKAGE_ROOT, configure, data_folder
from .wording import counted


def create_app(config: dict | None = None, data: Path | None = None) -> Flask:
    """The app, its data (database, secret key, config.py) in the folder `data`, else
    where data_folder() says. Templates, static files, migrations and the shipped
    lessons are in this package."""
    app = Flask(__name__, instance_path=str((data or data_folder()).resolve()),
                instance_relative_config=True)
    configure(app, config)
    # Block tags leave no blank lines behind: fragments stay small on the wire.
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["counted"] = counted  # {{ n|counted("lesson") }}: "1 lesson"
    os.makedirs(app.instance_path, exist_ok=True)

    from . import cli
    from .extensions import bind_migrations, csrf, db
    from .records import classroom_models as _classes  # noqa: F401  (the same)
    from .records import models as _models  # noqa: F401  (their tables: migrations)
    from .records import task_models as _tasks  # noqa: F401  (the same)
    from .sandbox import store as _sandbox_models  # noqa: F401  (its tables: migrations)
    from .views import account, auth, dashboard, help, join, lessons, quiz, reading, teach, tryit
    from .views import tasks as task_views
    from .web import (
        assets,
        errors,
        identity,
        login,
        nul_guard,
        prepared_page,
        security,
        signed_cookies,
    )
    from .web.catalog import init_catalog, watch_lessons

    db.init_app(app)
    csrf.init_app(app)
    signed_cookies.init_app(app)  # after csrf: its csrf_token() replaces Flask-WTF's
    security.init_app(app)
    login.init_app(app)
    identity.init_app(app)
    errors.init_app(app)
    nul_guard.init_app(app)
    for blueprint in (lessons.bp, quiz.bp, reading.bp, tryit.bp, auth.bp, account.bp,
                      join.bp, teach.bp, dashboard.bp, help.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(task_views.bp)

    def rest_of_start_up() -> None:  # nothing here reads the catalog
        bind_migrations(app, str(PACKAGE_ROOT / "migrations"))
        assets.init_app(app)
        prepared_page.init_app(app)
        cli.init_app(app)
        _mount_sandbox(app)

    # Presets link to the routes above. The rest is done while forked children parse
    # lessons (docs/architecture.md, "The catalog at start-up").
    init_catalog(app, meanwhile=rest_of_start_up)
    if app.config["WATCH_LESSONS"]:
        watch_lessons(app)
    return app


def _mount_sandbox(app: Flask) -> None:
    """The sandbox API at /sandbox: reachable by curl, and called in-process by try-it;
    on the app's origin, or on one of its own (SANDBOX_ORIGIN). Then the proxies."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .sandbox import by_host, create_sandbox_app, mounted, without_cookies
    from .web import task_recorder, trusted_devices

    app_cookies = (app.config["SESSION_COOKIE_NAME"],
                   app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), trusted_devices.COOKIE)
    sandbox = create_sandbox_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "TESTING": app.testing,
        "APP_COOKIES": app_cookies,
        **{name: app.config[name] for name in ("NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR",
                                               "NEW_SANDBOX_DATASETS_PER_NETWORK_PER_DAY",
                                               "MAX_SANDBOX_DATASETS")},
    })
    app.extensions["sandbox"] = mounted(sandbox)  # what the try-it panel sends to
    task_recorder.install(app, sandbox)  # exchanges that tasks grade (README, Tasks)
    # The browser sends the app's cookies to /sandbox too (cookies ignore ports, so even
    # on an origin of its own): the sandbox never sees them.
    contained = without_cookies(sandbox, app_cookies)
    if app.config["SANDBOX_ORIGIN"]:
        app.wsgi_app = by_host(app.wsgi_app, contained, app.config["SANDBOX_ORIGIN"])
    else:
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/sandbox": contained})
    if app.config["TRUSTED_PROXIES"]:
        # The client's address (for the budgets), scheme and host as the proxy saw them.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops, x_prefix=hops)
