"""Configuration: these defaults, then instance/config.py, then HYPERLESSON_* variables.

Every HYPERLESSON_<NAME> environment variable sets <NAME> (values are parsed as JSON
when they can be, so HYPERLESSON_SESSION_COOKIE_SECURE=true is a boolean).
DATABASE_URL, the usual name on hosting platforms, sets the database.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    LESSONS_DIR = str(PROJECT_ROOT / "lessons")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set true when served over HTTPS
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    MAX_CONTENT_LENGTH = 256 * 1024  # forms are small; the try-it body cap is lower still
    PERMANENT_SESSION_LIFETIME = timedelta(days=365)  # a learner keeps their progress
    # The cookie is written when the session changes, not re-signed on every response:
    # a learner is kept a year from their first visit, and each request is cheaper.
    SESSION_REFRESH_EACH_REQUEST = False
    # A token lives as long as the session: a tab left open all day still works.
    WTF_CSRF_TIME_LIMIT = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WATCH_LESSONS = False  # `python app.py` (make run) turns it on: edits show on refresh
    LESSON_CACHE = True  # keep parsed lessons in instance/lesson-cache between starts
    TRYIT_RATE_LIMIT = 60  # requests a learner may send from the panel per minute
    # What a stranger with a loop can create (budgets.py): per client network and hour
    # (a class shares one address), and in all. `flask purge` removes idle ones.
    NEW_LEARNERS_PER_NETWORK_PER_HOUR = 300
    MAX_LEARNERS = 20_000
    NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR = 300
    MAX_SANDBOX_DATASETS = 20_000
    PURGE_LEARNERS_IDLE_DAYS = 180  # anonymous learners not seen for this long
    PURGE_SANDBOX_IDLE_DAYS = 30  # sandbox datasets not written for this long


def load_secret_key(instance_path: str) -> str:
    """A key kept in instance/, so sessions survive restarts and every worker shares it."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Another worker may write first; whichever file exists wins.
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(key)
        os.chmod(path, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    return key


def configure(app, overrides: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HYPERLESSON")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI",
                          f"sqlite:///{Path(app.instance_path) / 'hyperlesson.db'}")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
