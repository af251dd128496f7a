"""The end of a school year (`flask year-end`): each class's CSV files, every class
archived, and, when the school wants it, every learner but the teachers removed."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .records import class_stats, classrooms
from .records.classroom_models import Classroom
from .records.models import Account, Learner
from .records.purge import delete_learners
from .web.class_csv import (
    ATTEMPTS_HEADER,
    attempt_rows,
    csv_text,
    download_names,
    progress_csv_text,
)
from .web.dashboard import class_board

FILE_NAME_BYTES = 255  # ext4, XFS, APFS; NTFS counts 255 UTF-16 units, never more than these


def write_class_csvs(folder: Path) -> list[Path]:
    """Every class's progress and attempts CSV, as its teacher downloads them, named
    "<class id>-<class name>-progress.csv" (two classes may share a name)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    classes = db.session.scalars(select(Classroom).order_by(Classroom.id)).all()
    for classroom in classes:
        with current_app.test_request_context():  # the table's presenter builds links
            tables = {
                "progress": progress_csv_text(class_board(classroom)),
                "attempts": csv_text(ATTEMPTS_HEADER,
                                     attempt_rows(class_stats.class_attempts(classroom))),
            }
        for what, text in tables.items():
            path = folder / _file_name(classroom, what)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _file_name(classroom: Classroom, what: str) -> str:
    """"<id>-<name>-<what>.csv" within the 255 bytes most file systems allow a name: a
    class name of 100 emoji is 400 bytes of UTF-8, so the name is cut to fit."""
    suffix = f"-{what}.csv"
    stem = f"{classroom.id}-{download_names(classroom, what)[1].removesuffix(suffix)}"
    while len((stem + suffix).encode("utf-8")) > FILE_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


def archive_classes() -> int:
    """Archive every open class and turn its join code off. Commits."""
    open_classes = db.session.scalars(select(Classroom).where(Classroom.archived.is_(False)))
    count = 0
    for classroom in open_classes:
        classroom.archived = True
        classrooms.turn_off_code(classroom)
        count += 1
    db.session.commit()
    return count


def remove_learners() -> int:
    """Delete every learner whose account is not a teacher's (anonymous ones too), with
    everything they did; the classes stay, archived and empty. Commits."""
    teachers = select(Account.learner_id).where(Account.role == "teacher")
    rows = db.session.execute(select(Learner.id, Learner.sandbox_key)
                              .where(Learner.id.not_in(teachers))).all()
    delete_learners(rows)
    db.session.commit()
    return len(rows)
