"""Command-line tools: `flask --app app lessons check [PATH]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .content import load_catalog

lessons_cli = AppGroup("lessons", help="Work with lesson files.")


def _catalog_root(path: Path) -> Path:
    """The folder of tracks that holds PATH (a tracks folder, a track or a lesson file)."""
    if path.is_file():
        return path.resolve().parent.parent
    if (path / "track.yaml").is_file() or any(path.glob("*.md")):
        return path.resolve().parent
    return path.resolve()


@lessons_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def check(path: Path | None) -> None:
    """Validate lessons; print each problem as path:line: message; exit 1 if any."""
    target = (path or Path(current_app.config["LESSONS_DIR"])).resolve()
    catalog = load_catalog(_catalog_root(target))
    problems = [p for p in catalog.problems
                if Path(p.path).resolve() == target or target in Path(p.path).resolve().parents]
    for problem in problems:
        click.echo(str(problem))
    lessons = sum(1 for t in catalog.tracks for lesson in t.lessons
                  if target in Path(lesson.source).resolve().parents
                  or Path(lesson.source).resolve() == target)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    click.echo(f"{lessons} lesson(s) OK.", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(lessons_cli)
