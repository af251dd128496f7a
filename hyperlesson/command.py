"""The `hyperlesson` command (also `python -m hyperlesson`), for a teacher's computer or
a school's server: serve, new-track and check, and the server's upkeep (users, purge,
backup, restore, year-end), each with its data folder and lessons folder."""

from __future__ import annotations

import copy
import shutil
import string
from importlib import metadata
from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo

from . import create_app, serving
from .cli import check_lessons, purge_command, users_cli
from .config import PACKAGE_ROOT
from .content.parse import SLUG
from .ops_cli import backup_command, restore_command, year_end_command
from .wording import counted

DATA_DEFAULT = "hyperlesson-data"
STARTER = PACKAGE_ROOT / "starter"
UPKEEP_COMMANDS = (users_cli, purge_command, backup_command, restore_command,
                   year_end_command)


def _folders(info: ScriptInfo) -> tuple[Path, Path]:
    return info.data["data"], info.data["lessons"]


def _remember(name: str):
    def callback(ctx: click.Context, _param, value: Path) -> None:
        ctx.ensure_object(ScriptInfo).data[name] = value.resolve()
    return callback


def _folder_options() -> list[click.Option]:
    """--data and --lessons, for every command that builds the app. They are read before
    the command runs (is_eager), so the app is built with them."""
    return [
        click.Option(["--data"], type=click.Path(file_okay=False, path_type=Path),
                     default=DATA_DEFAULT, show_default=True, envvar="HYPERLESSON_DATA",
                     is_eager=True, expose_value=False, callback=_remember("data"),
                     help="The folder for the database, the secret key and config.py."),
        click.Option(["--lessons"], type=click.Path(exists=True, file_okay=False,
                                                     path_type=Path),
                     default=".", show_default="the current folder", is_eager=True,
                     expose_value=False, callback=_remember("lessons"),
                     help="The folder that holds your tracks (one folder per track)."),
    ]


def build_app(info: ScriptInfo, shipped_tracks: bool = True,
              watch_lessons: bool = False) -> Flask:
    """The app on the folders given, its database brought up to date: any command may be
    the first one run on a new data folder (`users create-teacher` before `serve`)."""
    from flask_migrate import upgrade

    from .extensions import db

    data, lessons = _folders(info)
    app = create_app({"LESSONS_DIR": str(lessons), "SHIPPED_TRACKS": shipped_tracks,
                      "WATCH_LESSONS": watch_lessons}, data=data)
    with app.app_context():
        upgrade()
        db.engine.dispose()  # serve: no connection of this process goes to the workers
    return app


class HyperlessonCommand(click.Group):
    """Adds --data and --lessons to the upkeep commands, which build the app on demand."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        for command in UPKEEP_COMMANDS:
            if command.name == name:
                return _with_folders(command)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *(c.name for c in UPKEEP_COMMANDS)])


def _with_folders(command: click.Command) -> click.Command:
    """A copy of `command` whose commands that run (a group's, not the group) take the
    folder options: `hyperlesson users list --data DIR`."""
    command = copy.copy(command)
    if isinstance(command, click.Group):
        command.commands = {name: _with_folders(sub) for name, sub in command.commands.items()}
    else:
        command.params = [*command.params, *_folder_options()]
    return command


def _version() -> str:
    try:
        return metadata.version("hyperlesson")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


@click.group(cls=HyperlessonCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="hyperlesson")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Hyperlesson: interactive lessons for a class, served from this computer.

    \b
    Start:   hyperlesson serve            (then open the address it prints)
    Write:   hyperlesson new-track my-course
    Check:   hyperlesson check
    """
    info = ctx.ensure_object(ScriptInfo)
    info.create_app = lambda: build_app(info)


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True,
              help="The address to listen on: 0.0.0.0 lets computers on the network in, "
                   "127.0.0.1 only this one.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--sandbox-port", type=click.IntRange(1, 65535),
              help="Also listen on this port, for HYPERLESSON_SANDBOX_ORIGIN: the sandbox "
                   "on an origin of its own (README, Safety).")
@click.option("--workers", type=click.IntRange(1, 64), default=4,
              show_default=True,
              help=f"Server processes (on waitress: this many times "
                   f"{serving.gunicorn_conf.threads} threads).")
@click.option("--server", type=click.Choice(serving.SERVERS),
              default=serving.default_server(), show_default=True,
              help="gunicorn (Linux, macOS) or waitress (any system, Windows' choice).")
@click.option("--no-shipped-tracks", is_flag=True,
              help="Serve only your tracks, not the python-backend track that comes with "
                   "Hyperlesson.")
@click.pass_obj
def serve(info: ScriptInfo, host: str, port: int, sandbox_port: int | None, workers: int,
          server: str, no_shipped_tracks: bool) -> None:
    """Bring the database up to date, then serve the lessons until Ctrl+C. Lesson edits
    show on the next refresh."""
    ports = [port] if sandbox_port is None else [port, sandbox_port]
    for option, taken in zip(("--port", "--sandbox-port"), ports, strict=False):
        if serving.port_in_use(host, taken):
            raise click.ClickException(
                f"Port {taken} is in use on this computer (another server, or "
                f"Hyperlesson already running?): choose another with {option} {taken + 1}.")
    app = build_app(info, shipped_tracks=not no_shipped_tracks, watch_lessons=True)
    catalog = app.extensions["catalog"]
    data, lessons = _folders(info)
    click.echo(f"Hyperlesson {_version()}: {counted(catalog.lesson_count, 'lesson')} in "
               f"{counted(len(catalog.tracks), 'track')} (yours from {lessons}), "
               f"data in {data}.")
    if (lessons / "track.yaml").is_file():
        click.echo(f"{lessons} is a track itself, not a folder of tracks: start from its "
                   f"parent, or add --lessons {lessons.parent}.")
    if catalog.problems:
        click.echo(f"{counted(len(catalog.problems), 'lesson problem')}: run "
                   f"`hyperlesson check {lessons}` to see them.")
    local, network = serving.addresses(host, port)
    for url in local:
        click.echo(f"  On this computer: {url}")
    for url in network:
        click.echo(f"  On the network:   {url}   (give learners this one)")
    if not network and host in ("0.0.0.0", "::"):
        click.echo("  No network address found: learners' computers must be on a network "
                   "with this one.")
    click.echo("Stop it with Ctrl+C.")
    serving.serve(app, server, host, ports, workers)


serve.params += _folder_options()


@main.command("new-track")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new_track(folder: Path) -> None:
    """Make FOLDER a new track: a track.yaml and an example lesson to edit."""
    if not SLUG.match(folder.name):
        raise click.BadParameter(
            f"{folder.name!r}: a track folder's name is its web address, so it may only "
            "use lowercase letters, digits and '-' (for example my-course).",
            param_hint="FOLDER")
    if folder.exists() and any(folder.iterdir()):
        raise click.BadParameter(f"{folder} is not empty: choose a new folder.",
                                 param_hint="FOLDER")
    folder.mkdir(parents=True, exist_ok=True)
    title = folder.name.replace("-", " ").capitalize()
    track = string.Template((STARTER / "track.yaml").read_text(encoding="utf-8"))
    (folder / "track.yaml").write_text(track.substitute(title=title), encoding="utf-8")
    shutil.copyfile(STARTER / "first-lesson.md", folder / "first-lesson.md")
    click.echo(f"Made the track {title!r} in {folder}: track.yaml and first-lesson.md.")
    where = "" if folder.parent.resolve() == Path.cwd() else f" --lessons {folder.parent}"
    click.echo(f"Next: `hyperlesson serve{where}`, then open the track's first lesson.")


@main.command()
@click.argument("path", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@click.option("--no-shipped-tracks", is_flag=True,
              help="Check for `serve --no-shipped-tracks`: a related link into the "
                   "python-backend track that comes with Hyperlesson is a problem.")
def check(path: Path, no_shipped_tracks: bool) -> None:
    """Check the lessons in PATH (a folder of tracks, one track, or one lesson file;
    the current folder by default): each problem as file:line: message."""
    check_lessons(path, shipped=not no_shipped_tracks)
