"""Backups taken while the server runs, a database lost, and the backup restored: on
SQLite, and on PostgreSQL when TEST_DATABASE_URL names one (pg_dump and pg_restore)."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import func, select, text

from hyperlesson.extensions import db
from hyperlesson.records.models import QuizAttempt
from tests.web.helpers import LESSON, correct_choice, post

ANSWERED = 'class="question is-done"'


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def lose_everything(app) -> None:
    """What a broken disk or a wrong command leaves: no tables at all."""
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE alembic_version"))
        db.session.commit()
        db.engine.dispose()


def test_a_backup_brings_back_a_lost_database(app, client, tmp_path):
    post(client, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    assert ANSWERED in client.get(LESSON).get_data(as_text=True)
    folder = tmp_path / "backups"
    folder.mkdir()
    saved = cli(app, "backup", str(folder))  # a folder: a dated file inside
    assert saved.exit_code == 0, saved.output
    [backup] = folder.iterdir()
    assert backup.name.startswith("hyperlesson-") and backup.suffix in (".db", ".pgdump")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # learners' answers, hashes
    lose_everything(app)

    restored = cli(app, "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert list(folder.iterdir()) == [backup]  # one file, read without a -wal or -shm
    # The same browser finds its answer again: the learner and the answer came back.
    assert ANSWERED in client.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_restore_asks_first_and_refuses_what_is_not_a_backup(app, client, tmp_path):
    post(client, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    assert cli(app, "backup", str(tmp_path / "b")).exit_code == 0
    declined = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")], input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    refused = cli(app, "restore", str(junk), "--yes")
    assert refused.exit_code == 1
    assert "notes.txt" in refused.output  # which file, and why
    # Nothing was replaced: the answer is still there.
    assert ANSWERED in client.get(LESSON).get_data(as_text=True)


def test_a_backup_never_overwrites_a_file(app, tmp_path):
    existing = tmp_path / "kept.db"
    existing.write_text("yesterday's backup")
    refused = cli(app, "backup", str(existing))
    assert refused.exit_code == 1 and "exists" in refused.output
    assert existing.read_text() == "yesterday's backup"
    missing = cli(app, "backup", str(tmp_path / "no-such-folder" / "b.db"))
    assert missing.exit_code == 1 and "no-such-folder" in missing.output


@pytest.mark.parametrize("args", [["backup"], ["restore", "/nonexistent/b.db", "--yes"]])
def test_bad_arguments_get_a_usage_message(app, args):
    result = cli(app, *args)
    assert result.exit_code == 2 and "Usage" in result.output
