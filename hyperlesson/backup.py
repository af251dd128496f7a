"""Whole-database backups taken while the server runs, and their restore.

SQLite: sqlite3's online backup API copies a consistent snapshot into a plain database
file (writers wait only for each step of the copy; copying the file itself could catch
it half-written, and would miss what is still in the WAL). PostgreSQL: `pg_dump` in its
custom format, restored by `pg_restore`. `flask backup` and `flask restore` call these.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from .config import protect_sqlite_files

PAGES_PER_STEP = 1024  # pages copied per step of an SQLite backup: writers get a turn


class BackupError(Exception):
    """Something a person can fix: the message says what."""


def backup(uri: str, target: Path) -> None:
    """Copy the database at `uri` into the new file `target` (readable by its owner only:
    it holds learners' answers and password hashes)."""
    if target.exists():
        raise BackupError(f"{target} exists: give the name of a new file.")
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent}.")
    url = make_url(uri)
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), target)
        elif url.get_backend_name() == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}",
                  f"--dbname={_conninfo(url)}"], url, target)
        else:
            raise BackupError(f"No backup for {url.get_backend_name()} databases: use its "
                              "own tools.")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def restore(uri: str, source: Path) -> None:
    """Replace everything in the database at `uri` with the backup `source`."""
    if not source.is_file():
        raise BackupError(f"There is no file {source}.")
    url = make_url(uri)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(source)
        protect_sqlite_files(uri)  # a lost file comes back readable by the server only
        _sqlite_backup(source, _sqlite_path(url), restoring=True)
    elif url.get_backend_name() == "postgresql":
        # One transaction: a backup that does not fit leaves the database as it was.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", f"--dbname={_conninfo(url)}", str(source)], url, source)
    else:
        raise BackupError(f"No restore for {url.get_backend_name()} databases.")


def _sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("The database is in memory: there is nothing to back up.")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path, restoring: bool = False) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro" if restoring else source, uri=restoring)
    dst = sqlite3.connect(target)
    try:
        dst.execute("PRAGMA busy_timeout = 30000")  # a restore waits for the server's writes
        src.backup(dst, pages=PAGES_PER_STEP)
        if not restoring:  # a backup is one file: no -wal or -shm beside it, ever
            dst.execute("PRAGMA journal_mode = DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{target} failed SQLite's check after the copy.")
    finally:
        dst.close()
        src.close()


def _check_sqlite_backup(source: Path) -> None:
    """Refuse a file that is not a Hyperlesson database before anything is replaced."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE name IN ('alembic_version', 'learners')"
            ).fetchall()
    except sqlite3.DatabaseError:
        found = []
    if len(found) != 2:
        raise BackupError(f"{source} is not a Hyperlesson SQLite backup.")


def _conninfo(url: URL) -> str:
    """libpq's "key=value" string for the URL, without the password (given by the
    environment, so it never shows in the process list)."""
    from psycopg.conninfo import make_conninfo

    params = {"host": url.host, "port": url.port, "user": url.username,
              "dbname": url.database, **url.query}
    return make_conninfo(**{key: str(value) for key, value in params.items() if value})


def _run(command: list[str], url: URL, file: Path) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: apt-get install "
                          "postgresql-client (its version at least the server's).")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed on {file}:\n{done.stderr.strip()}")
