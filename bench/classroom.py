"""`make load` (`python -m bench.classroom`): a class at a human pace, then a count.

A teacher keeps the class dashboard open (its live fragment polls every 5 s) while
LEARNERS learners (60) arrive, LOAD_ARRIVALS (5) a second, sign up with the class's code
and then read, answer (a third of them wrong first), open FAQ answers and use the try-it
panel (a user lookup, a JSON POST, now and then a /sandbox/delay/1) until LOAD_SECONDS
(120) after the last arrived, each waiting 2 to 6 s between steps, against gunicorn as
`make serve` runs it (LOAD_WORKERS workers, 4, each with the threads of
hyperlesson/gunicorn_conf.py), or with LOAD_SERVER=waitress against `hyperlesson serve
--server waitress` (a Windows laptop's server), on a fresh SQLite database. Locust drives
them, in this process, so what each learner was told is kept.

Afterwards: every answer the server acknowledged must be in the database exactly once;
no request may fail; no "database is locked" in the server's log. Prints requests,
p50/p95/p99 per kind and writes bench-results/load.md; exits 1 when any check fails.
"""

from gevent import monkey

from hyperlesson.config import SHIPPED_LESSONS

monkey.patch_all()  # before anything opens a socket: Locust's users are greenlets

import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, constant, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from hyperlesson.content import load_catalog  # noqa: E402

from . import PROJECT_ROOT, server  # noqa: E402
from .report import machine  # noqa: E402

LEARNERS = int(os.environ.get("LEARNERS", 60))
SECONDS = float(os.environ.get("LOAD_SECONDS", 120))
# Learners arriving each second (LOAD_ARRIVALS): a class comes in over a minute or two,
# and each sign-up hashes a password (a tenth of a second of a core). The run lasts the
# arrivals and then LOAD_SECONDS; every request of both is counted.
ARRIVALS = float(os.environ.get("LOAD_ARRIVALS", 5))
WORKERS = int(os.environ.get("LOAD_WORKERS", 4))
# LOAD_SERVER=waitress: `hyperlesson serve --server waitress`, Windows' server, instead.
SERVER = server.Waitress if os.environ.get("LOAD_SERVER") == "waitress" else server.Gunicorn
SERVER_NAME = (f"waitress, {WORKERS * 8} threads" if SERVER is server.Waitress
               else f"gunicorn, {WORKERS} workers")
PASSWORD = "a class at work"
# LOAD_DATABASE_URL: a PostgreSQL server (postgresql+psycopg://...) to run on instead of
# SQLite; a database is made there for the run and dropped after it.
SERVER_URL = os.environ.get("LOAD_DATABASE_URL")
RESULTS = PROJECT_ROOT / "bench-results" / "load.md"
LESSON = load_catalog(SHIPPED_LESSONS).lesson("python-backend", "http-basics")
PAGE = f"/learn/{LESSON.track_slug}/{LESSON.slug}"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CLASS = {"id": 0, "code": ""}  # filled before the users start
ACKNOWLEDGED: list[tuple[str, str, str]] = []  # (username, question id, choice)
TRYIT_FORMS = [
    {"method": "GET", "path": "/sandbox/users/1"},
    {"method": "POST", "path": "/sandbox/users", "header_name": "Content-Type",
     "header_value": "application/json", "body": '{"name": "Ada", "email": "a@example.com"}'},
    {"method": "GET", "path": "/sandbox/delay/1"},
]


class Learner(HttpUser):
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.username = f"learner-{secrets.token_hex(4)}"
        token = self.token("/signup")
        self.client.post("/signup", name="sign up", data={
            "csrf_token": token, "username": self.username, "password": PASSWORD,
            "confirm": PASSWORD, "code": CLASS["code"]})
        self.csrf = self.token(PAGE)
        self.unread = [section.id for section in LESSON.sections]
        self.unanswered = list(LESSON.questions)

    def token(self, url: str) -> str:
        page = self.client.get(url, name=f"GET {url.split('?')[0]}").text
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def htmx_post(self, url: str, name: str, **fields):
        return self.client.post(url, name=name, data={"csrf_token": self.csrf, **fields},
                                headers={"HX-Request": "true"})

    @task(5)
    def read(self) -> None:
        if self.unread:
            section = self.unread.pop(0)
            self.htmx_post(f"{PAGE}/sections/{section}/reached", "section reached")

    @task(4)
    def answer(self) -> None:
        if not self.unanswered:
            return
        question = self.unanswered[0]
        wrong = [o.key for o in question.options if not o.correct]
        choice = random.choice(wrong) if wrong and random.random() < 0.33 else \
            question.correct_key
        reply = self.htmx_post(f"{PAGE}/quiz/{question.id}", "quiz answer", choice=choice)
        if reply.status_code == 200:
            ACKNOWLEDGED.append((self.username, question.id, choice))
            if choice == question.correct_key:
                self.unanswered.pop(0)

    @task(1)
    def faq(self) -> None:
        entry = random.choice(LESSON.faqs)
        self.client.get(f"{PAGE}/faq/{entry.id}?open=1", name="FAQ open",
                        headers={"HX-Request": "true"})

    @task(2)
    def try_it(self) -> None:
        form = random.choices(TRYIT_FORMS, weights=(5, 3, 1))[0]
        name = "try-it delay/1" if "delay" in form["path"] else "try-it send"
        self.htmx_post("/tryit/send", name, lesson=LESSON.key, **form)

    @task(1)
    def page(self) -> None:
        self.client.get(PAGE, name="lesson page")


class Teacher(HttpUser):
    fixed_count = 1
    wait_time = constant(5)

    def on_start(self) -> None:
        token = CSRF.search(self.client.get("/login", name="GET /login").text).group(1)
        self.client.post("/login", name="teacher login", data={
            "csrf_token": token, "username": "load-teacher", "password": PASSWORD})
        self.version = ""

    @task
    def watch(self) -> None:
        """The live fragment, as the open class page polls it."""
        reply = self.client.get(f"/teach/classes/{CLASS['id']}/progress?v={self.version}",
                                name="dashboard poll", headers={"HX-Request": "true"})
        found = re.search(r"progress\?v=([^\"&]+)", reply.text)
        if found:
            self.version = found.group(1)


def prepare(base_url: str, env: dict[str, str]) -> None:
    """A teacher (from the command line, as a school makes one) and a class."""
    import requests

    server.flask(env, "users", "create-teacher", "load-teacher")
    session = requests.Session()
    token = CSRF.search(session.get(f"{base_url}/login").text).group(1)
    session.post(f"{base_url}/login", data={"csrf_token": token, "username": "load-teacher",
                                            "password": PASSWORD})
    token = CSRF.search(session.get(f"{base_url}/teach/").text).group(1)
    made = session.post(f"{base_url}/teach/classes", data={"csrf_token": token,
                                                           "name": "Load test"})
    CLASS["id"] = int(made.url.rstrip("/").rsplit("/", 1)[1])
    CLASS["code"] = re.search(r'class="join-code">([A-Z0-9-]+)<', made.text).group(1)


def stored_answers(database_url: str) -> dict[tuple[str, str, str], int]:
    engine = create_engine(database_url)
    with engine.connect() as db:
        rows = db.execute(text(
            "SELECT a.username, q.question_id, q.choice, count(*) FROM quiz_attempts q "
            "JOIN accounts a ON a.learner_id = q.learner_id GROUP BY 1, 2, 3")).all()
    engine.dispose()
    return {(user, question, choice): n for user, question, choice, n in rows}


@contextmanager
def run_database(folder: Path):
    """The URL of an empty database for this run: a SQLite file where `hyperlesson serve`
    keeps it (folder/hyperlesson-data), or a new database on LOAD_DATABASE_URL's server,
    dropped afterwards."""
    if not SERVER_URL:
        (folder / "hyperlesson-data").mkdir()
        yield f"sqlite:///{folder / 'hyperlesson-data' / 'hyperlesson.db'}"
        return
    server_url = make_url(SERVER_URL)
    name = f"hyperlesson_load_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def table(stats) -> list[str]:
    lines = ["| request | count | failures | p50 ms | p95 ms | p99 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        lines.append(f"| {entry.name} | {entry.num_requests} | {entry.num_failures} | "
                     f"{entry.median_response_time:.0f} | "
                     f"{entry.get_response_time_percentile(0.95):.0f} | "
                     f"{entry.get_response_time_percentile(0.99):.0f} |")
    return lines


def main() -> int:
    with (tempfile.TemporaryDirectory(prefix="hyperlesson-load-") as tmp,
          run_database(Path(tmp)) as database_url):
        env = {**os.environ, "DATABASE_URL": database_url,
               "HYPERLESSON_SECRET_KEY": secrets.token_hex(32),
               "HYPERLESSON_NEW_PASSWORD": PASSWORD,
               # One address for the whole class, as behind a school's router.
               "HYPERLESSON_NEW_LEARNERS_PER_NETWORK_PER_HOUR": str(LEARNERS + 100),
               "HYPERLESSON_NEW_LEARNERS_PER_NETWORK_PER_DAY": str(LEARNERS + 100)}
        server.migrate(env, app="app")
        with SERVER(env, WORKERS, Path(tmp) / "server.log",
                    app="app:create_app()", sync=False) as served:
            prepare(served.base_url, env)
            environment = Environment(user_classes=[Learner, Teacher], events=events,
                                      host=served.base_url)
            runner = environment.create_local_runner()
            arriving = LEARNERS / ARRIVALS
            print(f"{LEARNERS} learners and a teacher, arriving over {arriving:.0f} s, then "
                  f"{SECONDS:.0f} s together on {SERVER_NAME}...", flush=True)
            runner.start(LEARNERS + 1, spawn_rate=ARRIVALS)
            gevent.spawn_later(arriving + SECONDS, runner.quit)
            runner.greenlet.join()
            log = served.log_tail(200)
        stored = stored_answers(database_url)
    acknowledged = set(ACKNOWLEDGED)
    missing = [a for a in acknowledged if stored.get(a, 0) == 0]
    twice = [a for a, n in stored.items() if n > 1]
    stats = environment.stats
    failures = stats.total.num_failures
    locked = "database is locked" in log
    notes = [f"answers acknowledged {len(ACKNOWLEDGED)} ({len(acknowledged)} different), "
             f"missing from the database {len(missing)}, stored twice {len(twice)}",
             f"requests {stats.total.num_requests}, failed {failures}; "
             f"'database is locked' in the log: {'yes' if locked else 'no'}"]
    notes += [f"failed: {error.method} {error.name}: {error.error} ({error.occurrences}x)"
              for error in stats.errors.values()]
    failed = bool(missing or twice or failures or locked)
    lines = table(stats)
    print("\n".join(["", *lines, "", *notes]))
    RESULTS.parent.mkdir(exist_ok=True)
    context = "".join(f"- {label}: {value}\n" for label, value in machine())
    kind = "PostgreSQL" if SERVER_URL else "SQLite"
    RESULTS.write_text(f"# make load: {LEARNERS} learners arriving {ARRIVALS:g} a second, "
                       f"then {SECONDS:.0f} s, {SERVER_NAME}, {kind}\n\n{context}\n"
                       + "\n".join(lines) + "\n\n"
                       + "".join(f"- {n}\n" for n in notes)
                       + f"- {'FAILED' if failed else 'passed'}\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
