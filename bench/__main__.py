"""`python -m bench` (`make bench`): one run, one server, every scenario, one table.

Settings come from the environment: BENCH_SECONDS (per scenario, default 5),
BENCH_WARMUP (default 1) and BENCH_WORKERS (gunicorn workers, default 2). The wrk
scenarios end with the teacher's class table, for a class made beforehand
(bench/classroom_bench.py); then comes the login burst (bench/burst.py). A full run
takes about two minutes at the defaults. Exit status 1 means a scenario failed its
check, saw failed responses under load, or a login of the burst failed: such a run is
not a result to quote.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from . import PROJECT_ROOT, burst, classroom_bench, client, scenarios, server, startup, wrk
from .report import Row, machine, markdown, text_table

RESULTS = PROJECT_ROOT / "bench-results" / "latest.md"
READER = "bench-reader"  # the logged-in learner of "lesson page (logged in)"
LOGGED_IN_AIM = 0.9  # a logged-in lesson page within 10% of an anonymous one


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        value = -1
    if value < 0:
        raise SystemExit(f"{name} must be a number of at least 0")
    return value


def measure(scenario: scenarios.Scenario, gunicorn: server.Gunicorn, learner: client.Learner,
            folder: Path, seconds: float, warmup: float) -> Row:
    """Check the scenario once, warm it up, then let wrk measure it."""
    print(f"  {scenario.name}: ", end="", flush=True)
    try:
        check = scenarios.check(scenario, gunicorn.port, learner)
        if check.state != "ok":
            print(check.note)
            return Row(scenario.name, check.state, check.note)
        headers, body = scenario.request(learner)
        script = folder / (re.sub(r"\W+", "-", scenario.name).strip("-") + ".lua")
        script.write_text(wrk.script(scenario.method, headers, body), encoding="utf-8")
        url = gunicorn.base_url + scenario.path
        if warmup:
            wrk.run(url, script, warmup)
        row = Row(scenario.name, "ok", check.note, check.size, wrk.run(url, script, seconds),
                  scenario.aim)
    except (OSError, RuntimeError) as error:
        print(f"error: {error}")
        return Row(scenario.name, "error", f"error ({error})")
    print(f"{row.result.rate:,.0f} req/s {row.failures}".rstrip())
    return row


def main() -> int:
    seconds = max(1.0, _setting("BENCH_SECONDS", 5))
    warmup = _setting("BENCH_WARMUP", 1)
    workers = int(_setting("BENCH_WORKERS", 2)) or 1
    if shutil.which(wrk.WRK) is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    began = time.monotonic()
    context = [("date", datetime.now().astimezone().isoformat(timespec="minutes")),
               *machine(),
               ("server", f"gunicorn, {workers} sync workers (bench/server.py says why), "
                          "SQLite in a temp folder"),
               ("load generator", f"wrk, {wrk.THREADS} thread, {wrk.CONNECTIONS} connections, "
                                  f"{seconds:g} s per scenario after {warmup:g} s warm-up")]
    for label, value in context:
        print(f"{label}: {value}")

    with tempfile.TemporaryDirectory(prefix="hyperlesson-bench-") as tmp:
        folder = Path(tmp)
        print(f"start-up: create_app() with {startup.LESSONS} lessons, "
              f"median of {startup.RUNS} fresh processes...", flush=True)
        lessons_dir = startup.write_lessons(folder / "lessons")
        boot_lines = []
        for cache in (False, True):
            boot = startup.measure(lessons_dir, f"sqlite:///{folder / 'startup.db'}", cache)
            boot_line = (f"start-up ({'warm lesson cache' if cache else 'cold, no cache'}): "
                         f"create_app() with {boot.lessons} lessons: {boot.create_app_s:.2f} s "
                         f"({boot.with_imports_s:.2f} s with imports)"
                         + (f", over the {startup.AIM_S:g} s aim"
                            if boot.create_app_s > startup.AIM_S else ""))
            print(boot_line, flush=True)
            boot_lines.append(boot_line)

        # The catalog's track and 7 generated lessons: the class table's 10 lessons.
        class_lessons = classroom_bench.write_lessons(folder / "class-lessons")
        env = {**os.environ, "BENCH_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
               "BENCH_SECRET_KEY": secrets.token_hex(32),
               "HYPERLESSON_LESSONS_DIR": str(class_lessons)}
        server.migrate(env)
        key = scenarios.correct_key()
        with server.Gunicorn(env, workers, folder / "gunicorn.log") as gunicorn:
            port = gunicorn.port
            learner = client.become_learner(port, scenarios.LESSON, scenarios.first_posts(key))
            # Accounts for the burst, and one logged in with the same progress as `learner`.
            print(f"signing up {burst.LEARNERS + 1} accounts...", flush=True)
            learners = burst.names()
            try:
                burst.make_accounts(port, [*learners, READER])
            except RuntimeError as error:  # the server's side of the story, then stop
                raise RuntimeError(f"{error}\n\nlast lines of gunicorn's log:\n"
                                   f"{gunicorn.log_tail()}") from error
            reader = client.become_learner(
                port, scenarios.LESSON, scenarios.first_posts(key),
                cookies=client.log_in(port, READER, burst.PASSWORD))
            print(f"a class of {classroom_bench.LEARNERS} learners over "
                  f"{classroom_bench.LESSONS} lessons...", flush=True)
            teacher, class_scenarios = classroom_bench.prepare(
                port, env, folder / "bench.db", class_lessons)
            rows = [measure(s, gunicorn, reader if s.account else learner, folder, seconds,
                            warmup) for s in scenarios.build(key)]
            rows += [measure(s, gunicorn, teacher, folder, seconds, warmup)
                     for s in class_scenarios]
            print(f"login burst: {burst.LEARNERS} learners over {burst.SECONDS:g} s...",
                  flush=True)
            logins = burst.run(port, learners, scenarios.LESSON)
            troubled = [r.name for r in rows if r.state == "error" or r.failures]
            troubled += ["login burst"] if logins.failures else []
            log_tail = gunicorn.log_tail() if troubled else ""

    footer = [logins.line()]
    by_name = {row.name: row for row in rows if row.result}
    logged_in, anonymous = by_name.get("lesson page (logged in)"), by_name.get("lesson page")
    if logged_in and anonymous:
        ratio = logged_in.result.rate / anonymous.result.rate
        footer.append(f"lesson page logged in / anonymous: {ratio:.2f} of the requests/second"
                      + ("" if ratio >= LOGGED_IN_AIM else f", under the {LOGGED_IN_AIM} aim"))
    footer.append(classroom_bench.aims_line(by_name))
    footer += boot_lines
    if "sandbox /get" in by_name and "httpbin /get" in by_name:
        ratio = by_name["sandbox /get"].result.rate / by_name["httpbin /get"].result.rate
        footer.append(f"sandbox /get serves {ratio:.2f}x the requests/second of httpbin /get")
    footer.append(f"run took {time.monotonic() - began:.0f} s")
    if troubled:
        footer.append("not a result to quote: " + ", ".join(troubled)
                      + " failed (see the notes)")

    print()
    print(text_table(rows))
    print()
    print("\n".join(footer))
    if log_tail:
        print(f"\nlast lines of gunicorn's log:\n{log_tail}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(markdown(context, rows, footer), encoding="utf-8")
    print(f"written to {RESULTS.relative_to(PROJECT_ROOT)}")
    return 1 if troubled else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError) as error:  # a setup step failed: say which, briefly
        sys.exit(f"bench: {error}")
