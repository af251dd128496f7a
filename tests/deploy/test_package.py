"""Issue 17: the wheel a teacher installs. It is built from a copy of the sources,
installed into a new virtual environment with nothing but the runtime lock's files
(.venv/wheelhouse, filled by `make test`: no network), and used as a teacher would:
new-track, check, then serve from an empty folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from tests.conftest import REPOSITORY

from .test_two_servers import free_port, wait_until_up

WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
BIN = "Scripts" if sys.platform == "win32" else "bin"


def run(*args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """The `hyperlesson` command of a new venv, and an environment without the checkout."""
    if not any(WHEELHOUSE.glob("*.whl")):
        pytest.fail(f"{WHEELHOUSE} is empty: `make test` fills it from requirements.txt")
    root = tmp_path_factory.mktemp("package")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPOSITORY / name, source / name)
    shutil.copytree(REPOSITORY / "hyperlesson", source / "hyperlesson",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("HYPERLESSON")}
    built = run(sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
                "--wheel-dir", str(root / "dist"), str(source), cwd=root, env=env)
    assert built.returncode == 0, built.stderr
    wheel = next((root / "dist").glob("hyperlesson-*.whl"))
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / BIN / "python"
    install = run(str(python), "-m", "pip", "install", "--no-index", "--find-links",
                  str(WHEELHOUSE), str(wheel), cwd=root, env=env)
    assert install.returncode == 0, install.stderr
    return root / "venv" / BIN / "hyperlesson", env


def test_the_wheel_carries_templates_static_files_migrations_and_the_track(installed):
    command, env = installed
    site = subprocess.run(
        [str(command.parent / "python"), "-c",
         "import hyperlesson, pathlib; print(pathlib.Path(hyperlesson.__file__).parent)"],
        capture_output=True, text=True, env=env, cwd=command.parent, check=True)
    package = Path(site.stdout.strip())
    assert "site-packages" in package.parts
    for part in ("templates/lessons/page.html", "static/css/app.css",
                 "migrations/env.py", "lessons/python-backend/http-basics.md",
                 "starter/first-lesson.md"):
        assert (package / part).is_file(), part


def test_a_teacher_makes_a_track_checks_it_and_serves_it(installed, tmp_path):
    command, env = installed
    version = run(str(command), "--version", cwd=tmp_path, env=env)
    assert version.stdout.strip() == "hyperlesson, version 0.1.0"

    teacher = tmp_path / "lessons"
    made = run(str(command), "new-track", str(teacher / "my-course"), cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (teacher / "my-course").iterdir()) == [
        "first-lesson.md", "track.yaml"]
    checked = run(str(command), "check", str(teacher), cwd=tmp_path, env=env)
    assert (checked.returncode, checked.stderr.strip()) == (0, "1 lesson(s) OK.")

    empty = tmp_path / "empty"
    empty.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [str(command), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--lessons", str(teacher)],
        cwd=empty, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, server)
        lesson = requests.get(f"{url}/learn/my-course/first-lesson", timeout=10)
        assert lesson.status_code == 200
        assert "Writing your first lesson" in lesson.text
        shipped = requests.get(f"{url}/learn/python-backend/http-basics", timeout=10)
        assert shipped.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert f"On this computer: {url}/" in out
    # The data folder is made where the teacher started it, and only there.
    assert sorted(p.name for p in empty.iterdir()) == ["hyperlesson-data"]
    assert {"hyperlesson.db", "secret_key"} <= {p.name for p in
                                                (empty / "hyperlesson-data").iterdir()}
    assert "Traceback" not in err
