"""Flask extensions, created here and bound to an app in create_app()."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints, so migrations can alter them on every database (SQLite included).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Objects stay readable after commit: a view that commits and then renders (every POST
# here) would otherwise reload the learner row with one more query.
db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING),
                session_options={"expire_on_commit": False})
csrf = CSRFProtect()
login_manager = LoginManager()


def bind_migrations(app: Flask, directory: str) -> None:
    """Flask-Migrate, for `flask db` and the upgrades. Imported here, not above: it
    imports Alembic (70 ms), which create_app() does while the lessons are parsed."""
    from flask_migrate import Migrate

    Migrate(app, db, directory=directory,
            render_as_batch=True)  # SQLite alters tables by copying them


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: WAL so readers never wait for a writer, a busy timeout, foreign keys on."""
    module = type(dbapi_connection).__module__
    if "sqlite" not in module:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
