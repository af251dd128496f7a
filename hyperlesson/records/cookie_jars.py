"""A learner's try-it cookie jar: read, stored and cleared for the learner given only.
It goes with the learner (ON DELETE CASCADE), so `flask purge` removes it too."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, select, update

from ..extensions import db
from ..timestamps import utcnow
from ..tryit.cookies import CookieJar
from .models import Learner, TryItCookieJar
from .upsert import upsert_for

# Built once: every try-it send reads the jar.
_JAR = select(TryItCookieJar.__table__.c.cookies_json).where(
    TryItCookieJar.__table__.c.learner_id == bindparam("learner_id"))
# The same, for a send to read along with its rate count (ratelimit.hit(read=...)).
JAR_JSON = _JAR.scalar_subquery()


def load_jar(learner: Learner | None) -> CookieJar:
    if learner is None:
        return CookieJar()
    return jar_from_json(db.session.execute(_JAR, {"learner_id": learner.id}).scalar())


def jar_from_json(cookies_json: str | None) -> CookieJar:
    """A jar as stored (a lesson page reads it with the learner's other state)."""
    return CookieJar.from_dicts(json.loads(cookies_json)) if cookies_json else CookieJar()


def save_jar(learner: Learner, jar: CookieJar) -> None:
    """Store `jar` (bounded by CookieJar itself); an empty jar leaves no row."""
    if not len(jar):
        clear_jar(learner)
        return
    values = {"learner_id": learner.id, "cookies_json": json.dumps(jar.as_dicts()),
              "updated_at": utcnow()}
    insert = upsert_for(db.session)
    if insert is None:  # any other database
        db.session.merge(TryItCookieJar(**values))
        return
    db.session.execute(insert(TryItCookieJar).values(**values).on_conflict_do_update(
        index_elements=["learner_id"],
        set_={"cookies_json": values["cookies_json"], "updated_at": values["updated_at"]}))


def clear_jar(learner: Learner) -> None:
    db.session.execute(delete(TryItCookieJar).filter_by(learner_id=learner.id))


def move_jar(source: Learner, into: Learner) -> None:
    """At login, the device's jar becomes the account's (its browser's cookies are what
    a learner just used); without one, the account keeps its own."""
    if db.session.get(TryItCookieJar, source.id) is None:
        return
    clear_jar(into)
    db.session.execute(update(TryItCookieJar).filter_by(learner_id=source.id)
                       .values(learner_id=into.id))
