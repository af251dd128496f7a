"""The quiz: answer a question, start over."""

from __future__ import annotations

from flask import Blueprint, abort, request

from ..content import Lesson, Question
from ..extensions import db
from ..quiz import UnknownOption, grade
from ..records.lesson_records import clear_answers, lesson_state, record_attempt
from ..records.models import Learner
from ..web.catalog import find_lesson, lesson_url
from ..web.htmx import fragment_or_redirect
from ..web.identity import ensure_learner
from ..web.prepared_page import render_prepared
from ..web.task_section import keep_newly_done
from .lessons import continue_at

bp = Blueprint("quiz", __name__, url_prefix="/learn/<track_slug>/<lesson_slug>/quiz")


@bp.post("/<question_id>")
def answer(track_slug: str, lesson_slug: str, question_id: str):
    """Fragment `lessons/_answer.html`: replaces `.question#<id>`, and out of band the
    score, the progress card and the verdict's live region. Plain form: 303 to #<id>."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    question = lesson.question(question_id) or abort(404, "This lesson has no such question.")
    try:
        feedback = grade(question, request.form.get("choice", ""))
    except UnknownOption as error:
        abort(422, str(error))
    learner = ensure_learner()
    record_attempt(learner, lesson, question.id, feedback.option.key, feedback.correct)
    db.session.commit()
    return fragment_or_redirect(lambda: _answer(learner, lesson, question),
                                lambda: lesson_url(lesson, question.id))


def _answer(learner: Learner, lesson: Lesson, question: Question) -> str:
    state = lesson_state(learner, lesson)
    keep_newly_done(state)
    return render_prepared(("answer", lesson.key, question.id), "lessons/_answer.html",
                           lambda: {"lesson": lesson, "question": question},
                           {"quiz": state.quiz, "progress": state.progress,
                            "continue_at": continue_at(lesson, state)})


@bp.post("/start-over")
def start_over(track_slug: str, lesson_slug: str):
    """Fragment `lessons/_quiz.html`: replaces `#quiz`, and the progress card out of band.
    Plain form: 303 to #quiz."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    learner = ensure_learner()
    clear_answers(learner, lesson)
    db.session.commit()
    state = lesson_state(learner, lesson)
    keep_newly_done(state)
    return fragment_or_redirect("lessons/_quiz_reset.html", lesson_url(lesson, "quiz"),
                                lesson=lesson, quiz=state.quiz, progress=state.progress,
                                continue_at=continue_at(lesson, state),
                                announcement="Your answers were cleared.")
