"""Who is learning: an anonymous learner, known by a random token in the signed session
cookie. The token is handed out with the first page; the row is created on the first
interaction, by token, so two first requests at once still make one learner."""

from __future__ import annotations

from flask import Flask, g, session
from sqlalchemy import select

from .dbutil import insert_once
from .extensions import db
from .models import Learner, new_token

SESSION_KEY = "learner"


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
    learner = current_learner()
    if learner is None:
        token = learner_token()
        insert_once(Learner, token=token, sandbox_key=new_token())
        learner = db.session.scalar(select(Learner).where(Learner.token == token))
        g.learner = learner
    return learner


def init_app(app: Flask) -> None:
    @app.context_processor
    def hand_out_token():
        # Every rendered page carries the token, before any interaction can race.
        learner_token()
        return {}
