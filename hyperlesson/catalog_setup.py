"""Build the catalog once at start-up and make it reachable from views."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, g, render_template, url_for

from .content import Catalog, Lesson, Preset, Track, load_catalog


def init_catalog(app: Flask, root: Path) -> Catalog:
    def asset_url(track: str, filename: str) -> str:
        with app.test_request_context():
            return url_for("lessons.asset", track_slug=track, filename=filename)

    def render_preset(preset: Preset, track_slug: str, lesson_slug: str) -> str:
        # Rendered once, so it holds no per-learner value (no CSRF token: htmx sends the
        # header; without JavaScript the form only fills the panel, by GET).
        with app.test_request_context():
            return render_template("tryit/_preset.html", preset=preset,
                                   track_slug=track_slug, lesson_slug=lesson_slug)

    catalog = load_catalog(root, asset_url=asset_url, render_preset=render_preset)
    for problem in catalog.problems:
        app.logger.warning("lesson left out: %s", problem)
    app.extensions["catalog"] = catalog
    return catalog


def current_catalog() -> Catalog:
    return current_app.extensions["catalog"]


def find_lesson(track_slug: str, lesson_slug: str) -> tuple[Track, Lesson]:
    """The track and lesson named in a URL, or a 404 that links back to what exists."""
    track = current_catalog().track(track_slug) or abort(404, "There is no such track.")
    g.track = track  # lets the 404 page link back to the track
    lesson = track.lesson(lesson_slug) or abort(404, "This track has no such lesson.")
    return track, lesson


def lesson_url(lesson: Lesson, anchor: str | None = None) -> str:
    return url_for("lessons.lesson", track_slug=lesson.track_slug, lesson_slug=lesson.slug,
                   _anchor=anchor)
