"""`flask lessons check` as a teacher runs it: every problem once, in file and line order,
in one run, and the drafts listed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.unit.lesson_files import VALID, edit

from .helpers import captured_log

ROOT = Path(__file__).resolve().parents[2]


def write_lessons(root: Path) -> Path:
    track = root / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "live.md").write_text(VALID)
    os.utime(track / "live.md", (1_000_000, 1_000_000))  # served long before the others
    (track / "broken.md").write_text(edit("title: Sample lesson\n", "what: 1\n",
                                          edit("- [x] 4", "- [ ] 4")))
    (track / "copy.md").write_text(edit("order: 1", "order: 1\nrelated: [gone]"))
    (track / "wip.md").write_text(edit("order: 1", "order: 2\ndraft: true"))
    return track


def run_check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    lessons = tmp_path / "lessons"
    env = {**os.environ, "HYPERLESSON_LESSONS_DIR": str(lessons),
           "HYPERLESSON_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db",
           "HYPERLESSON_SECRET_KEY": "test", "HYPERLESSON_LESSON_CACHE": "false"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "lessons", "check",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_every_problem_once_sorted_in_one_run_with_the_drafts(tmp_path):
    track = write_lessons(tmp_path / "lessons")
    result = run_check(tmp_path)
    assert result.returncode == 1, result.stderr
    # The app the command loads must not log the same problems first.
    assert "lesson left out" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    problems = [line for line in lines if not line.endswith("to publish it)")]
    shown = [(line.split(":")[0], int(line.split(":")[1])) for line in problems]
    assert shown == sorted(shown) and len(set(problems)) == len(problems)
    assert [line.split(": ", 1)[1].split(" (")[0].split(":")[0] for line in problems] == [
        "missing title", "unknown key 'what'", "duplicate order 1",
        "question 1 has no correct answer",
        "duplicate order 1", "related lesson 't/gone' does not exist"]
    assert f"{track / 'broken.md'}:3: duplicate order 1: {track / 'live.md'} has it" \
        in result.stdout
    assert lines[-1] == (f"{track / 'wip.md'}: draft, served to nobody (remove "
                         "'draft: true' to publish it)")
    assert "6 problem(s) found." in result.stderr


def test_a_clean_folder_counts_its_lessons_and_drafts(tmp_path):
    track = write_lessons(tmp_path / "lessons")
    (track / "broken.md").unlink()
    (track / "copy.md").unlink()
    result = run_check(tmp_path, str(track))
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip().endswith("1 lesson(s) OK, 1 draft(s).")


def test_the_server_still_logs_what_it_leaves_out(tmp_path, migrated_db, monkeypatch):
    import shutil

    from tests.conftest import make_app

    write_lessons(tmp_path / "lessons")
    shutil.copy(migrated_db, tmp_path / "s.db")
    with captured_log(monkeypatch) as records:
        app = make_app(tmp_path / "s.db", LESSONS_DIR=str(tmp_path / "lessons"))
    assert len([r for r in records if "lesson left out" in r.getMessage()]) == 6
    assert app.test_client().get("/learn/t/live").status_code == 200


def test_task_mistakes_are_reported_with_their_lines(tmp_path):
    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    task = ("```task\ntitle: Answer 304\nrequest: POST /sandbox/users\nstatus: 304\n"
            "colour: red\n\nGo.\n```\n\n```task\ntitle: Outside\nrequest: GET /admin\n\nGo.\n```")
    (track / "tasks.md").write_text(edit("Some words in the first section.", task))
    result = run_check(tmp_path)
    assert result.returncode == 1
    first = VALID.split("\n").index("Some words in the first section.") + 1
    shown = [line.removeprefix(f"{tmp_path}/") for line in result.stdout.splitlines()]
    assert shown[:2] == [
        f"lessons/t/tasks.md:{first + 4}: malformed task: unknown key 'colour' (a task has: "
        "id, title, request, status, first status, hint, request header, request query, "
        "request json, "
        "response header, response json; then an empty line and the goal)",
        f"lessons/t/tasks.md:{first + 11}: malformed task: the path must start with "
        "/sandbox/ (got '/admin')"]


def test_a_path_with_no_lesson_to_check_says_so(tmp_path):
    """`check loose.md` (a lesson in a folder with no track.yaml), `check track.yaml` or
    a folder of anything else answered "0 lesson(s) OK" with exit 0: nothing had been
    checked, and the teacher read it as a pass."""
    from click.testing import CliRunner

    from hyperlesson.command import main

    loose = tmp_path / "notes"
    loose.mkdir()
    (loose / "loose.md").write_text(VALID)
    track = write_lessons(tmp_path / "lessons")
    (tmp_path / "empty").mkdir()
    runner = CliRunner()
    in_no_track = runner.invoke(main, ["check", str(loose / "loose.md")])
    assert in_no_track.exit_code == 1
    assert f"{loose}:1: a track folder needs a track.yaml" in in_no_track.output
    for path in (track / "track.yaml", tmp_path / "empty"):
        nothing = runner.invoke(main, ["check", str(path)])
        assert nothing.exit_code == 1, nothing.output
        assert "No lesson to check" in nothing.output and "0 lesson(s) OK" not in nothing.output


def test_check_agrees_with_serve_without_the_shipped_tracks(tmp_path):
    """`check` always let related links into the shipped track pass, and `serve
    --no-shipped-tracks` then left those lessons out: the same flag on check says so."""
    from click.testing import CliRunner

    from hyperlesson.command import main

    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "linked.md").write_text(edit("order: 1", "order: 1\n"
                                          "related: [python-backend/http-basics]"))
    runner = CliRunner()
    with_shipped = runner.invoke(main, ["check", str(track)])
    assert with_shipped.exit_code == 0, with_shipped.output
    alone = runner.invoke(main, ["check", "--no-shipped-tracks", str(track)])
    assert alone.exit_code == 1, alone.output
    assert (f"{track / 'linked.md'}:4: related lesson 'python-backend/http-basics' "
            "does not exist") in alone.output
