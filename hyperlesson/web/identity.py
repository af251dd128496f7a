"""Who is learning: the logged-in account's learner, or an anonymous learner known by a
random token in the signed session cookie. The token is handed out with the first page;
the row is created on the first interaction, by token, so two first requests at once
still make one learner. Logging in and out starts a new session (a new token, a new
CSRF token): nothing from before carries over but what the account merged."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, func, select
from werkzeug.exceptions import TooManyRequests

from ..extensions import db
from ..records.budgets import spend
from ..records.models import Account, Learner, new_token
from ..records.upsert import insert_once
from ..timestamps import utcnow
from .errors import InsufficientStorage

SESSION_KEY = "learner"
# Built once: every page and interaction looks its learner up by token.
_LEARNER_BY_TOKEN = select(Learner).where(Learner.token == bindparam("token"))
SEEN_EVERY = timedelta(hours=1)  # last_seen_at moves at most this often: one write an hour


def learner_token() -> str:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = new_token()
        session[SESSION_KEY] = token
        session.permanent = True
    return token


def current_account() -> Account | None:
    """The logged-in account itself (not Flask-Login's proxy), or None."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def current_learner() -> Learner | None:
    """The learner of this request, or None for a visitor who has not interacted yet."""
    if "learner" not in g:
        account = current_account()
        if account is not None:
            g.learner = account.learner  # loaded with the account, in one query
        else:
            g.learner = anonymous_learner()
    return g.learner


def anonymous_learner() -> Learner | None:
    """The learner this browser's session token names, if it made one."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    return db.session.scalar(_LEARNER_BY_TOKEN, {"token": token})


def log_in(account: Account, remember: bool) -> None:
    """A new session for `account`: nothing of the anonymous one is kept."""
    session.clear()
    login_user(account, remember=remember)
    g.learner = account.learner


def log_out() -> None:
    logout_user()
    session.clear()
    g.pop("learner", None)


def ensure_learner() -> Learner:
    """The learner of this request, created on a first interaction within the budgets
    (budgets.py): past them, a 429 or 507 with a message, and nothing is created."""
    learner = current_learner()
    if learner is None:
        _spend_new_learner()
        token = learner_token()
        insert_once(Learner, token=token, sandbox_key=new_token())
        learner = db.session.scalar(_LEARNER_BY_TOKEN, {"token": token})
        g.learner = learner
    elif learner.last_seen_at < utcnow() - SEEN_EVERY:  # both aware UTC (timestamps.py)
        learner.last_seen_at = utcnow()  # the view commits it with the interaction
    return learner


def check_new_learner_allowed() -> None:
    """The 429 or 507 ensure_learner() would raise, raised now, counting nothing: for a
    request that does costly work (a password hash) before it makes its learner."""
    if current_learner() is None:
        _spend_new_learner(count=False)


def _spend_new_learner(count: bool = True) -> None:
    config = current_app.config
    refusal = spend("learners", request.remote_addr,
                    per_hour=config["NEW_LEARNERS_PER_NETWORK_PER_HOUR"],
                    per_day=config["NEW_LEARNERS_PER_NETWORK_PER_DAY"],
                    ceiling=config["MAX_LEARNERS"],
                    existing=lambda: db.session.scalar(select(func.count(Learner.id))),
                    count=count)
    if refusal is None:
        return
    db.session.rollback()  # the counted attempt is not kept either
    if refusal.status == 429:
        raise TooManyRequests(refusal.message, retry_after=refusal.retry_after)
    raise InsufficientStorage(refusal.message)


def init_app(app: Flask) -> None:
    @app.context_processor
    def hand_out_token():
        # Every rendered page carries the token, before any interaction can race; a
        # logged-in learner is known by the account instead.
        if not current_user.is_authenticated:
            learner_token()
        return {}
