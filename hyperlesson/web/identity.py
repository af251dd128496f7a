"""Who is learning: an anonymous learner, known by a random token in the signed session
cookie. The token is handed out with the first page; the row is created on the first
interaction, by token, so two first requests at once still make one learner."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request, session
from sqlalchemy import func, select
from werkzeug.exceptions import TooManyRequests

from ..extensions import db
from ..records.budgets import spend
from ..records.models import Learner, new_token, utcnow
from ..records.upsert import insert_once
from .errors import InsufficientStorage

SESSION_KEY = "learner"
SEEN_EVERY = timedelta(hours=1)  # last_seen_at moves at most this often: one write an hour


def learner_token() -> str:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = new_token()
        session[SESSION_KEY] = token
        session.permanent = True
    return token


def current_learner() -> Learner | None:
    """The learner of this request, or None for a visitor who has not interacted yet."""
    if "learner" not in g:
        token = session.get(SESSION_KEY)
        g.learner = (db.session.scalar(select(Learner).where(Learner.token == token))
                     if isinstance(token, str) else None)
    return g.learner


def ensure_learner() -> Learner:
    """The learner of this request, created on a first interaction within the budgets
    (budgets.py): past them, a 429 or 507 with a message, and nothing is created."""
    learner = current_learner()
    if learner is None:
        _spend_new_learner()
        token = learner_token()
        insert_once(Learner, token=token, sandbox_key=new_token())
        learner = db.session.scalar(select(Learner).where(Learner.token == token))
        g.learner = learner
    elif learner.last_seen_at < utcnow() - SEEN_EVERY:
        learner.last_seen_at = utcnow()  # the view commits it with the interaction
    return learner


def _spend_new_learner() -> None:
    config = current_app.config
    refusal = spend("learners", request.remote_addr,
                    per_hour=config["NEW_LEARNERS_PER_NETWORK_PER_HOUR"],
                    per_day=config["NEW_LEARNERS_PER_NETWORK_PER_DAY"],
                    ceiling=config["MAX_LEARNERS"],
                    existing=lambda: db.session.scalar(select(func.count(Learner.id))))
    if refusal is None:
        return
    db.session.rollback()  # the counted attempt is not kept either
    if refusal.status == 429:
        raise TooManyRequests(refusal.message, retry_after=refusal.retry_after)
    raise InsufficientStorage(refusal.message)


def init_app(app: Flask) -> None:
    @app.context_processor
    def hand_out_token():
        # Every rendered page carries the token, before any interaction can race.
        learner_token()
        return {}
