"""The try-it panel: send a request to the sandbox in-process, show every detail."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, redirect, request, url_for

from ..extensions import db
from ..records.cookie_jars import JAR_JSON, clear_jar, jar_from_json, save_jar
from ..records.ratelimit import hit
from ..records.tryit_runs import find_run, recent_runs, save_run
from ..tryit.client import send as send_in_process
from ..tryit.request import TryItError, TryRequest, validate
from ..web.catalog import current_catalog
from ..web.htmx import is_htmx, render
from ..web.identity import ensure_learner
from ..web.panel import (
    COOKIES_CLEARED,
    PanelForm,
    base_url,
    panel_context,
    panel_from_args,
    sandbox_url,
)
from .lessons import render_lesson_page
from .tasks import with_task_updates

bp = Blueprint("tryit", __name__, url_prefix="/tryit")

CUT_RUN = ("Only the start of this request's body or headers was kept in your history, so it "
           "cannot be sent again as it was. The form shows what was kept: complete it and "
           "send.")


@bp.get("")
def page():
    """Page: the panel on its own, with a stored result (`?run=`) or preset values."""
    return _tryit_page(panel_from_args(request.args))


@bp.post("/send")
def send():
    """Fragment `tryit/_panel.html`: replaces `#tryit` with the form and the result.
    Plain form: 303 to the page it came from with `?run=<id>#tryit`. A refused request
    (bad input, too many requests): the panel with the message and a 4xx, nothing stored."""
    learner = ensure_learner()
    replay = request.form.get("replay", type=int)
    if replay is not None:
        run = find_run(learner, replay) or abort(404, "There is no such request in your history.")
        form = PanelForm.from_run(run, request.form.get("lesson", ""))
        if not run.whole:
            return _panel_response(form, status=422, error=CUT_RUN)
    else:
        form = PanelForm.from_values(request.form)
    try:
        try_request = validate(form.method, form.path, form.headers, form.body)
    except TryItError as error:
        return _panel_response(form, status=error.status, error=error.message)
    limit = current_app.config["TRYIT_RATE_LIMIT"]
    # The jar is read in the counting statement, as it stands once the send is counted.
    verdict = hit(f"tryit:{learner.id}", limit, read=JAR_JSON,
                  params={"learner_id": learner.id})
    db.session.commit()  # before the sandbox writes: SQLite lets one connection at a time
    if not verdict.allowed:
        response = _panel_response(form, status=429, error=(
            f"That is more than {limit} requests in a minute. Wait {verdict.retry_after} "
            "seconds, then send again."))
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response
    jar = jar_from_json(verdict.read)
    before = jar.as_dicts()
    exchange = send_in_process(try_request, current_app.extensions["sandbox"],
                               base_url=base_url(), sandbox_key=learner.sandbox_key,
                               follow_redirects=form.follow, jar=jar)
    if jar.as_dicts() != before:  # most sends set no cookie: nothing to write
        save_jar(learner, jar)
    run_id = save_run(learner, form.follow, exchange)
    # Read before the commit: the run just stored is in it, and no new transaction starts.
    history = recent_runs(learner) if is_htmx() else None
    db.session.commit()
    if history is not None:
        return with_task_updates(_panel_response(form, exchange=exchange, jar=jar,
                                                 history=history), _lesson(form.lesson))
    return redirect(_back_url(form.lesson, run=run_id, section=form.section or None), 303)


@bp.post("/reset")
def reset():
    """Fragment `tryit/_panel.html` with a notice; plain form: 303 back with `?reset=1`."""
    learner = ensure_learner()
    db.session.commit()
    form = PanelForm.for_lesson(request.form.get("lesson", ""))
    # Through the sandbox's own API, as a learner's POST /sandbox/users/reset would go.
    done = send_in_process(TryRequest("POST", "/sandbox/users/reset", (), ""),
                           current_app.extensions["sandbox"], base_url=base_url(),
                           sandbox_key=learner.sandbox_key)
    if done.response.status != 200:
        return _panel_response(form, status=done.response.status, error=(
            "The sandbox could not reset your data just now; try again in a moment."))
    if is_htmx():
        return _panel_response(form, notice="Your sandbox data is back to the sample users.")
    return redirect(_back_url(form.lesson, reset=1), 303)


@bp.post("/cookies/clear")
def clear_cookies():
    """Fragment `tryit/_panel.html` with an empty cookie jar and a notice; plain form:
    303 back with `?cookies=cleared`."""
    learner = ensure_learner()
    clear_jar(learner)
    db.session.commit()
    form = PanelForm.for_lesson(request.form.get("lesson", ""))
    if is_htmx():
        return _panel_response(form, notice=COOKIES_CLEARED)
    return redirect(_back_url(form.lesson, cookies="cleared"), 303)


def _lesson(key: str):
    lesson = current_catalog().lesson_by_key(key) if key else None
    return lesson if lesson is not None and lesson.has_presets else None


def _back_url(lesson_key: str, **args) -> str:
    lesson = _lesson(lesson_key)
    if lesson is None:
        return url_for("tryit.page", **args, _anchor="tryit")
    return url_for("lessons.lesson", track_slug=lesson.track_slug, lesson_slug=lesson.slug,
                   **args, _anchor="tryit")


def _panel_response(form: PanelForm, status: int = 200, **context):
    """The panel in place (htmx), or the whole page it belongs to."""
    panel = panel_context(form, **context)
    lesson = None if is_htmx() else _lesson(form.lesson)
    if lesson is None:
        return _tryit_page(panel, status)
    track = current_catalog().track(lesson.track_slug)
    return make_response(render_lesson_page(track, lesson, panel), status)


def _tryit_page(panel: dict, status: int = 200):
    """The /tryit page, or its panel alone to htmx."""
    # Only the page shows the sandbox's URL (request.host_url is not free: every send).
    page_only = {} if is_htmx() else {"sandbox_url": sandbox_url()}
    return render("tryit/page.html", "tryit/_panel.html", status=status, **page_only, **panel)
