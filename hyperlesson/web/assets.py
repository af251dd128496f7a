"""Static files under fingerprinted URLs, and the URLs every page shares.

`static_url("css/app.css")` is `/static/css/app.css?v=<hash of the file>`: a URL names
one version of a file for ever, so a browser keeps it a year without asking again
(`Cache-Control: immutable`) and a second page load fetches nothing but its HTML; a
changed file gets a new URL. The development server (`make run`) skips the long
caching, so an edited stylesheet shows on the next reload.

URLs are looked up once, without a path prefix, and take this request's prefix
(`SCRIPT_NAME`, or a trusted proxy's X-Forwarded-Prefix) when used.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, request, url_for

YEAR = 365 * 24 * 3600


def path_prefix() -> str:
    """Where this app is mounted: "" at the root, "/school" behind a proxy's prefix
    (as url_for puts it: not quoted; templates escape it)."""
    return request.script_root


def fingerprints(folder: Path) -> dict[str, str]:
    """Each file's name (with "/" between folders) and the start of its SHA-256."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            for path in sorted(folder.rglob("*")) if path.is_file()}


def init_app(app: Flask) -> None:
    versions = fingerprints(Path(app.static_folder))
    long_caching = app.config["CACHE_STATIC_FOR_A_YEAR"]

    @cache
    def static_path(filename: str) -> str:
        with app.test_request_context():
            return url_for("static", filename=filename, v=versions.get(filename))

    @cache
    def page_path(endpoint: str) -> str:
        with app.test_request_context():
            return url_for(endpoint)

    def static_url(filename: str) -> str:
        return path_prefix() + static_path(filename)

    def page_url(endpoint: str) -> str:
        return path_prefix() + page_path(endpoint)

    app.jinja_env.globals.update(static_url=static_url, page_url=page_url)

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if (long_caching and request.endpoint == "static" and response.status_code == 200
                and request.args.get("v") == versions.get(request.view_args["filename"])):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
