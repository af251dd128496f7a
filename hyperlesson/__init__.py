"""Hyperlesson: a self-hosted, interactive lesson server."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import PROJECT_ROOT, configure


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import cli, errors, security
    from .catalog_setup import init_catalog
    from .views import lessons

    init_catalog(app, Path(app.config["LESSONS_DIR"]))
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(lessons.bp)
    cli.init_app(app)
    return app
