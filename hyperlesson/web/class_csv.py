"""A class's data as CSV files a spreadsheet opens as they are: UTF-8 with a BOM (Excel
reads non-Latin names right only with one), quoting by the csv module, and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response
from werkzeug.http import dump_options_header

from ..records.classroom_models import Classroom
from .dashboard import ClassBoard, iso_time, progress_rows, progress_task_columns

BOM = "\ufeff"
# OWASP "CSV Injection": a cell starting with these can be read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Then a column per task of the table's lessons (progress_csv_text).
PROGRESS_HEADER = ["username", "track", "lesson", "percent complete", "first-try correct",
                   "questions", "last active", "tasks done", "tasks"]
ATTEMPTS_HEADER = ["username", "lesson", "question", "choice", "correct", "time"]


def neutralise(cell: object) -> object:
    """A text cell that a spreadsheet would take for a formula gets a leading
    apostrophe, which shows it as text; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes cells with commas, quotes or line breaks
    writer.writerow([neutralise(cell) for cell in header])  # task titles are lessons' text
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return BOM + buffer.getvalue()


def progress_csv_text(board: ClassBoard) -> str:
    """The class table as a row per learner and lesson, each task a column of its own."""
    return csv_text(PROGRESS_HEADER + progress_task_columns(board), progress_rows(board))


def attempt_rows(attempts) -> list[list[object]]:
    return [[username, lesson_key, question_id, choice.upper(), "yes" if correct else "no",
             iso_time(at)] for username, lesson_key, question_id, choice, correct, at in attempts]


def download_names(classroom: Classroom, what: str) -> tuple[str, str]:
    """The file name in ASCII ("7B Web-progress.csv", or "class-3-progress.csv" when
    nothing is left of the class's name) and in full, for browsers that read
    `filename*` (RFC 6266): the class's name without path or control characters."""
    plain = re.sub(r"[^\w .-]+", "", classroom.name, flags=re.ASCII).strip(" .")
    full = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "", classroom.name).strip(" .")
    return (f"{plain or f'class-{classroom.id}'}-{what}.csv",
            f"{full or f'class-{classroom.id}'}-{what}.csv")


def csv_download(text: str, classroom: Classroom, what: str) -> Response:
    response = Response(text.encode("utf-8"), mimetype="text/csv")
    plain, full = download_names(classroom, what)
    options = {"filename": plain}
    if full != plain:
        options["filename*"] = "UTF-8''" + quote(full, safe="")
    response.headers["Content-Disposition"] = dump_options_header("attachment", options)
    return response
