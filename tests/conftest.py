"""Fixtures shared by the web and browser tests: an app on a throwaway database.

The schema comes from the real migrations, applied once per session to a template
database that each test copies.
"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from hyperlesson import create_app
from hyperlesson.config import SHIPPED_LESSONS
from hyperlesson.extensions import db

PROJECT_LESSONS = SHIPPED_LESSONS
REPOSITORY = Path(__file__).resolve().parents[1]  # make, gunicorn and app.py start here


def make_app(db_path, **overrides):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", **overrides})


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "template.db"
    app = make_app(path)
    with app.app_context():
        upgrade()
        db.engine.dispose()  # closing the last connection folds the WAL into the file
    return path


# TEST_DATABASE_URL runs the web tests on another database (`make test-postgres`):
# migrated once, emptied after each test.
EXTERNAL_DB = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def external_db():
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": EXTERNAL_DB})
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(tmp_path, migrated_db, request):
    if not EXTERNAL_DB:
        db_path = tmp_path / "test.db"
        shutil.copy(migrated_db, db_path)
        yield make_app(db_path)
        return
    request.getfixturevalue("external_db")
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": EXTERNAL_DB})
    yield app
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, migrated_db):
    """The app live_server serves, for what only the command line does (teachers)."""
    db_path = tmp_path_factory.mktemp("live") / "app.db"
    shutil.copy(migrated_db, db_path)
    return make_app(db_path, TESTING=False)


@contextmanager
def served(app):
    """`app` on a free port of 127.0.0.1, in a thread: its base URL, until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(live_app):
    """The real app on a free port of 127.0.0.1, in a thread, for the whole session."""
    with served(live_app) as url:
        yield url
