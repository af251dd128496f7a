"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hyperlesson.extensions import db
from tests.conftest import EXTERNAL_DB


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_upgrades_keep_every_row(tmp_path):
    """SQLite alters a table by copying it: with foreign keys on, dropping `learners`
    would cascade. Rows written under an old schema survive every upgrade and back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.conftest import make_app

    if EXTERNAL_DB:
        return  # the throwaway file is SQLite's case; PostgreSQL alters in place
    app = make_app(tmp_path / "old.db")
    tables = ("learners", "quiz_attempts", "sections_reached", "tryit_runs")
    with app.app_context():
        upgrade(revision="980a96e91ade")
        db.session.execute(text(
            "INSERT INTO learners (id, token, sandbox_key, created_at) "
            "VALUES (1, 't', 'k', '2026-01-01 10:00:00')"))
        for table, column, value in (("quiz_attempts", "question_id, choice, correct",
                                      "'q1', 'a', 1"),
                                     ("sections_reached", "section_id", "'s1'")):
            db.session.execute(text(
                f"INSERT INTO {table} (learner_id, lesson_key, {column}, created_at) "
                f"VALUES (1, 'a/b', {value}, '2026-01-01 10:00:00')"))
        db.session.execute(text(
            "INSERT INTO tryit_runs (learner_id, request_json, exchange_json, summary, "
            "status, created_at) VALUES (1, '{\"follow\": true}', "
            "'{\"request\": {\"method\": \"GET\"}}', 'GET /sandbox/get', 200, "
            "'2026-01-01 10:00:00')"))
        db.session.commit()
        upgrade()
        counts = [db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in tables]
        assert counts == [1, 1, 1, 1]
        assert db.session.execute(text("SELECT follow FROM tryit_runs")).scalar() == 1
        downgrade(revision="980a96e91ade")
        assert [db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in tables] == [1, 1, 1, 1]
