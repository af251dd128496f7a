"""A teacher's classes: create, rename, archive, join codes, tracks, members.

Every route is a teacher's only (`teacher_class` 404s another teacher's class id; a
learner's account gets 403), and every change is a plain form: 303 back to the class
page, or the page again with a message and a 4xx."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..extensions import db
from ..records import accounts, classrooms
from ..records.classroom_models import Classroom
from ..web.catalog import current_catalog
from ..web.dashboard import class_board
from ..web.help_section import teacher_queue
from ..web.identity import current_account

bp = Blueprint("teach", __name__, url_prefix="/teach")


def teacher_only(view):
    """Log in first (303 to the login page); a learner's account gets a 403."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_account().is_teacher:
            abort(403, "This page is for teachers.")
        return view(*args, **kwargs)
    return wrapped


def own_class(class_id: int) -> Classroom:
    return (classrooms.teacher_class(current_account(), class_id)
            or abort(404, "You have no such class."))


def own_member(classroom: Classroom, learner_id: int) -> classrooms.Member:
    return (classrooms.member(classroom, learner_id)
            or abort(404, "This class has no such learner."))


def _class_page(classroom: Classroom, error: str | None = None, status: int = 200):
    """The class page: settings and members here; the live progress table
    (web/dashboard.py) and the help requests (web/help_section.py) prepared beside."""
    return render_template(
        "teach/class.html", classroom=classroom, code=classrooms.shown_code(
            classroom.join_code), members=classrooms.members(classroom),
        tracks=current_catalog().tracks, chosen=set(classrooms.tracks(classroom)),
        board=class_board(classroom), help_queue=teacher_queue(classroom),
        error=error), status


@bp.get("/")
@teacher_only
def home():
    """Page: the teacher's classes (archived last) and a form to create one."""
    return render_template("teach/home.html",
                           classes=classrooms.teacher_classes(current_account()),
                           drafts=current_catalog().drafts)


@bp.post("/classes")
@teacher_only
def create():
    """303 to the new class's page; an empty or overlong name: the list again, 422."""
    try:
        classroom = classrooms.create(current_account(), request.form.get("name", "")[:500])
    except classrooms.ClassError as error:
        db.session.rollback()
        return render_template("teach/home.html", error=str(error),
                               classes=classrooms.teacher_classes(current_account())), 422
    db.session.commit()
    flash(f"The class {classroom.name} is ready. Its join code is "
          f"{classrooms.shown_code(classroom.join_code)}.")
    return redirect(url_for("teach.show", class_id=classroom.id), 303)


@bp.get("/classes/<int:class_id>")
@teacher_only
def show(class_id: int):
    """Page: the class: its code, tracks, learners and their progress, help requests."""
    return _class_page(own_class(class_id))


@bp.post("/classes/<int:class_id>/settings")
@teacher_only
def settings(class_id: int):
    """One form per action, told apart by `action`: rename, archive, restore,
    new-code, code-off, tracks. 303 back to the class page."""
    classroom = own_class(class_id)
    action = request.form.get("action", "")
    try:
        message = _apply(classroom, action)
    except classrooms.ClassError as error:
        db.session.rollback()
        return _class_page(classroom, str(error), 422)
    db.session.commit()
    flash(message)
    return redirect(url_for("teach.show", class_id=classroom.id), 303)


def _apply(classroom: Classroom, action: str) -> str:
    if action == "rename":
        classroom.name = classrooms.check_name(request.form.get("name", "")[:500])
        return f"The class is now called {classroom.name}."
    if action in ("archive", "restore"):
        classroom.archived = action == "archive"
        return ("The class is archived: nobody can join it." if classroom.archived
                else "The class is active again.")
    if action in ("new-code", "code-off") and classroom.archived:
        raise classrooms.ClassError("The class is archived, so nobody can join it: make it "
                                    "active again first, then make a new code.")
    if action == "new-code":
        code = classrooms.regenerate_code(classroom)
        return f"The new join code is {classrooms.shown_code(code)}; the old one no longer works."
    if action == "code-off":
        classrooms.turn_off_code(classroom)
        return "Joining is off. Make a new code to let learners join again."
    if action == "tracks":
        known = {track.slug for track in current_catalog().tracks}
        classrooms.set_tracks(classroom, [slug for slug in request.form.getlist("track")
                                          if slug in known])
        return "The class's tracks are saved."
    raise classrooms.ClassError("That is not something a class can do.")


@bp.post("/classes/<int:class_id>/learners/<int:learner_id>/remove")
@teacher_only
def remove(class_id: int, learner_id: int):
    """303 back to the class page, without that learner (their account stays)."""
    classroom = own_class(class_id)
    member = own_member(classroom, learner_id)
    classrooms.remove(classroom, member.learner)
    db.session.commit()
    flash(f"{member.name} is no longer in {classroom.name}.")
    return redirect(url_for("teach.show", class_id=classroom.id), 303)


@bp.post("/classes/<int:class_id>/learners/<int:learner_id>/password")
@teacher_only
def set_password(class_id: int, learner_id: int):
    """A new password for a learner of this class (there is no email to reset it):
    303 back, the learner logged out everywhere; a password that breaks a rule: 422."""
    classroom = own_class(class_id)
    member = own_member(classroom, learner_id)
    if member.account.is_teacher:
        abort(403, "A teacher's password is theirs to change (or the school's, with flask "
                   "users set-password).")
    try:
        accounts.set_password(member.account, request.form.get("password", "")[:1024])
    except accounts.AccountError as error:
        db.session.rollback()
        return _class_page(classroom, f"{member.name}: {error.message}", 422)
    db.session.commit()
    flash(f"{member.name} has a new password. Tell them, and ask them to change it.")
    return redirect(url_for("teach.show", class_id=classroom.id), 303)
