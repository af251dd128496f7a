"""`make flood` (`python -m bench.flood`): can a stranger with a loop fill the disk?

Whatever an anonymous client creates has a budget (hyperlesson/budgets.py): new learners
and sandbox datasets per network and hour, a ceiling in all, each try-it run kept in at
most 32 KB. This serves the real app (`app:create_app()`, gunicorn, 2 workers, 127.0.0.1
only) on a fresh migrated SQLite database and sends FLOOD_CLIENTS fresh clients (2,000)
through each attack, for at most FLOOD_SECONDS (300) each:
  a. GET /tryit for a cookie and a CSRF token, then twice the largest request the panel
     takes (a 64 KB body and 30 headers, 16 KB in all); every 200 must have its run stored;
  b. GET /sandbox/users, each with a new X-Sandbox-Key;
  c. a cookie-less lesson GET with ?faq=<id> (a GET creates no learner).
Around each attack it checkpoints the WAL and measures the database (file + WAL) and
the rows a stranger could add. Writes bench-results/flood.md; exits 1 on a 5xx other
than 507, no answer, a lost run, or growth above the bound the budgets imply.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import requests
from flask import Flask

from hyperlesson.config import configure
from hyperlesson.records.tryit_runs import KEEP
from hyperlesson.tryit.keep import RUN_BYTES
from hyperlesson.tryit.request import MAX_ALL_HEADERS_BYTES, MAX_BODY_BYTES, MAX_HEADERS

from . import PROJECT_ROOT, server
from .client import CSRF_FIELD
from .report import machine

CLIENTS = int(os.environ.get("FLOOD_CLIENTS", 2000))
SECONDS = float(os.environ.get("FLOOD_SECONDS", 300))
THREADS = 16
KB, MB = 1024, 1024 * 1024
TABLES = ("learners", "tryit_runs", "sandbox_owners", "sandbox_users", "rate_counters",
          "faq_opened")
LESSON = "/learn/python-backend/http-basics"
RESULTS = PROJECT_ROOT / "bench-results" / "flood.md"
RUN_ID = re.compile(rb'name="replay" value="(\d+)"')  # the newest run heads the history
FAQ_ID = re.compile(rb'name="faq" value="([^"]+)"')
# Header values that bring the panel's 30 header lines to its 16 KB in all.
VALUE_BYTES = MAX_ALL_HEADERS_BYTES // MAX_HEADERS - len("X-Flood-00: ")


def tryit_form(token: str, value_bytes: int) -> list[tuple[str, str]]:
    """The panel's form: POST /sandbox/anything, a 64 KB body, MAX_HEADERS headers."""
    form = [("csrf_token", token), ("method", "POST"), ("path", "/sandbox/anything"),
            ("body", "b" * MAX_BODY_BYTES)]
    for n in range(MAX_HEADERS):
        form += [("header_name", f"X-Flood-{n:02}"), ("header_value", "v" * value_bytes)]
    return form


Reply = tuple[str, int, float, int | None]  # what, status (0: no answer), seconds, run id


def call(browser: requests.Session, method: str, url: str, **kwargs) -> tuple[int, float, bytes]:
    began = time.monotonic()
    try:
        reply = browser.request(method, url, timeout=30, **kwargs)
        return reply.status_code, time.monotonic() - began, reply.content
    except requests.RequestException:
        return 0, time.monotonic() - began, b""


def tryit_client(base: str, value_bytes: int) -> list[Reply]:
    """One fresh browser: the page, then two identical sends, keeping its cookies."""
    with requests.Session() as browser:
        status, seconds, page = call(browser, "GET", f"{base}/tryit")
        replies: list[Reply] = [("page", status, seconds, None)]
        token = CSRF_FIELD.search(page)
        if token is None:
            return replies
        form = tryit_form(token.group(1).decode(), value_bytes)
        for _ in range(2):
            status, seconds, body = call(browser, "POST", f"{base}/tryit/send", data=form,
                                         headers={"HX-Request": "true"})
            run = RUN_ID.search(body) if status == 200 else None
            replies.append(("send", status, seconds, int(run.group(1)) if run else None))
        return replies


def get_client(url: str, new_key: bool) -> list[Reply]:
    """One cookie-less GET, with a sandbox key nobody used before when `new_key`."""
    headers = {"X-Sandbox-Key": secrets.token_hex(16)} if new_key else {}
    with requests.Session() as browser:
        status, seconds, _ = call(browser, "GET", url, headers=headers)
        return [("GET", status, seconds, None)]


def attack(client, *args) -> list[list[Reply]]:
    """CLIENTS runs of `client` on THREADS threads; none starts after SECONDS."""
    deadline = time.monotonic() + SECONDS

    def one(_):
        return client(*args) if time.monotonic() < deadline else None

    with ThreadPoolExecutor(THREADS) as pool:
        try:
            return [r for r in pool.map(one, range(CLIENTS)) if r is not None]
        except BaseException:  # Ctrl-C: start no more clients, then stop the server
            pool.shutdown(cancel_futures=True)
            raise


def measure(database: Path) -> tuple[int, dict[str, int]]:
    """Bytes on disk (main file + WAL, after a checkpoint) and rows per table."""
    with closing(sqlite3.connect(database, timeout=30)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in TABLES}
    wal = database.with_name(database.name + "-wal")
    return sum(p.stat().st_size for p in (database, wal) if p.exists()), rows


def runs_stored(database: Path, run_ids: list[int]) -> int:
    with closing(sqlite3.connect(database, timeout=30)) as db:
        return sum(db.execute("SELECT count(*) FROM tryit_runs WHERE id = ?",
                              (run,)).fetchone()[0] for run in run_ids)


def run(base: str, database: Path, value_bytes: int) -> tuple[list[tuple], list[str], bool]:
    """Every attack, measured: table rows, notes, and whether any check failed."""
    faq = FAQ_ID.search(requests.get(f"{base}{LESSON}", timeout=30).content)
    if faq is None:
        raise RuntimeError(f"no FAQ entry on {LESSON}")
    attacks = [("a. try-it, fresh cookies", tryit_client, (base, value_bytes)),
               ("b. /sandbox/users, new keys", get_client, (f"{base}/sandbox/users", True)),
               ("c. lesson ?faq=, no cookie", get_client,
                (f"{base}{LESSON}?faq={faq.group(1).decode()}", False))]
    rows, notes, failed = [], [], False
    for name, client, args in attacks:
        print(f"{name}: {CLIENTS} clients...", flush=True)
        bytes_before, rows_before = measure(database)
        began = time.monotonic()
        results = attack(client, *args)
        took = time.monotonic() - began
        bytes_after, rows_after = measure(database)
        replies = [reply for result in results for reply in result]
        statuses = Counter((what, status) for what, status, _, _ in replies)
        added = {t: rows_after[t] - rows_before[t] for t in TABLES}
        rows.append((name, str(len(results)),
                     ", ".join(f"{what} {s or 'none'}×{n}"
                               for (what, s), n in sorted(statuses.items())),
                     ", ".join(f"{t} +{n}" for t, n in added.items() if n) or "none",
                     f"{bytes_after - bytes_before:,}",
                     f"{took:.0f} s / {max(r[2] for r in replies):.2f} s"))
        failed |= any(s == 0 or (s >= 500 and s != 507) for _, s in statuses)
        if client is tryit_client:  # every acknowledged send must be stored
            run_ids = [run for *_, run in replies if run]
            stored = runs_stored(database, run_ids)
            learners = sum(any(r[1] == 200 for r in result[1:]) for result in results)
            notes.append(f"try-it: {learners} clients got a 200 send, {len(run_ids)} sends "
                         f"acknowledged, {stored} of those runs found in tryit_runs; runs "
                         f"added {added['tryit_runs']} (expected 2 × {learners} = "
                         f"{2 * learners})")
            failed |= not (stored == len(run_ids) == added["tryit_runs"] == 2 * learners)
    return rows, notes, failed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hyperlesson-flood-") as tmp:
        database = Path(tmp) / "flood.db"
        os.environ.update(DATABASE_URL=f"sqlite:///{database}",
                          HYPERLESSON_SECRET_KEY=secrets.token_hex(32),
                          HYPERLESSON_SESSION_COOKIE_SECURE="false")
        # What the server will read too: defaults, instance/config.py, then the env.
        app = Flask("flood", instance_path=str(PROJECT_ROOT / "instance"),
                    instance_relative_config=True)
        configure(app, None)
        config = app.config
        learners = config["NEW_LEARNERS_PER_NETWORK_PER_HOUR"]
        datasets = config["NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR"]
        bound = learners * (KEEP * RUN_BYTES + 50 * KB) + datasets * 50 * KB + 2 * MB
        server.migrate(dict(os.environ), app="app")
        with server.Gunicorn(dict(os.environ), 2, Path(tmp) / "gunicorn.log",
                             app="app:create_app()") as gunicorn:
            start_bytes, _ = measure(database)
            rows, notes, failed = run(gunicorn.base_url, database, VALUE_BYTES)
            grew = measure(database)[0] - start_bytes
            log = gunicorn.log_tail()
    notes.append(f"grew {grew:,} bytes in all; bound {bound:,} = {learners} learners × "
                 f"({KEEP} × {RUN_BYTES // KB} KB + 50 KB) + {datasets} datasets × 50 KB + 2 MB")
    failed |= grew > bound
    header = ("attack", "clients", "statuses", "rows added", "bytes added", "took / slowest")
    markdown = "\n".join("| " + " | ".join(row) + " |"
                         for row in [header, ("---",) * len(header), *rows])
    verdict = "FAILED" if failed else "passed"
    print("\n" + markdown + "\n\n" + "\n".join(notes))
    if log.strip():
        print(f"\ngunicorn's log:\n{log}")
    RESULTS.parent.mkdir(exist_ok=True)
    context = "".join(f"- {label}: {value}\n" for label, value in machine())
    RESULTS.write_text(f"# make flood\n\n{context}\n{markdown}\n\n"
                       + "".join(f"- {n}\n" for n in notes) + f"- {verdict}\n", encoding="utf-8")
    print(f"{verdict}; written to {RESULTS.relative_to(PROJECT_ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError) as error:  # a setup step failed: say which, briefly
        sys.exit(f"flood: {error}")
