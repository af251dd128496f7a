"""What the class table shows: each learner by lesson (percent complete, the quiz on the
first try, when last active), prepared for `teach/_class_progress.html`, the progress
CSV and the poll that keeps the table live."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import url_for

from ..content import Catalog, Lesson
from ..content.model import SECONDS_PER_QUESTION, SECONDS_PER_TASK
from ..progress import compute
from ..records import class_stats, classrooms
from ..records.class_stats import Activity
from ..records.classroom_models import Classroom
from .catalog import current_catalog

POLL_TRIGGER = "every 5s"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_time(moment: datetime | None) -> str:
    """"27 Nov 14:05": the table says once that times are UTC. English whatever the
    locale, and a third of strftime's time (the class table has hundreds)."""
    if moment is None:
        return ""
    utc = moment.astimezone(UTC)
    return f"{utc.day:02} {MONTHS[utc.month - 1]} {utc.hour:02}:{utc.minute:02}"


def iso_time(moment: datetime | None) -> str:
    """"2026-11-27T14:05:09Z": for <time datetime> and the CSV files."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


@dataclass(frozen=True, slots=True)
class Cell:
    """One learner in one lesson; the texts are made once, as the table has hundreds."""

    started: bool
    percent: int
    first_try: int  # questions right on the first try
    questions: int
    answered: bool  # answered at least one question
    last_active: datetime | None
    quiz_short: str = ""  # "Quiz 3/6", "Quiz –" before any answer, "" without a quiz
    when: str = ""
    when_iso: str = ""
    tasks_short: str = ""  # "Tasks 1/3", "" for a lesson without tasks
    tasks_done: frozenset[str] = frozenset()  # the ids of the lesson's tasks done

    @property
    def quiz_long(self) -> str:
        if not self.questions:
            return "no quiz"
        if not self.answered:
            return "no quiz answers yet"
        return f"{self.first_try} of {self.questions} right on the first try"


def answer_keys(lesson: Lesson) -> frozenset[tuple[str, str]]:
    """Every (question id, option key) the lesson has now."""
    return frozenset((q.id, o.key) for q in lesson.questions for o in q.options)


def first_tries(lesson: Lesson, attempts: Iterable[tuple[str, str, bool]],
                keys: frozenset[tuple[str, str]] | None = None,
                ) -> tuple[int, frozenset[str], bool]:
    """(right on the first try, answered right, any answer) as `quiz_state` counts them
    (an option no longer in the lesson does not count), without grading each one: the
    class table does this for every learner and lesson. `keys`: answer_keys(lesson),
    made once per lesson by a caller that has many learners."""
    keys = answer_keys(lesson) if keys is None else keys
    first: dict[str, bool] = {}
    answered = set()
    for question_id, choice, correct in attempts:  # oldest first
        if (question_id, choice) not in keys:
            continue
        first.setdefault(question_id, correct)
        if correct:
            answered.add(question_id)
    return sum(first.values()), frozenset(answered), bool(first)


def cell_for(lesson: Lesson, activity: Activity | None,
             keys: frozenset[tuple[str, str]] | None = None) -> Cell:
    """The same arithmetic as the learner's own page (quiz_state, progress.compute)."""
    if activity is None:
        return Cell(False, 0, 0, len(lesson.questions), False, None)
    right_first, answered, started = first_tries(lesson, activity.attempts, keys)
    progress = compute(lesson, activity.reached, answered, activity.tasks_done)
    total = len(lesson.questions)
    quiz = (f"Quiz {right_first}/{total}" if started else "Quiz –") if total else ""
    return Cell(True, progress.percent, right_first, total, started, activity.last_active,
                quiz, short_time(activity.last_active), iso_time(activity.last_active),
                tasks_short(len(progress.tasks_done), len(lesson.tasks)),
                frozenset(progress.tasks_done))


def tasks_short(done: int, total: int) -> str:
    return f"Tasks {done}/{total}" if total else ""


@dataclass(frozen=True, slots=True)
class Weights:
    """What progress.compute weighs in one lesson, taken once per class table."""

    seconds: int  # the whole lesson's, its tasks' time included (work_seconds)
    sections: int
    questions: int
    section_seconds: dict[str, int]  # section id -> its reading seconds
    tasks: frozenset[str] = frozenset()  # the lesson's task ids

    @classmethod
    def of(cls, lesson: Lesson) -> Weights:
        section_seconds: dict[str, int] = {}
        for section in lesson.sections:
            section_seconds[section.id] = section_seconds.get(section.id, 0) + section.seconds
        return cls(lesson.work_seconds, len(lesson.sections), len(lesson.questions),
                   section_seconds, frozenset(task.id for task in lesson.tasks))


def percent_complete(weights: Weights, reached: Collection[str], answered: int,
                     tasks_done: int = 0) -> int:
    """progress.compute(lesson, reached, answered ids, tasks done).percent, from the
    lesson's Weights, the number of its questions answered right and of its tasks done:
    the same sums and rounding (down, and 100 only when every section is reached, every
    question answered and every task done)."""
    ids = weights.section_seconds.keys() & reached
    if (len(ids) == weights.sections and answered == weights.questions
            and tasks_done == len(weights.tasks)):
        return 100
    if not weights.seconds:
        return 0
    done = (sum(weights.section_seconds[i] for i in ids) + SECONDS_PER_QUESTION * answered
            + SECONDS_PER_TASK * tasks_done)
    return min(99, math.floor(100 * done / weights.seconds))


def quiz_counts(attempts: Iterable[tuple[int, str, str, str, int]],
                known: Collection[tuple[str, str, str]]) -> dict[tuple[int, str], tuple[int, int]]:
    """(right on the first try, answered right) by (learner id, lesson key), as quiz_state
    counts them, from (learner id, lesson key, question id, choice, correct: a bool or 0/1)
    oldest first; `known`: every (lesson key, question id, option key) the lessons have
    now (an answer with another choice does not count). A learner and lesson with no
    answer that counts is absent: its quiz is not started."""
    first: dict[tuple[int, str, str], bool] = {}
    right = set()
    for learner_id, key, question_id, choice, correct in attempts:
        if (key, question_id, choice) in known:
            question = (learner_id, key, question_id)
            first.setdefault(question, correct)
            if correct:
                right.add(question)
    counts: dict[tuple[int, str], list[int]] = {}
    for (learner_id, key, _), correct in first.items():
        counts.setdefault((learner_id, key), [0, 0])[0] += correct
    for learner_id, key, _ in right:
        counts[learner_id, key][1] += 1
    return {key: (right_first, answered) for key, (right_first, answered) in counts.items()}


def started_cell(weights: Weights, last_active: datetime, sections: Collection[str],
                 tasks: Collection[str], counted: tuple[int, int] | None) -> Cell:
    """What cell_for shows, from what class_board reads: the section ids reached, the
    task ids done and quiz_counts' figures (None: no answer that counts)."""
    right_first, answered = counted or (0, 0)
    total = weights.questions
    quiz = (f"Quiz {right_first}/{total}" if counted else "Quiz –") if total else ""
    done = weights.tasks & set(tasks) if tasks else frozenset()
    return Cell(True, percent_complete(weights, sections, answered, len(done)), right_first,
                total, counted is not None, last_active, quiz, short_time(last_active),
                iso_time(last_active), tasks_short(len(done), len(weights.tasks)), done)


@dataclass(frozen=True)
class Column:
    lesson: Lesson
    stats_url: str
    started: int  # learners who started it


@dataclass(frozen=True)
class Row:
    learner_id: int
    name: str
    url: str
    cells: tuple[Cell, ...]
    last_active: datetime | None

    @property
    def when(self) -> str:
        return short_time(self.last_active)

    @property
    def when_iso(self) -> str:
        return iso_time(self.last_active)


@dataclass(frozen=True)
class ClassBoard:
    classroom: Classroom
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    poll_url: str  # this fragment at the version it shows: 204 until something changes
    trigger: str = POLL_TRIGGER


def class_lessons(catalog: Catalog, chosen_tracks: set[str], touched: set[str]) -> list[Lesson]:
    """The class's tracks in full, and any other lesson a member started, in catalog
    order; without chosen tracks, just what members started (a school's catalog may be
    long)."""
    return [lesson for track in catalog.tracks for lesson in track.lessons
            if track.slug in chosen_tracks or lesson.key in touched]


def class_board(classroom: Classroom, version: str | None = None) -> ClassBoard:
    """Four queries and the version's one, whatever the class's size (no query per
    learner or lesson: tests/web/test_dashboard.py counts them)."""
    version = version or class_stats.class_version(classroom)
    records = class_stats.table_records(classroom)
    lessons = class_lessons(current_catalog(), set(classrooms.tracks(classroom)),
                            {key for _, key in records.lessons})
    quiz = quiz_counts(records.attempts, {(lesson.key, question_id, choice)
                                          for lesson in lessons
                                          for question_id, choice in answer_keys(lesson)})
    columns = [(lesson.key, Weights.of(lesson),
                Cell(False, 0, 0, len(lesson.questions), False, None)) for lesson in lessons]
    rows = []
    for learner_id, name, last_run in records.learners:
        cells = tuple(
            not_started if (found := records.lessons.get((learner_id, key))) is None
            else started_cell(weights, *found, quiz.get((learner_id, key)))
            for key, weights, not_started in columns)
        moments = [c.last_active for c in cells if c.last_active] + (
            [last_run] if last_run else [])
        rows.append(Row(learner_id, name, url_for("dashboard.learner", class_id=classroom.id,
                                                  learner_id=learner_id),
                        cells, max(moments, default=None)))
    return ClassBoard(classroom, tuple(
        Column(lesson, url_for("dashboard.lesson", class_id=classroom.id,
                               track_slug=lesson.track_slug, lesson_slug=lesson.slug),
               sum(1 for row in rows if row.cells[index].started))
        for index, lesson in enumerate(lessons)), tuple(rows),
        url_for("dashboard.progress", class_id=classroom.id, v=version))


def progress_task_columns(board: ClassBoard) -> list[str]:
    """The progress CSV's last columns: one per task of the table's lessons, "Title
    (lesson slug)", as titles may repeat from one lesson to another."""
    return [f"{task.title} ({column.lesson.slug})"
            for column in board.columns for task in column.lesson.tasks]


def progress_rows(board: ClassBoard) -> list[list]:
    """The progress CSV: a row per learner and lesson of the table; as with questions,
    how many of the lesson's tasks are done and how many it has, then a "yes" or "no"
    under each of its tasks (other lessons' tasks left blank)."""
    tasks = [(column.lesson, task.id) for column in board.columns
             for task in column.lesson.tasks]
    return [[row.name, column.lesson.track_slug, column.lesson.slug, cell.percent,
             cell.first_try, cell.questions, iso_time(cell.last_active),
             len(cell.tasks_done), len(column.lesson.tasks),
             *(("yes" if task_id in cell.tasks_done else "no") if lesson is column.lesson
               else "" for lesson, task_id in tasks)]
            for row in board.rows for column, cell in zip(board.columns, row.cells,
                                                          strict=True)]
