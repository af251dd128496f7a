"""Reading: the home page, a track page, a lesson page, lesson images, and /healthz."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, send_file

from .. import progress as progress_
from ..catalog_setup import current_catalog

bp = Blueprint("lessons", __name__)


@bp.get("/")
def home():
    """Page: every track with its lessons and reading times."""
    return render_template("lessons/home.html", tracks=current_catalog().tracks)


@bp.get("/learn/<track_slug>/")
def track(track_slug: str):
    """Page: one track's lessons in order, with summary and minutes."""
    track = current_catalog().track(track_slug) or abort(404, "There is no such track.")
    return render_template("lessons/track.html", track=track)


@bp.get("/learn/<track_slug>/<lesson_slug>")
def lesson(track_slug: str, lesson_slug: str):
    """Page: a lesson with its sections, quiz and FAQ."""
    catalog = current_catalog()
    track = catalog.track(track_slug) or abort(404, "There is no such track.")
    g.track = track  # lets a 404 page link back to the track
    lesson = track.lesson(lesson_slug) or abort(404, "This track has no such lesson.")
    previous, following = track.neighbours(lesson)
    related = [r for key in lesson.related if (r := catalog.lesson_by_key(key)) is not None]
    return render_template("lessons/page.html", track=track, lesson=lesson,
                           previous=previous, following=following, related=related,
                           progress=progress_.compute(lesson))


@bp.get("/learn/<track_slug>/assets/<path:filename>")
def asset(track_slug: str, filename: str):
    """An image stored next to a lesson file."""
    path = current_catalog().asset_path(track_slug, filename) or abort(404)
    return send_file(path, max_age=3600)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", lessons=current_catalog().lesson_count)
