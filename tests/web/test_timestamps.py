"""Every stored time is aware UTC: written so, read back so, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, select
from sqlalchemy.exc import StatementError

from hyperlesson.extensions import db
from hyperlesson.records.models import Learner, QuizAttempt, TryItRun
from hyperlesson.sandbox.store import SandboxOwner
from hyperlesson.timestamps import UTCDateTime

from .helpers import HTMX, LESSON, csrf_token


def is_aware_utc(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() == timedelta(0)


def test_times_read_back_from_the_main_tables_are_aware_utc(app, client):
    client.post(f"{LESSON}/sections/what-is-http/reached", headers=HTMX,
                data={"csrf_token": csrf_token(client)})
    with app.app_context():
        created, seen = db.session.execute(select(Learner.created_at,
                                                  Learner.last_seen_at)).one()
        assert is_aware_utc(created) and is_aware_utc(seen)
        assert datetime.now(UTC) - timedelta(minutes=1) < created <= datetime.now(UTC)
        learner = db.session.scalar(select(Learner))  # a whole row, through the ORM
        assert learner.created_at.tzinfo is UTC
        db.session.add(QuizAttempt(learner_id=learner.id, lesson_key="t/l",
                                   question_id="q1", choice="a", correct=True))
        db.session.commit()
    with app.app_context():  # another session: nothing cached, all from the database
        assert is_aware_utc(db.session.scalar(select(QuizAttempt.created_at)))
        owner = db.session.scalar(select(SandboxOwner))
        assert owner is None or is_aware_utc(owner.updated_at)


def test_an_aware_time_in_another_zone_is_stored_as_its_utc_instant(app):
    paris_noon = datetime(2024, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with app.app_context():
        learner = Learner(created_at=paris_noon, last_seen_at=paris_noon)
        db.session.add(learner)
        db.session.commit()
        learner_id = learner.id
    with app.app_context():
        stored = db.session.scalar(select(Learner.created_at)
                                   .where(Learner.id == learner_id))
        assert stored == datetime(2024, 6, 1, 10, 0, tzinfo=UTC) and stored.tzinfo is UTC
        # Comparisons in SQL mean the same instant too, whatever zone the bound value has.
        just_after = datetime(2024, 6, 1, 5, 30, tzinfo=timezone(timedelta(hours=-4, minutes=-31)))
        assert db.session.scalar(select(Learner.id)
                                 .where(Learner.last_seen_at < just_after)) == learner_id


def test_a_naive_time_is_refused(app):
    with app.app_context():
        db.session.add(Learner(last_seen_at=datetime(2024, 1, 1)))
        with pytest.raises(StatementError, match="Naive datetime"):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(StatementError, match="Naive datetime"):
            db.session.scalar(select(TryItRun.id)
                              .where(TryItRun.created_at < datetime(2024, 1, 1)))


def test_every_datetime_column_is_a_utc_datetime(app):
    """A new table's timestamp (a plain Mapped[datetime]) would be naive: use UTCDateTime."""
    plain = [f"{table.name}.{column.name}" for table in db.metadata.sorted_tables
             for column in table.columns
             if isinstance(column.type, DateTime) and not isinstance(column.type, UTCDateTime)]
    assert plain == []
    assert any(isinstance(c.type, UTCDateTime) for c in Learner.__table__.columns)
