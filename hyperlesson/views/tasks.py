"""Tasks: the poll that shows a lesson's tasks turning done while the page is open.

The learner's requests reach the sandbox from anywhere (curl, a script, the panel);
the sandbox records those a task fits (web/task_recorder.py) and this poll grades them.
"""

from __future__ import annotations

from flask import Blueprint, render_template, session

from ..records.lesson_records import lesson_state
from ..records.task_records import newest_exchange_id
from ..web.catalog import find_lesson, lesson_url
from ..web.htmx import fragment, is_htmx, see_other, shows_version, unchanged
from ..web.identity import SESSION_KEY, current_account, current_learner
from ..web.pending_exchanges import write_pending
from ..web.task_section import keep_newly_done, task_values
from .lessons import continue_at

bp = Blueprint("tasks", __name__)


@bp.get("/learn/<track_slug>/<lesson_slug>/tasks")
def poll(track_slug: str, lesson_slug: str):
    """Fragment `lessons/_task_updates.html`: replaces `#task-poll`, with each task's
    state and the progress card out of band; 204 while `?v=` is the newest exchange the
    page has graded. Without htmx: 303 to the lesson's first task."""
    _track, lesson = find_lesson(track_slug, lesson_slug)
    if not is_htmx() or not lesson.tasks:
        anchor = lesson.tasks[0].id if lesson.tasks else None
        return see_other(lesson_url(lesson, anchor))
    write_pending()  # what this process recorded: a list check when nothing waits
    if shows_version(str(_newest_exchange())):
        return unchanged()
    response = fragment("lessons/_task_updates.html", **update_values(lesson, poll_oob=False))
    response.headers["Cache-Control"] = "no-store"
    return response


def _newest_exchange() -> int:
    """The learner's newest recorded exchange, in one query and without loading them."""
    account = current_account()
    if account is not None:
        return newest_exchange_id(learner_id=account.learner_id)
    token = session.get(SESSION_KEY)
    return newest_exchange_id(token=token) if isinstance(token, str) else 0


def update_values(lesson, poll_oob: bool) -> dict:
    learner = current_learner()
    state = lesson_state(learner, lesson)
    keep_newly_done(state)
    return {"lesson": lesson, "progress": state.progress, "quiz": state.quiz,
            "continue_at": continue_at(lesson, state), "poll_oob": poll_oob,
            **task_values(lesson, learner, state)}


def with_task_updates(response, lesson):
    """`response` (the panel's, after a send) with the tasks' new states out of band,
    when the panel sits in a lesson with tasks."""
    if lesson is not None and lesson.tasks and response.status_code == 200:
        write_pending()  # the send the panel just made, among others of this process
        html = render_template("lessons/_task_updates.html",
                               **update_values(lesson, poll_oob=True))
        response.set_data(response.get_data() + html.encode())
    return response
