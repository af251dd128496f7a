"""Joining a class with its code: /join, or at sign-up (HYPERLESSON_SIGNUP=code)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from ..extensions import db
from ..records import classrooms
from ..records.budgets import client_network
from ..records.classroom_models import Classroom
from ..records.ratelimit import FailureLimit, count_failure, failures_spent, minutes_text
from ..web.identity import current_account

bp = Blueprint("join", __name__)

WRONG_CODE = ("No open class has that code. Check it with your teacher: a code looks like "
              "ABCD-EFGH.")


def code_limits() -> list[FailureLimit]:
    config = current_app.config
    return [FailureLimit(f"join-fail:{client_network(request.remote_addr)}",
                         config["JOIN_FAILURES_PER_NETWORK"],
                         config["JOIN_FAILURE_WINDOW_SECONDS"])]


def wrong_codes_message(wait: int) -> str:
    return f"Too many wrong codes from your network; try again in {minutes_text(wait)}."


def find_class(code: str) -> Classroom | None:
    """The class with this code; a wrong one is counted against the network."""
    classroom = classrooms.by_code(code)
    if classroom is None:
        count_failure(code_limits())
    return classroom


def _form(code: str, error: str | None = None, status: int = 200):
    return make_response(render_template("join/page.html", code=code, error=error), status)


@bp.get("/join")
def page():
    """Page: the code form (logged in), or where to sign up or log in to join."""
    return _form(request.args.get("code", "")[:40])


@bp.post("/join")
@login_required
def join():
    """303 to "My progress" in the class; a wrong, regenerated or turned-off code: the
    form again with 422; too many wrong codes from one network: 429."""
    code = request.form.get("code", "")[:40]
    wait = failures_spent(code_limits())
    if wait is not None:
        response = _form(code, wrong_codes_message(wait), 429)
        response.headers["Retry-After"] = str(wait)
        return response
    classroom = find_class(code)
    if classroom is None:
        db.session.commit()  # the wrong guess is counted
        return _form(code, WRONG_CODE, 422)
    joined = classrooms.join(classroom, current_account().learner)
    db.session.commit()
    flash(f"You joined {classroom.name}." if joined else f"You are in {classroom.name} already.")
    return redirect(url_for("account.me"), 303)
