"""Command-line tools: `flask --app app lessons check [PATH]`, `flask --app app purge`,
`flask --app app users create-teacher|create-learner|list|set-password|set-role`."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import ops_cli
from .config import SHIPPED_LESSONS
from .content import load_catalog

lessons_cli = AppGroup("lessons", help="Work with lesson files.")


def _catalog_root(path: Path) -> Path:
    """The folder of tracks that holds PATH (a tracks folder, a track or a lesson file)."""
    if path.is_file():
        return path.resolve().parent.parent
    if (path / "track.yaml").is_file() or any(path.glob("*.md")):
        return path.resolve().parent
    return path.resolve()


def runs_lessons_command(argv: list[str] | None = None) -> bool:
    """True when this process is `flask ... lessons ...`: that command prints the lesson
    problems itself, so the app it loads first must not log them a second time.
    (Flask loads the app before click knows the command, hence argv.)"""
    args = sys.argv[1:] if argv is None else argv
    return bool(os.environ.get("FLASK_RUN_FROM_CLI")) and "lessons" in args


def _inside(path: str, target: Path) -> bool:
    resolved = Path(path).resolve()
    return resolved == target or target in resolved.parents


def check_lessons(path: Path, shipped: bool = False) -> None:
    """Validate the lessons at PATH (a folder of tracks, a track or a lesson file): print
    each problem once as path:line: message, sorted by file and line, then the drafts;
    exit 1 if there is any problem. `shipped`: links may point into the shipped tracks."""
    target = path.resolve()
    roots = [SHIPPED_LESSONS, _catalog_root(target)] if shipped else [_catalog_root(target)]
    catalog = load_catalog(roots)
    # A lesson file's own track counts too: its track.yaml, or the lack of one.
    track_level = {target.parent, target.parent / "track.yaml"} if target.is_file() else set()
    problems = [p for p in catalog.problems
                if _inside(p.path, target) or Path(p.path).resolve() in track_level]
    for problem in problems:
        click.echo(str(problem))
    drafts = [lesson for lesson in catalog.drafts if _inside(lesson.source, target)]
    for draft in drafts:
        click.echo(f"{draft.source}: draft, served to nobody (remove 'draft: true' "
                   "to publish it)")
    lessons = sum(1 for t in catalog.tracks for lesson in t.lessons
                  if _inside(lesson.source, target))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    if not lessons and not drafts:
        click.echo(f"No lesson to check in {path}: a track is a folder with a track.yaml "
                   "and one .md file per lesson (`hyperlesson new-track` makes one).",
                   err=True)
        raise SystemExit(1)
    click.echo(f"{lessons} lesson(s) OK" + (f", {len(drafts)} draft(s)." if drafts else "."),
               err=True)


@lessons_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def check(path: Path | None) -> None:
    """Validate lessons; print each problem once as path:line: message, sorted by file
    and line, then the drafts; exit 1 if there is any problem."""
    check_lessons(path or Path(current_app.config["LESSONS_DIR"]),
                  shipped=current_app.config["SHIPPED_TRACKS"])


@click.command("purge")
@with_appcontext
@click.option("--learners-idle-days", type=click.IntRange(min=1),
              help="Remove learners not seen for this many days "
                   "[default: PURGE_LEARNERS_IDLE_DAYS, 180].")
@click.option("--one-visit-idle-days", type=click.IntRange(min=1),
              help="Remove learners seen on one day only, after this many days "
                   "[default: PURGE_ONE_VISIT_IDLE_DAYS, 14].")
@click.option("--sandbox-idle-days", type=click.IntRange(min=1),
              help="Remove sandbox datasets not written for this many days "
                   "[default: PURGE_SANDBOX_IDLE_DAYS, 30].")
def purge_command(learners_idle_days: int | None, one_visit_idle_days: int | None,
                  sandbox_idle_days: int | None) -> None:
    """Remove idle anonymous learners, idle sandbox datasets and spent rate counters.
    Run it daily (cron, a systemd timer or Task Scheduler)."""
    from .records.purge import purge

    config = current_app.config
    learner_days = learners_idle_days or config["PURGE_LEARNERS_IDLE_DAYS"]
    one_visit_days = one_visit_idle_days or config["PURGE_ONE_VISIT_IDLE_DAYS"]
    sandbox_days = sandbox_idle_days or config["PURGE_SANDBOX_IDLE_DAYS"]
    purged = purge(learners_idle=timedelta(days=learner_days),
                   one_visit_idle=timedelta(days=one_visit_days),
                   sandbox_idle=timedelta(days=sandbox_days))
    click.echo(f"Removed {purged.learners} learner(s) idle for {learner_days} days "
               f"({one_visit_days} after a single day's visit), "
               f"{purged.datasets} sandbox dataset(s) idle for {sandbox_days} days and "
               f"{purged.counters} spent rate counter(s).")


users_cli = AppGroup("users", help="Make accounts and set passwords (no email needed).")
NEW_PASSWORD_VARIABLE = "HYPERLESSON_NEW_PASSWORD"


def _new_password() -> str:
    """From HYPERLESSON_NEW_PASSWORD (for scripts), else asked for twice, never echoed."""
    return os.environ.get(NEW_PASSWORD_VARIABLE) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)


def _create(name: str, role: str) -> None:
    from .extensions import db
    from .records import accounts

    try:
        password_hash = accounts.hash_password(name, _new_password())
        account = accounts.create(name, password_hash, accounts.new_learner(), role)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created the {role} account {account.username}.")


@users_cli.command("create-teacher")
@click.argument("name")
def create_teacher(name: str) -> None:
    """Make a teacher's account NAME (password asked, or HYPERLESSON_NEW_PASSWORD)."""
    _create(name, "teacher")


@users_cli.command("create-learner")
@click.argument("name")
def create_learner(name: str) -> None:
    """Make a learner's account NAME, for a school that closes sign-up."""
    _create(name, "learner")


@users_cli.command("list")
def list_users() -> None:
    """Every account: username, role, created (UTC)."""
    from sqlalchemy import select

    from .extensions import db
    from .records.models import Account

    for account in db.session.scalars(select(Account).order_by(Account.username_key)):
        click.echo(f"{account.username}\t{account.role}\t"
                   f"{account.created_at:%Y-%m-%d %H:%M}")


@users_cli.command("set-password")
@click.argument("name")
def set_password(name: str) -> None:
    """Give NAME a new password; every browser logged in to it is logged out."""
    from .extensions import db
    from .records import accounts

    account = accounts.find(name)
    if account is None:
        raise click.ClickException(f"There is no account {name!r} (users list shows them).")
    try:
        accounts.set_password(account, _new_password())
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"The password of {account.username} is changed.")


@users_cli.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(["teacher", "learner"]))
def set_role(name: str, role: str) -> None:
    """Make NAME a teacher (a teacher who signed up on the page) or a learner again."""
    from .extensions import db
    from .records import accounts

    account = accounts.find(name)
    if account is None:
        raise click.ClickException(f"There is no account {name!r} (users list shows them).")
    try:
        accounts.set_role(account, role)
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{account.username} is a {role} now.")


def init_app(app: Flask) -> None:
    app.cli.add_command(lessons_cli)
    app.cli.add_command(purge_command)
    app.cli.add_command(users_cli)
    ops_cli.init_app(app)  # backup, restore, year-end
