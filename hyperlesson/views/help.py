"""Need help?: a learner in a class asks about a lesson; their teacher answers.

Learner routes sit under the lesson's URL, teacher routes under the class's; both poll
with `?v=<fingerprint>` and get a bodiless 204 while nothing changed (htmx 4 swaps
nothing on a 204). Every change is also a plain form: 303 back to `#help`."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    flash,
    request,
    url_for,
)
from flask_login import login_required

from ..content import Lesson
from ..extensions import db
from ..records import classrooms
from ..records import help as help_records
from ..records.classroom_models import Classroom
from ..web.catalog import find_lesson, lesson_url
from ..web.help_section import HelpForm, learner_help, teacher_queue
from ..web.htmx import (
    fragment,
    fragment_or_redirect,
    is_htmx,
    render,
    see_other,
    shows_version,
    unchanged,
)
from ..web.identity import current_account
from .teach import own_class, teacher_only

bp = Blueprint("help", __name__)

NOT_IN_A_CLASS = ("Only a learner in a class can ask here, and their teacher answers. "
                  "Join your teacher's class with its code first (the Join page).")
SENT = "Your question is sent. Your teacher's answer will show here."


@bp.get("/learn/<track_slug>/<lesson_slug>/help")
def requests(track_slug: str, lesson_slug: str):
    """Fragment `help/_requests.html`: replaces `#help-requests` (the poll); a 204 while
    `?v=` is what the learner already sees. Without htmx: 303 to the lesson's #help."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    if not is_htmx():
        return see_other(lesson_url(lesson, "help"))
    account = current_account()
    if account is not None and shows_version(
            help_records.learner_version(account.learner, lesson.key)):
        return unchanged()
    return fragment("help/_requests.html", help_section=learner_help(lesson))


@bp.post("/learn/<track_slug>/<lesson_slug>/help")
@login_required
def ask(track_slug: str, lesson_slug: str):
    """Fragment `help/_section.html`: replaces `#help`; plain form: 303 to #help. An
    empty or overlong question, an unknown section or class: 422 with the form again,
    nothing stored. A learner in no class: 403."""
    track, lesson = find_lesson(track_slug, lesson_slug)
    learner = current_account().learner
    classes = classrooms.learner_classes(learner) or abort(403, NOT_IN_A_CLASS)
    question = request.form.get("question", "")
    # What goes back into the form: a crafted 500 KB question is not echoed whole.
    form = HelpForm(question=question[:2 * help_records.QUESTION_LENGTH],
                    section_id=request.form.get("section", "")[:200],
                    class_id=request.form.get("class", "")[:20])
    try:
        help_records.ask(learner, _chosen_class(classes, form.class_id), lesson.key,
                         _chosen_section(lesson, form.section_id), question)
    except help_records.HelpError as error:
        db.session.rollback()
        form = replace(form, error=str(error))
        return render("help/page.html", "help/_section.html", 422, track=track,
                      lesson=lesson, help_section=learner_help(lesson, form))
    db.session.commit()
    if not is_htmx():
        flash(SENT)
    return fragment_or_redirect("help/_section.html", lesson_url(lesson, "help"),
                                help_section=learner_help(lesson, notice=SENT))


def _chosen_class(classes: list[Classroom], class_id: str) -> Classroom:
    if not class_id and len(classes) == 1:
        return classes[0]
    chosen = next((c for c in classes if str(c.id) == class_id), None)
    if chosen is None:
        raise help_records.HelpError("Choose which of your classes to ask.")
    return chosen


def _chosen_section(lesson: Lesson, section_id: str) -> str | None:
    if not section_id:
        return None  # about the whole lesson
    if lesson.section(section_id) is None:
        raise help_records.HelpError("This lesson has no such section; choose one from "
                                     "the list.")
    return section_id


@bp.get("/teach/classes/<int:class_id>/help")
@teacher_only
def queue(class_id: int):
    """Fragment `teach/_help_queue.html`: replaces `#help` on the class page (the poll);
    a 204 while `?v=` is current. Without htmx: 303 to the class page's #help."""
    classroom = own_class(class_id)
    if not is_htmx():
        return see_other(_class_url(classroom))
    if shows_version(help_records.class_version(classroom)):
        return unchanged()
    return fragment("teach/_help_queue.html", help_queue=teacher_queue(classroom))


@bp.post("/teach/classes/<int:class_id>/help/<int:help_id>/answer")
@teacher_only
def answer(class_id: int, help_id: int):
    """Fragment `teach/_help_queue.html`: replaces `#help`; plain form: 303 to the class
    page's #help. An empty or overlong answer: 422 with the card, the answer kept."""
    classroom = own_class(class_id)
    asked = _own_request(classroom, help_id)
    text = request.form.get("answer", "")
    try:
        help_records.answer(asked, text)
    except help_records.HelpError as error:
        db.session.rollback()
        return render("help/answer.html", "teach/_help_queue.html", 422,
                      classroom=classroom, help_queue=teacher_queue(
                          classroom, str(error), error_for=help_id,
                          draft=text[:2 * help_records.ANSWER_LENGTH]))
    db.session.commit()
    return _queue_after(classroom, "Your answer is sent; the learner sees it on the "
                                   "lesson page.")


@bp.post("/teach/classes/<int:class_id>/help/<int:help_id>/resolve")
@teacher_only
def resolve(class_id: int, help_id: int):
    """Fragment `teach/_help_queue.html`: replaces `#help`; plain form: 303 to #help."""
    classroom = own_class(class_id)
    help_records.resolve(_own_request(classroom, help_id))
    db.session.commit()
    return _queue_after(classroom, "The help request is marked resolved.")


def _own_request(classroom: Classroom, help_id: int):
    return (help_records.class_request(classroom, help_id)
            or abort(404, "This class has no such help request."))


def _queue_after(classroom: Classroom, message: str):
    if not is_htmx():
        flash(message)
    return fragment_or_redirect("teach/_help_queue.html", _class_url(classroom),
                                help_queue=teacher_queue(classroom))


def _class_url(classroom: Classroom) -> str:
    return url_for("teach.show", class_id=classroom.id, _anchor="help")
