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
from ..records.ratelimit import counted, hit
from ..web.identity import current_account

bp = Blueprint("join", __name__)

WRONG_CODE = ("No open class has that code. Check it with your teacher: a code looks like "
              "ABCD-EFGH.")


def code_refusal() -> tuple[str, int] | None:
    """(message, seconds to wait) once this network guessed too many wrong codes."""
    key = f"join-fail:{client_network(request.remote_addr)}"
    failures, retry_after = counted(key, current_app.config["JOIN_FAILURE_WINDOW_SECONDS"])
    if failures < current_app.config["JOIN_FAILURES_PER_NETWORK"]:
        return None
    minutes = -(-retry_after // 60)
    return (f"Too many wrong codes from your network; try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.", retry_after)


def find_class(code: str) -> Classroom | None:
    """The class with this code; a wrong one is counted against the network."""
    classroom = classrooms.by_code(code)
    if classroom is None:
        config = current_app.config
        hit(f"join-fail:{client_network(request.remote_addr)}",
            config["JOIN_FAILURES_PER_NETWORK"], config["JOIN_FAILURE_WINDOW_SECONDS"])
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
    refusal = code_refusal()
    if refusal is not None:
        response = _form(code, refusal[0], 429)
        response.headers["Retry-After"] = str(refusal[1])
        return response
    classroom = find_class(code)
    if classroom is None:
        db.session.commit()  # the wrong guess is counted
        return _form(code, WRONG_CODE, 422)
    joined = classrooms.join(classroom, current_account().learner)
    db.session.commit()
    flash(f"You joined {classroom.name}." if joined else f"You are in {classroom.name} already.")
    return redirect(url_for("account.me"), 303)
