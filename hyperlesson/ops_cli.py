"""Running a school's server: `flask --app app backup PATH`, `restore PATH` and
`year-end FOLDER` (docs/deploy.md says when to use each)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .backup import BackupError, backup, restore


def backup_suffix(uri: str) -> str:
    return ".pgdump" if make_url(uri).get_backend_name() == "postgresql" else ".db"


def _backup_to(target: Path) -> Path:
    """Back up into `target`, or into a new dated file when it is a folder."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if target.is_dir():
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d-%H%M%S")
        target = target / f"hyperlesson-{stamp}{backup_suffix(uri)}"
    try:
        backup(uri, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    return target


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the whole database to the new file PATH (or a dated file in the folder PATH)
    while the server runs: SQLite's online backup, or pg_dump for PostgreSQL."""
    click.echo(f"Backed up to {_backup_to(path)}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace everything in the database with the backup PATH, then bring it to this
    version's schema. Stop the server first."""
    from flask_migrate import upgrade

    from .extensions import db

    if not yes:
        click.confirm(f"Replace everything in the database with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # nothing of ours holds a table pg_restore drops
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    upgrade()
    click.echo(f"Restored {path}.")


@click.command("year-end")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--remove-learners", is_flag=True,
              help="Then delete every learner but the teachers: accounts, anonymous "
                   "learners and all they did.")
@click.option("--yes", is_flag=True, help="Do not ask before removing learners.")
@with_appcontext
def year_end_command(folder: Path, remove_learners: bool, yes: bool) -> None:
    """Close a school year: write a backup and each class's progress and answers (CSV)
    into the new FOLDER, then archive every class (its join code stops working)."""
    from . import year_end

    if folder.exists() and any(folder.iterdir()):
        raise click.ClickException(f"{folder} is not empty: give a new folder.")
    if remove_learners and not yes:
        click.confirm("Delete every learner but the teachers, with all they did, after "
                      "the archive is written?", abort=True)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # learners' names and answers
    except OSError as error:  # a typo, a file on the way, a read-only disk
        message = (f"Cannot make the folder {folder}: {error.strerror}. Give a folder "
                   "that can be made; nothing was changed.")
        raise click.ClickException(message) from None
    saved = _backup_to(folder)
    files = year_end.write_class_csvs(folder / "classes")
    archived = year_end.archive_classes()
    click.echo(f"Wrote {saved.name} and {len(files)} CSV file(s) into {folder}; "
               f"archived {archived} class(es).")
    if remove_learners:
        click.echo(f"Removed {year_end.remove_learners()} learner(s) with everything they did.")


def init_app(app: Flask) -> None:
    for command in (backup_command, restore_command, year_end_command):
        app.cli.add_command(command)
