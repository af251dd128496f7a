"""The server under test: gunicorn serving `bench.wsgi:app` on a throwaway database.

`make bench` measures what each request costs: hyperlesson/gunicorn_conf.py with sync
workers, two by default (BENCH_WORKERS), one request per process at a time. The app is
CPU-bound Python, so one process per core is as fast as it gets. `make serve` runs
threads (gthread) so that slow clients and sandbox delays hold a thread, not a worker;
under wrk's eight kept-alive connections at full load, threads add a GIL convoy and an
uneven split of connections between the workers that swamp what is being measured (the
lesson page from 0.29 to 0.17 of the bare route in one A/B, the bare route itself
halving between runs). `make load` (bench/classroom.py) measures the serving model
itself, at a class's pace. wrk shares the machine too, which is why it runs one thread
and the figures that matter are the ratios between scenarios, all measured under the
same conditions."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from . import PROJECT_ROOT
from .client import fetch


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict[str, str], *args: str, app: str = "app") -> None:
    """Run a `flask --app APP ...` command, as a teacher would; fail with its output."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", app, *args],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def migrate(env: dict[str, str], app: str = "bench.wsgi") -> None:
    """Create the schema with the project's own migrations, as `make run` does."""
    flask(env, "db", "upgrade", app=app)


class Gunicorn:
    """Start on enter (returning once /healthz answers), stop on exit, always."""

    def __init__(self, env: dict[str, str], workers: int, log: Path,
                 app: str = "bench.wsgi:app", sync: bool = True) -> None:
        self.env, self.workers, self.log, self.app = env, workers, log, app
        self.sync = sync
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        # hyperlesson/gunicorn_conf.py as `make serve` reads it; for the bench, one request
        # per process (sync): see the docstring.
        serving = (["--worker-class", "sync", "--threads", "1"] if self.sync else [])
        return [sys.executable, "-m", "gunicorn", "--chdir", str(PROJECT_ROOT),
                "-c", "python:hyperlesson.gunicorn_conf", *serving,
                "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                "--log-level", "warning", self.app]

    def __enter__(self) -> Gunicorn:
        command = self.command()
        # The server logs errors to stderr; a file keeps them for a failure message.
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_healthy()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: gunicorn stops its workers, then itself
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 20) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n"
                                   f"{self.log_tail()}")
            try:
                if fetch(self.port, "GET", "/healthz").status == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n"
                           f"{self.log_tail()}")


class Waitress(Gunicorn):
    """`hyperlesson serve --server waitress`, as a Windows laptop serves a class: one
    process, `workers` x 8 threads, the shipped track, the database in the environment,
    and the folders as a teacher's are by default: the lessons folder is the one the
    server's log is in, with ./hyperlesson-data inside it."""

    def command(self) -> list[str]:
        folder = self.log.parent
        return [sys.executable, "-m", "hyperlesson", "serve", "--server", "waitress",
                "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(self.workers), "--lessons", str(folder),
                "--data", str(folder / "hyperlesson-data")]
