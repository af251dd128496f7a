"""Reading: the home page, a track page, a lesson page, lesson images, and /healthz."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, send_file

from ..content import Lesson, Track
from ..extensions import db
from ..progress import first_unread
from ..records.classrooms import learner_tracks
from ..records.lesson_records import (
    LessonState,
    lesson_state,
    page_state,
    progress_by_lesson,
    record_faq_opened,
)
from ..web.catalog import current_catalog, find_lesson
from ..web.help_section import learner_help
from ..web.identity import current_learner
from ..web.panel import PanelForm, panel_from_args
from ..web.pending_exchanges import write_pending
from ..web.prepared_page import render_prepared
from ..web.sync_status import SyncStatus
from ..web.task_section import keep_newly_done, task_values

bp = Blueprint("lessons", __name__)


@bp.get("/")
def home():
    """Page: every track with its lessons, reading times and this learner's progress;
    the tracks of the learner's classes first."""
    catalog = current_catalog()
    learner = current_learner()
    class_tracks = learner_tracks(learner)
    # A learner's class tracks come first, the rest in catalog order (sorted() is stable).
    tracks = sorted(catalog.tracks, key=lambda track: track.slug not in class_tracks)
    return render_template("lessons/home.html", tracks=tracks, class_tracks=class_tracks,
                           progress=progress_by_lesson(learner, catalog))


@bp.get("/learn/<track_slug>/")
def track(track_slug: str):
    """Page: one track's lessons in order, with summary, minutes and progress."""
    catalog = current_catalog()
    track = catalog.track(track_slug) or abort(404, "There is no such track.")
    return render_template("lessons/track.html", track=track,
                           progress=progress_by_lesson(current_learner(), catalog))


@bp.get("/learn/<track_slug>/<lesson_slug>")
def lesson(track_slug: str, lesson_slug: str):
    """Page: a lesson with its sections, quiz, FAQ and try-it panel, in this learner's
    state. `?faq=<id>` opens that answer (the FAQ without JavaScript); a preset's values
    or `?run=<id>` fill the panel."""
    track, lesson = find_lesson(track_slug, lesson_slug)
    if lesson.tasks:
        write_pending()  # what this process recorded for tasks, before reading it
    open_faq = request.args.get("faq")
    if open_faq is not None:
        lesson.faq(open_faq) or abort(404, "This lesson has no such question.")
        record_faq_open(lesson, open_faq)
    state = page_state(current_learner(), lesson)
    keep_newly_done(state.lesson)
    panel = panel_from_args(request.args, lesson.key, known=state) if lesson.has_presets else {}
    return render_lesson_page(track, lesson, panel, state.lesson, open_faq=open_faq)


def record_faq_open(lesson: Lesson, faq_id: str) -> None:
    """Count an FAQ answer opened by a learner who already exists: a GET creates no
    learner (a stranger's loop of cookie-less GETs would otherwise fill the table)."""
    learner = current_learner()
    if learner is not None:
        record_faq_opened(learner, lesson, faq_id)
        db.session.commit()


def render_lesson_page(track: Track, lesson: Lesson, panel: dict,
                       state: LessonState | None = None, open_faq: str | None = None):
    """The lesson page prepared once for everyone (web/prepared_page.py), filled in with
    this learner's state (read now if not given)."""
    learner = current_learner()
    if state is None:
        state = lesson_state(learner, lesson)
        keep_newly_done(state)
    learner_values = {
        "quiz": state.quiz, "progress": state.progress, "open_faq": open_faq,
        "continue_at": continue_at(lesson, state),
        "sync": SyncStatus.at(state.last_reached) if state.last_reached else None,
        "help_section": learner_help(lesson), **task_values(lesson, learner, state), **panel}
    return render_prepared(("lesson", lesson.key), "lessons/page.html",
                           lambda: _same_for_everyone(track, lesson), learner_values)


def continue_at(lesson: Lesson, state: LessonState):
    """The section "Continue where you left off" leads to, once the learner began."""
    resume = first_unread(lesson, state.progress) if state.progress.reached else None
    return lesson.section(resume) if resume else None


def _same_for_everyone(track: Track, lesson: Lesson) -> dict:
    # A draft (a teacher's preview) is in no track: it has no neighbours yet.
    previous, following = (None, None) if lesson.draft else track.neighbours(lesson)
    catalog = current_catalog()
    related = [r for key in lesson.related if (r := catalog.lesson_by_key(key)) is not None]
    return {"track": track, "lesson": lesson, "previous": previous, "following": following,
            "related": related, "blank_panel": PanelForm.for_lesson(lesson.key)}


@bp.get("/learn/<track_slug>/assets/<path:filename>")
def asset(track_slug: str, filename: str):
    """An image stored next to a lesson file."""
    path = current_catalog().asset_path(track_slug, filename) or abort(404)
    return send_file(path, max_age=3600)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", lessons=current_catalog().lesson_count)
