"""The teacher's live class table in `make bench`: a class of 40 learners, 10 lessons.

The dashboard's fragment, `GET /teach/classes/<id>/progress` with `HX-Request: true`,
is measured twice: at a version it does not show (the table is rendered: 40 learners by
10 lessons) and at the current one (a poll with nothing new: 204 after one aggregate
query). The catalog has 3 lessons, so the bench server reads a folder with that track
and 7 generated copies of HTTP basics (`write_lessons`, pointed at by
HYPERLESSON_LESSONS_DIR). The teacher is made with `flask users create-teacher` and
the learners sign up through /signup with the class's code, as in a classroom; what
they did in the lessons (answers, a third of them wrong first, sections reached, FAQ
entries opened) is inserted into the SQLite file in one transaction, as the app would
have written it, since thousands of htmx posts would take longer than the bench.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from hyperlesson.config import SHIPPED_LESSONS

from . import scenarios, server, startup
from .client import Learner, fetch, log_in, open_form, sign_up
from .report import Row

LEARNERS = 40
LESSONS = 10
TEACHER = "bench-teacher"
PASSWORD = "bench class password"
TABLE = "class table (live, 40 learners)"
POLL = "class poll (unchanged)"
TABLE_AIM_MS = 50.0  # p99 of the rendered table
POLL_AIM = 0.5  # an unchanged poll: at least half the bare route's requests/second


def write_lessons(root: Path) -> Path:
    """The real python-backend track (the other scenarios' lesson) and a generated one."""
    shutil.copytree(SHIPPED_LESSONS / scenarios.TRACK, root / scenarios.TRACK)
    shipped = len(list((root / scenarios.TRACK).glob("*.md")))
    return startup.write_lessons(root, LESSONS - shipped)  # copies of HTTP basics


def prepare(port: int, env: dict[str, str], database: Path,
            lessons_dir: Path) -> tuple[Learner, list[scenarios.Scenario]]:
    """Make the class and its learners' work; the teacher's browser and the scenarios."""
    server.flask({**env, "HYPERLESSON_NEW_PASSWORD": PASSWORD},
                 "users", "create-teacher", TEACHER, app="bench.wsgi")
    teacher = open_form(port, "/teach/", log_in(port, TEACHER, PASSWORD))
    made = fetch(port, "POST", "/teach/classes",
                 {"Cookie": teacher.cookie_header(),
                  "Content-Type": "application/x-www-form-urlencoded"},
                 teacher.form({"name": "Bench 7B"}))
    found = re.search(r"/teach/classes/(\d+)$", made.location or "")
    if made.status != 303 or found is None:
        raise RuntimeError(f"POST /teach/classes: {made.summary()}")
    class_url = found.group(0)
    page = fetch(port, "GET", class_url, {"Cookie": teacher.cookie_header()}).body.decode()
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', page)
    if code is None:
        raise RuntimeError(f"GET {class_url}: no join code in the class page")

    names = [f"bench-pupil-{n:02d}" for n in range(LEARNERS)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two workers: two sign-ups at a time
        list(pool.map(lambda name: sign_up(port, name, PASSWORD, code.group(1)), names))
    _insert_work(database, names, lessons_dir)

    # An old version renders the table, which names the current one in its poll URL.
    stale = f"{class_url}/progress?v=stale"
    headers = {"HX-Request": "true", "Cookie": teacher.cookie_header()}
    table = fetch(port, "GET", stale, headers)
    rows, columns = table.body.count(b'<th scope="row">'), table.body.count(b'<th scope="col"><a')
    if table.status != 200 or (rows, columns) != (LEARNERS, LESSONS):
        raise RuntimeError(f"the class table has {rows} learners and {columns} lessons, not "
                           f"{LEARNERS} and {LESSONS} ({table.summary()})")
    current = re.search(rb'hx-get="([^"]+)"', table.body).group(1).decode().replace("&amp;", "&")
    return teacher, [
        scenarios.Scenario(TABLE, "GET", stale, htmx=True, expect="fragment"),
        scenarios.Scenario(POLL, "GET", current, htmx=True, status=204),
    ]


def _insert_work(database: Path, names: list[str], lessons_dir: Path) -> None:
    """Each learner worked through 6 to 10 lessons in catalog order, the last one half
    done; rows as the app writes them (UTC times without an offset, booleans as 0/1)."""
    from hyperlesson.content import load_catalog  # only the parser: no app, no database

    lessons = [lesson for track in load_catalog(lessons_dir).tracks for lesson in track.lessons]
    if len(lessons) != LESSONS:
        raise RuntimeError(f"{lessons_dir} has {len(lessons)} lessons, not {LESSONS}")
    rng = random.Random(LEARNERS)

    def clock(start: datetime):  # one learner's moments, 20 to 90 s apart
        while True:
            start += timedelta(seconds=rng.randint(20, 90))
            yield start.strftime("%Y-%m-%d %H:%M:%S.%f")

    attempts, reached, opened = [], [], []
    db = sqlite3.connect(database, timeout=30)
    with closing(db), db:  # one transaction, committed on the way out
        ids = dict(db.execute("SELECT username, learner_id FROM accounts"))
        for n, name in enumerate(names):
            learner_id, started = ids[name], 6 + n % 5
            at = partial(next, clock(datetime.now(UTC) - timedelta(days=2, minutes=n)))
            for index, lesson in enumerate(lessons[:started]):
                share = 0.5 if index == started - 1 else 1.0
                for section in lesson.sections[:round(len(lesson.sections) * share)]:
                    reached.append((learner_id, lesson.key, at(), section.id))
                for question in lesson.questions[:round(len(lesson.questions) * share)]:
                    wrong = [option.key for option in question.options if not option.correct]
                    if wrong and rng.random() < 1 / 3:
                        attempts.append((learner_id, lesson.key, at(), question.id,
                                         rng.choice(wrong), 0))
                    attempts.append((learner_id, lesson.key, at(), question.id,
                                     question.correct_key, 1))
                if lesson.faqs and rng.random() < 0.3:
                    opened.append((learner_id, lesson.key, at(), rng.choice(lesson.faqs).id,
                                   rng.randint(1, 3)))
        db.executemany("INSERT INTO sections_reached (learner_id, lesson_key, created_at, "
                       "section_id) VALUES (?, ?, ?, ?)", reached)
        db.executemany("INSERT INTO quiz_attempts (learner_id, lesson_key, created_at, "
                       "question_id, choice, correct) VALUES (?, ?, ?, ?, ?, ?)", attempts)
        db.executemany("INSERT INTO faq_opened (learner_id, lesson_key, created_at, faq_id, "
                       "times) VALUES (?, ?, ?, ?, ?)", opened)
    print(f"  the class's work: {len(attempts):,} answers, {len(reached):,} sections "
          f"reached, {len(opened)} FAQ entries opened", flush=True)


def aims_line(rows: dict[str, Row]) -> str:
    """The class table's p99 and the unchanged poll's ratio, each against its aim."""
    parts = []
    if TABLE in rows:
        p99 = rows[TABLE].result.p99_ms
        parts.append(f"class table p99 {p99:.1f} ms, "
                     + ("within" if p99 < TABLE_AIM_MS else "over")
                     + f" the {TABLE_AIM_MS:g} ms aim")
    if POLL in rows and "bare" in rows:
        ratio = rows[POLL].result.rate / rows["bare"].result.rate
        parts.append(f"unchanged poll at {ratio:.2f} of the bare route's requests/second, "
                     + ("meeting" if ratio >= POLL_AIM else "under")
                     + f" the {POLL_AIM:g} aim")
    return "; ".join(parts) if parts else "class table: not measured"
