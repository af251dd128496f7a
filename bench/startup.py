"""Start-up time with a large catalog: 200 lessons, parsed once by create_app().

The catalog renders every lesson at start-up so that no request parses Markdown; this
keeps that price visible. Each timing runs in a fresh interpreter, as a new gunicorn
worker would, and the median of three smooths out a cold disk cache.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hyperlesson.config import SHIPPED_LESSONS

from . import PROJECT_ROOT

SOURCE = SHIPPED_LESSONS / "python-backend" / "http-basics.md"
LESSONS = 200
RUNS = 3
AIM_S = 1.0  # the goal for 200 lessons (issue 12): a restart should feel instant
TRACK_YAML = "title: Generated\ndescription: Copies of HTTP basics, for the start-up bench.\n"


@dataclass(frozen=True)
class Startup:
    lessons: int
    create_app_s: float  # median time of create_app() alone
    with_imports_s: float  # median time of importing hyperlesson, then create_app()


def write_lessons(root: Path, count: int = LESSONS) -> Path:
    """A track of `count` copies of http-basics.md, each with its own slug, order and
    related lesson, so that all of them pass the catalog's checks."""
    track = root / "generated"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text(TRACK_YAML + "order: 1\n", encoding="utf-8")
    _, front, body = SOURCE.read_text(encoding="utf-8").split("---\n", 2)
    for n in range(1, count + 1):
        own = {"title": f"HTTP basics {n}", "order": str(n),
               "related": f"[lesson-{n % count + 1:03d}]"}
        lines = [f"{key}: {own[key]}" if (key := line.split(":", 1)[0]) in own else line
                 for line in front.splitlines()]
        text = "---\n" + "\n".join(lines) + "\n---\n" + body
        (track / f"lesson-{n:03d}.md").write_text(text, encoding="utf-8")
    return root


def measure(lessons_dir: Path, database_uri: str, cache: bool) -> Startup:
    """Cold: the lesson cache off, every lesson parsed. Warm: the cache on and primed
    by one start first, as for a restart or a new worker."""
    if cache:
        _run_child(lessons_dir, database_uri, cache)
    runs = [_run_child(lessons_dir, database_uri, cache) for _ in range(RUNS)]
    return Startup(lessons=runs[0]["lessons"],
                   create_app_s=statistics.median(r["create_app_s"] for r in runs),
                   with_imports_s=statistics.median(r["with_imports_s"] for r in runs))


def _run_child(lessons_dir: Path, database_uri: str, cache: bool) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", "from bench.startup import child; child()",
         str(lessons_dir), database_uri, "cache" if cache else "no-cache"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"start-up timing failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["problems"] or result["lessons"] != LESSONS:
        raise RuntimeError(f"the generated catalog has {result['lessons']} lessons, "
                           f"problems: {result['problems']}")
    return result


def child() -> None:
    """In the fresh interpreter: import, build the app, report timings as JSON."""
    import time

    start = time.perf_counter()
    from hyperlesson import create_app

    imported = time.perf_counter()
    app = create_app({"LESSONS_DIR": sys.argv[1], "SQLALCHEMY_DATABASE_URI": sys.argv[2],
                      "SECRET_KEY": "bench-startup", "LESSON_CACHE": sys.argv[3] == "cache"})
    built = time.perf_counter()
    catalog = app.extensions["catalog"]
    print(json.dumps({"lessons": catalog.lesson_count,
                      "problems": [str(p) for p in catalog.problems[:5]],
                      "create_app_s": built - imported, "with_imports_s": built - start}))
