"""Reading progress and FAQ answers: what a learner reached and opened."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, request, url_for

from ..extensions import db
from ..records.lesson_records import lesson_state, record_section
from ..web.catalog import find_lesson, lesson_url
from ..web.htmx import fragment_or_redirect
from ..web.identity import ensure_learner
from ..web.prepared_page import render_prepared
from ..web.sync_status import SyncStatus
from ..web.task_section import keep_newly_done
from .lessons import continue_at, record_faq_open

bp = Blueprint("reading", __name__, url_prefix="/learn/<track_slug>/<lesson_slug>")


@bp.post("/sections/<section_id>/reached")
def reached(track_slug: str, lesson_slug: str, section_id: str):
    """Fragment `lessons/_reached.html`: nothing in place (hx-swap none); out of band the
    progress card, the table of contents and this section's read mark.
    Plain form ("Mark as read"): 303 to the next section."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    section = lesson.section(section_id) or abort(404, "This lesson has no such section.")
    learner = ensure_learner()
    record_section(learner, lesson, section.id)
    db.session.commit()  # acknowledged only once stored
    ids = [s.id for s in lesson.sections]
    following = ids[ids.index(section.id) + 1] if section.id != ids[-1] else "quiz"

    def fragment() -> str:
        state = lesson_state(learner, lesson)
        keep_newly_done(state)
        return render_prepared(("reached", lesson.key, section.id), "lessons/_reached.html",
                               lambda: {"lesson": lesson, "section": section},
                               {"progress": state.progress,
                                "continue_at": continue_at(lesson, state),
                                "sync": SyncStatus.at(datetime.now(UTC))})

    return fragment_or_redirect(fragment, lambda: lesson_url(lesson, following))


@bp.get("/faq/<faq_id>")
def faq(track_slug: str, lesson_slug: str, faq_id: str):
    """Fragment `lessons/_faq.html`: replaces `.faq-entry#<id>`, open when `open=1`.
    Without htmx: 303 to the lesson page with that answer open (or all closed)."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    entry = lesson.faq(faq_id) or abort(404, "This lesson has no such question.")
    is_open = request.args.get("open") == "1"
    if is_open:
        record_faq_open(lesson, entry.id)
    location = url_for("lessons.lesson", track_slug=track_slug, lesson_slug=lesson_slug,
                       faq=entry.id if is_open else None, _anchor=entry.id)
    return fragment_or_redirect("lessons/_faq.html", location, lesson=lesson, faq=entry,
                                open_faq=entry.id if is_open else None, autofocus=True)
