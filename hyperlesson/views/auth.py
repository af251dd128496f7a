"""Signing up, logging in and out. Every form also works without JavaScript: a POST
answers 303 when it worked, or the form again with a message and a 4xx."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from ..extensions import db
from ..records import accounts, classrooms
from ..records.budgets import client_network
from ..records.classroom_models import Classroom
from ..records.merge import merge_learner
from ..records.models import Account, new_token
from ..records.ratelimit import FailureLimit, count_failure, failures_spent, minutes_text
from ..web.forms import form_field, render_form
from ..web.identity import (
    anonymous_learner,
    check_new_learner_allowed,
    current_account,
    ensure_learner,
    log_in,
    log_out,
)
from ..web.login import local_path
from ..web.pending_exchanges import write_pending
from ..web.trusted_devices import device_of, trust_this_browser
from .join import WRONG_CODE, code_limits, find_class, wrong_codes_message

bp = Blueprint("auth", __name__)

BAD_LOGIN = "That username and password do not match an account."


def _after_login(account: Account) -> str:
    """`next` if given; else a teacher's "My classes" (what they log in to run), or a
    learner's home page."""
    return local_path(request.values.get("next")) or url_for(
        "teach.home" if account.is_teacher else "lessons.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Page: the login form. POST: 303 to `next` (a path on this site), else a teacher's
    "My classes" or a learner's home page; a wrong username or password is the form again
    with one message and a 422, whichever was wrong; too many failures, a 429."""
    form = {"username": form_field("username"), "next": local_path(request.values.get("next"))}
    if request.method == "GET":
        return render_form("auth/login.html", form)
    write_pending()  # a device's exchanges are written before its learner may merge
    limits = password_limits(form["username"])
    refused = too_many_failures(limits, "auth/login.html", form, "password")
    if refused is not None:
        return refused
    account = accounts.verify(form["username"], form_field("password"))
    if account is None:
        failed(limits)
        return render_form("auth/login.html", form, BAD_LOGIN, field="password", status=422)
    anonymous = None if current_user.is_authenticated else anonymous_learner()
    merged = None
    if anonymous is not None and anonymous.id != account.learner_id:
        merged = merge_learner(anonymous, account.learner)
    log_in(account, remember=request.form.get("remember") == "1")
    db.session.commit()
    flash(f"You are logged in as {account.username}.")
    if merged is not None and merged.anything:
        flash("What you did on this device before logging in is now part of your account."
              + (" The sandbox data on this device was replaced by your account's."
                 if merged.sandbox_replaced else ""))
    return trust_this_browser(redirect(_after_login(account), 303), account.username)


def password_limits(username: str) -> list[FailureLimit]:
    """Wrong passwords (at the login, or from a session: a new password, deleting the
    account), per account and per client network (a class shares one address); from a
    browser the account logged in from before, per that browser (web/trusted_devices.py)."""
    config = current_app.config
    window = config["LOGIN_FAILURE_WINDOW_SECONDS"]
    device = device_of(username)
    if device is not None:
        return [FailureLimit(f"login-fail-device:{device}",
                             config["LOGIN_FAILURES_PER_ACCOUNT"], window)]
    return [FailureLimit(accounts.failures_key(username),
                         config["LOGIN_FAILURES_PER_ACCOUNT"], window),
            FailureLimit(f"login-fail-network:{client_network(request.remote_addr)}",
                         config["LOGIN_FAILURES_PER_NETWORK"], window)]


def too_many_failures(limits: list[FailureLimit], template: str, form: dict, field: str,
                      **context):
    """The form again with a 429 and Retry-After while `limits` are spent, else None."""
    wait = failures_spent(limits)
    if wait is None:
        return None
    response = render_form(template, form, (
        f"Too many wrong passwords; try again in {minutes_text(wait)}. A teacher can set "
        "a new password."), field=field, status=429, **context)
    response.headers["Retry-After"] = str(wait)
    return response


def failed(limits: list[FailureLimit]) -> None:
    """Count a wrong password, committed whatever the request does next."""
    count_failure(limits)
    db.session.commit()


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Page: the sign-up form (403 when HYPERLESSON_SIGNUP is closed). POST: the account,
    with this browser's learner and all it did, in the class whose code was given (a
    code is required when HYPERLESSON_SIGNUP=code), then 303 to `next` or "My
    progress"."""
    if current_app.config["SIGNUP"] == "closed":
        abort(403, "Sign-up is closed on this server: ask your teacher for an account.")
    form = {"username": form_field("username"), "next": local_path(request.values.get("next")),
            "code": request.args.get("code", "")[:40]}
    if request.method == "GET":
        return render_form("auth/signup.html", form)
    if current_user.is_authenticated:
        return render_form("auth/signup.html", form, "You are logged in already: log out "
                           "first to make another account.", status=409)
    if "role" in request.form:
        return render_form("auth/signup.html", form, "A role cannot be chosen when signing "
                           "up: teachers' accounts are made by the school.", status=400)
    password = form_field("password")
    form["code"] = form_field("code")[:40]
    classroom = None
    try:
        if form["code"].strip() or current_app.config["SIGNUP"] == "code":
            classroom = _class_to_join(form["code"])
        accounts.check_username(form["username"])
        accounts.check_password(password, form["username"])
        if password != form_field("confirm"):
            raise accounts.AccountError("The two passwords differ.", "confirm")
        if accounts.find(form["username"]) is not None:
            raise accounts.AccountError("That username is taken; choose another.", "username")
        check_new_learner_allowed()  # a refused sign-up costs no hash
        password_hash = accounts.hash_password(form["username"], password)  # before writing
        learner = ensure_learner()  # within the budgets for new learners
        account = accounts.create(form["username"], password_hash, learner)
    except accounts.AccountError as error:
        db.session.rollback()
        return render_form("auth/signup.html", form, error.message, field=error.field,
                           status=422)
    learner.token = new_token()  # the cookie from before no longer names this learner
    if classroom is not None:
        classrooms.join(classroom, learner)
    log_in(account, remember=False)
    db.session.commit()
    flash(f"Welcome, {account.username}: your progress is kept in your account now."
          + (f" You are in {classroom.name}." if classroom is not None else ""))
    return trust_this_browser(
        redirect(local_path(request.values.get("next")) or url_for("account.me"), 303),
        account.username)


def _class_to_join(code: str) -> Classroom:
    """The class a sign-up joins, or AccountError (a wrong code counts as a guess)."""
    wait = failures_spent(code_limits())
    if wait is not None:
        raise accounts.AccountError(wrong_codes_message(wait), "code")
    if not code.strip():
        raise accounts.AccountError("Sign-up on this server needs your class's join code: "
                                    "ask your teacher for it.", "code")
    classroom = find_class(code)
    if classroom is None:
        db.session.commit()  # the wrong guess is counted
        raise accounts.AccountError(WRONG_CODE, "code")
    return classroom


@bp.post("/logout")
def logout():
    """303 to the home page, logged out on every device (every remember-me cookie of the
    account ends). Logged out already: 400 with a message."""
    if not current_user.is_authenticated:
        abort(400, "You are logged out already.")
    accounts.end_sessions(current_account())
    db.session.commit()
    log_out()
    flash("You are logged out.")
    return redirect(url_for("lessons.home"), 303)
