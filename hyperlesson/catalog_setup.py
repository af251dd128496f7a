"""Build the catalog once at start-up and make it reachable as `current_catalog()`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, url_for

from .content import Catalog, load_catalog


def init_catalog(app: Flask, root: Path) -> Catalog:
    def asset_url(track: str, filename: str) -> str:
        with app.test_request_context():
            return url_for("lessons.asset", track_slug=track, filename=filename)

    catalog = load_catalog(root, asset_url=asset_url)
    for problem in catalog.problems:
        app.logger.warning("lesson left out: %s", problem)
    app.extensions["catalog"] = catalog
    return catalog


def current_catalog() -> Catalog:
    return current_app.extensions["catalog"]
