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
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

PACKAGE_ROOT = Path(__file__).resolve().parent
SHIPPED_LESSONS = PACKAGE_ROOT / "lessons"  # the python-backend track, in the wheel too
DATA_FOLDER_VARIABLE = "HYPERLESSON_DATA"


def data_folder() -> Path:
    """Where the database, the secret key, config.py and the lesson cache live: the
    folder HYPERLESSON_DATA names (`hyperlesson serve --data` sets it), else `instance`
    in the folder the server starts in. Never inside the installed package."""
    return Path(os.environ.get(DATA_FOLDER_VARIABLE) or Path.cwd() / "instance").resolve()



class Defaults:
    LESSONS_DIR = str(SHIPPED_LESSONS)  # the folder of tracks served
    # Serve the tracks that come with Hyperlesson beside LESSONS_DIR's (`hyperlesson
    # serve` does, unless --no-shipped-tracks); a track of LESSONS_DIR's replaces the
    # shipped one of the same name.
    SHIPPED_TRACKS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set true when served over HTTPS
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    # Forms are small but for the try-it panel's largest request: a 64 KB body and 16 KB
    # of headers, which URL-encoding can triple.
    MAX_CONTENT_LENGTH = MAX_FORM_MEMORY_SIZE = 512 * 1024
    PERMANENT_SESSION_LIFETIME = timedelta(days=365)  # a learner keeps their progress
    # The cookie is written when the session changes, not re-signed on every response:
    # a learner is kept a year from their first visit, and each request is cheaper.
    SESSION_REFRESH_EACH_REQUEST = False
    # A token lives as long as the session: a tab left open all day still works.
    WTF_CSRF_TIME_LIMIT = None
    # Lesson edits show on refresh: `hyperlesson serve` and `make run` turn it on.
    WATCH_LESSONS = False
    # Static files cached for a year (their URLs change with their content, computed at
    # start-up); `make run` turns it off, so an edited stylesheet shows on refresh.
    CACHE_STATIC_FOR_A_YEAR = True
    LESSON_CACHE = True  # keep parsed lessons in instance/lesson-cache between starts
    # Lesson pages rendered once and filled in per request (web/prepared_page.py). Off,
    # each page is rendered whole: the tests compare the two, byte for byte.
    PREPARED_PAGES = True
    TRYIT_RATE_LIMIT = 60  # requests a learner may send from the panel per minute
    # A section counts as read once its text was on screen for this share of its own
    # reading time, its end in view (README, Reading progress). Tests make it small.
    READING_SHARE = 0.3
    # What a stranger with a loop can create (budgets.py): per client network and hour
    # (a class shares one address), and in all. `flask purge` removes idle ones.
    NEW_LEARNERS_PER_NETWORK_PER_HOUR = 300
    NEW_LEARNERS_PER_NETWORK_PER_DAY = 1_000
    MAX_LEARNERS = 20_000
    NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR = 300
    NEW_SANDBOX_DATASETS_PER_NETWORK_PER_DAY = 1_000
    MAX_SANDBOX_DATASETS = 20_000
    PURGE_LEARNERS_IDLE_DAYS = 180  # anonymous learners not seen for this long
    # ... or for this long, when they were seen on one day only (a borrowed computer, a
    # cleared browser, a stranger's loop): a network at its daily budget then stays
    # below MAX_LEARNERS (14 days x 1,000).
    PURGE_ONE_VISIT_IDLE_DAYS = 14
    PURGE_SANDBOX_IDLE_DAYS = 30  # sandbox datasets not written for this long
    # Exchanges recorded for tasks (README, Tasks): 20 per learner, at most this many in
    # all (each within about 10 KB); the oldest go first. Purged with the sandbox data.
    MAX_TASK_EXCHANGES = 50_000
    # Accounts (README, Accounts): "open" lets anyone sign up; "closed" leaves it to the
    # school (flask users create-...); "code" needs a class's join code.
    SIGNUP = "open"  # or "code": sign-up needs a class's join code
    JOIN_FAILURES_PER_NETWORK = 30  # wrong join codes in JOIN_FAILURE_WINDOW_SECONDS
    JOIN_FAILURE_WINDOW_SECONDS = 300
    REMEMBER_COOKIE_DURATION = timedelta(days=90)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Failed logins that stop guessing but let a class in: per account, and per client
    # network (thirty learners behind one school router share an address).
    LOGIN_FAILURES_PER_ACCOUNT = 10
    LOGIN_FAILURES_PER_NETWORK = 100
    LOGIN_FAILURE_WINDOW_SECONDS = 300
    # "http://school.lan:5001": the sandbox answers there, and only there (README, Safety).
    SANDBOX_ORIGIN = ""
    # Where a learner who is in no class can find help, shown under "Need help?" at the
    # end of each lesson: "Ask Ms Rivera in room 12, or write to help@school.example".
    # "" shows no contact line.
    HELP_CONTACT = ""
    # Reverse proxies in front of the app whose X-Forwarded-* headers to believe. 0: none,
    # so a client cannot forge its address past the budgets.
    TRUSTED_PROXIES = 0


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


def sandbox_origin(value: str) -> str:
    """SANDBOX_ORIGIN as scheme://host[:port], or "" when unset; anything else stops
    the start with a message (a typo would otherwise serve the sandbox nowhere)."""
    if not value:
        return ""
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname
            or parts.path not in ("", "/") or parts.query or parts.username):
        raise ValueError(f"HYPERLESSON_SANDBOX_ORIGIN must look like http://host:port, "
                         f"not {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def protect_sqlite_files(uri: str) -> None:
    """A SQLite database holds learners' answers and tokens: only the server's user may
    read it. Its -wal and -shm files take the main file's mode when SQLite makes them."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDONLY, 0o600))  # SQLite takes an empty file
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            os.chmod(file, 0o600)


def _check_pooled_connections(config) -> None:
    """A database server's connections can drop (a restart, an idle timeout), so each is
    checked as it leaves the pool. A SQLite file has no connection to lose: there the
    check was one more query on every request, for nothing."""
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True, **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


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
    app.config["SANDBOX_ORIGIN"] = sandbox_origin(app.config["SANDBOX_ORIGIN"])
    # The remember-me cookie is Secure whenever the session cookie is.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    if app.config["SIGNUP"] not in ("open", "closed", "code"):
        raise ValueError("HYPERLESSON_SIGNUP is open, closed or code, not "
                         f"{app.config['SIGNUP']!r}")
    protect_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"])
    _check_pooled_connections(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
