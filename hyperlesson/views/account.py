"""A logged-in learner's own pages: their progress, a new password, deleting it all."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..extensions import db
from ..records import accounts, classrooms
from ..sandbox.store import drop_datasets
from ..web.catalog import current_catalog
from ..web.forms import form_field, render_form
from ..web.identity import current_account, log_in, log_out
from ..web.pending_exchanges import write_pending
from ..web.progress_report import lessons_touched
from .auth import failed, password_limits, too_many_failures

bp = Blueprint("account", __name__, url_prefix="/me")

@bp.get("")
@login_required
def me():
    """Page: every lesson this learner touched, with percent complete, quiz score and a
    "Continue" link; the account's settings."""
    account = current_account()
    write_pending()  # this process's recorded exchanges, graded below
    rows = lessons_touched(account.learner, current_catalog())
    db.session.commit()  # tasks that grading found done stay done
    return render_template("account/me.html", account=account, rows=rows)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Page: change the password (the old one first). POST: 303 to "My progress", logged
    out everywhere else; a wrong old password or a new one that breaks a rule: 422."""
    if request.method == "GET":
        return render_form("account/password.html", {})
    account = current_account()
    limits = password_limits(account.username)
    refused = too_many_failures(limits, "account/password.html", {}, "current")
    if refused is not None:
        return refused
    if accounts.verify(account.username, form_field("current")) is None:
        failed(limits)
        return render_form("account/password.html", {}, "The current password is wrong.",
                           field="current", status=422)
    new = form_field("password")
    try:
        if new != form_field("confirm"):
            raise accounts.AccountError("The two new passwords differ.", "confirm")
        accounts.set_password(account, new)
    except accounts.AccountError as error:
        db.session.rollback()
        return render_form("account/password.html", {}, error.message, field=error.field,
                           status=422)
    remembered = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME",
                                                            "remember_token")) is not None
    db.session.commit()
    log_in(account, remember=remembered)  # this browser stays logged in, with the new id
    flash("Your password is changed. Every other browser logged in to this account is "
          "logged out.")
    return redirect(url_for("account.me"), 303)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Page: delete the account with everything it did (asks for the password). POST:
    303 to the home page; a wrong password: 422, nothing deleted."""
    account = current_account()
    # A teacher's classes go with the account (ON DELETE CASCADE): the page names them.
    classes = classrooms.teacher_classes(account) if account.is_teacher else []
    if request.method == "GET":
        return render_form("account/delete.html", {}, classes=classes)
    limits = password_limits(account.username)
    refused = too_many_failures(limits, "account/delete.html", {}, "password",
                                classes=classes)
    if refused is not None:
        return refused
    if accounts.verify(account.username, form_field("password")) is None:
        failed(limits)
        return render_form("account/delete.html", {}, "The password is wrong; nothing was "
                           "deleted.", field="password", status=422, classes=classes)
    name = account.username
    deleted = accounts.delete(account)
    drop_datasets([deleted.sandbox_key])
    db.session.commit()
    log_out()
    flash(f"The account {name} and everything it did are deleted.")
    return redirect(url_for("lessons.home"), 303)
