"""A learner's records for a lesson: read and written only through these functions, each
scoped to the learner it is given, so one learner can never see another's data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import (
    Integer,
    Text,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    union_all,
    update,
)

from .. import progress as progress_
from ..content import Catalog, Lesson
from ..extensions import db
from ..quiz import Attempt, QuizState, quiz_state
from ..task_check import Exchange, TaskStates, grade
from ..timestamps import utcnow
from .models import (
    FaqOpened,
    Learner,
    QuizAttempt,
    SectionReached,
    TryItCookieJar,
    TryItRun,
)
from .task_models import TaskDone, TaskExchange
from .task_records import mark_done
from .tryit_runs import RunSummary
from .upsert import insert_once


@dataclass(frozen=True)
class LessonState:
    quiz: QuizState
    progress: progress_.Progress
    opened_faqs: frozenset[str]
    last_reached: datetime | None = None  # the last section stored: the page's "Synced"
    tasks: TaskStates = TaskStates({})
    tasks_version: int = 0  # the newest exchange graded: what the task poll compares


@dataclass(frozen=True)
class PageState:
    """A lesson page's view of one learner: the lesson state, and the panel's history
    and cookie jar."""

    lesson: LessonState
    runs: list[RunSummary]  # newest first
    jar_json: str | None = None  # the panel's cookie jar, as records/cookie_jars.py stores it


def _rows_of(kind: str, table, item, choice=None, number=None, lesson_scoped=True):
    """One kind of row in the common shape (kind, item, choice, number, created_at, id)."""
    query = select(literal_column(f"'{kind}'").label("kind"), item.label("item"),
                   (choice if choice is not None else cast(null(), item.type)).label("choice"),
                   (number if number is not None else cast(null(), Integer)).label("number"),
                   table.c.created_at.label("created_at"), table.c.id.label("id"))
    query = query.where(table.c.learner_id == bindparam("learner_id"))
    if lesson_scoped:
        query = query.where(table.c.lesson_key == bindparam("lesson_key"))
    return query


def _state_statement(with_runs: bool, with_tasks: bool):
    """A learner's answers (not those "Start over" cleared), sections reached and FAQ
    answers opened in a lesson (and their last try-it runs, their tasks done and
    recorded exchanges) in one round trip, through Core with the statement built once:
    these are read by every page and every answer a class sends."""
    attempts, reached = QuizAttempt.__table__, SectionReached.__table__
    faqs, runs = FaqOpened.__table__, TryItRun.__table__
    parts = [_rows_of("a", attempts, attempts.c.question_id, attempts.c.choice,
                      cast(attempts.c.correct, Integer))
             .where(attempts.c.cleared_at.is_(None)),
             _rows_of("r", reached, reached.c.section_id),
             _rows_of("f", faqs, faqs.c.faq_id)]
    if with_runs:
        jars = TryItCookieJar.__table__
        parts.append(_rows_of("t", runs, runs.c.summary, number=runs.c.status,
                              lesson_scoped=False))
        parts.append(select(literal_column("'j'"), jars.c.cookies_json, cast(null(), Text),
                            cast(null(), Integer), jars.c.updated_at, jars.c.learner_id)
                     .where(jars.c.learner_id == bindparam("learner_id")))
    if with_tasks:
        done, exchanges = TaskDone.__table__, TaskExchange.__table__
        parts += [_rows_of("d", done, done.c.task_id),
                  _rows_of("x", exchanges, exchanges.c.data, lesson_scoped=False)]
    # In time order: attempts merged from another device keep their own times.
    return union_all(*parts).order_by("kind", "created_at", "id")


_STATEMENTS = {(runs, tasks): _state_statement(runs, tasks)
               for runs in (False, True) for tasks in (False, True)}


def lesson_state(learner: Learner | None, lesson: Lesson) -> LessonState:
    return page_state(learner, lesson, with_runs=False).lesson


def page_state(learner: Learner | None, lesson: Lesson, with_runs: bool = True) -> PageState:
    """The learner's state in one query. Tasks that a recorded exchange meets for the
    first time are marked done in the session, not committed: the view commits them
    (web/task_section.py, keep_newly_done), with whatever else it writes."""
    if learner is None:
        return PageState(lesson_state_from(lesson), [])
    statement = _STATEMENTS[with_runs, bool(lesson.tasks)]
    rows = db.session.execute(statement, {"learner_id": learner.id, "lesson_key": lesson.key})
    attempts, reached, opened, runs, done, exchanges = [], [], [], [], [], []
    last_reached, jar_json, version = None, None, 0
    for kind, item, choice, number, created_at, row_id in rows:
        if kind == "a":
            attempts.append((item, choice, bool(number)))
        elif kind == "r":
            reached.append(item)
            last_reached = created_at  # in time order: the last one is the latest
        elif kind == "f":
            opened.append(item)
        elif kind == "d":
            done.append(item)
        elif kind == "x":
            exchanges.append(Exchange.from_json(item))
            version = max(version, row_id)
        elif kind == "t":
            runs.append(RunSummary(row_id, item, number))
        else:
            jar_json = item
    runs.reverse()  # the union sorts oldest first; the panel lists the newest first
    state = lesson_state_from(lesson, attempts, reached, opened, done, exchanges, version)
    if state.tasks.newly_done:  # done stays done, even once the exchange is dropped
        mark_done(learner, lesson.key, state.tasks.newly_done)
    return PageState(replace(state, last_reached=last_reached), runs, jar_json)


def lesson_state_from(lesson: Lesson, attempts: Iterable[tuple[str, str, bool]] = (),
                      reached: Iterable[str] = (), opened: Iterable[str] = (),
                      done: Iterable[str] = (), exchanges: Iterable[Exchange] = (),
                      tasks_version: int = 0) -> LessonState:
    """The state shown from a learner's rows: attempts and exchanges oldest first."""
    quiz = quiz_state(lesson, (Attempt(*row) for row in attempts))
    tasks = grade(lesson.tasks, done, exchanges)
    return LessonState(quiz, progress_.compute(lesson, frozenset(reached), quiz.answered,
                                               tasks.done),
                       frozenset(opened), tasks=tasks, tasks_version=tasks_version)


def record_attempt(learner: Learner, lesson: Lesson, question_id: str, choice: str,
                   correct: bool) -> None:
    insert_once(QuizAttempt, learner_id=learner.id, lesson_key=lesson.key,
                 question_id=question_id, choice=choice, correct=correct)


def clear_answers(learner: Learner, lesson: Lesson) -> None:
    """"Start over": the learner's pages no longer show these answers; the teacher's
    figures still count them, so a wrong first try cannot be erased."""
    db.session.execute(update(QuizAttempt).where(
        QuizAttempt.learner_id == learner.id, QuizAttempt.lesson_key == lesson.key,
        QuizAttempt.cleared_at.is_(None)).values(cleared_at=utcnow()))


def record_section(learner: Learner, lesson: Lesson, section_id: str) -> None:
    insert_once(SectionReached, learner_id=learner.id, lesson_key=lesson.key,
                 section_id=section_id)


def record_faq_opened(learner: Learner, lesson: Lesson, faq_id: str) -> None:
    scope = {"learner_id": learner.id, "lesson_key": lesson.key, "faq_id": faq_id}
    if not insert_once(FaqOpened, **scope):
        db.session.execute(update(FaqOpened).filter_by(**scope)
                           .values(times=FaqOpened.times + 1))


def progress_by_lesson(learner: Learner | None, catalog: Catalog) -> dict[str, progress_.Progress]:
    """Every lesson's progress for the home and track pages, in three queries."""
    if learner is None:
        return {}
    reached: dict[str, set[str]] = {}
    for key, section_id in db.session.execute(
            select(SectionReached.lesson_key, SectionReached.section_id)
            .filter_by(learner_id=learner.id)):
        reached.setdefault(key, set()).add(section_id)
    answered: dict[str, set[str]] = {}
    for key, question_id in db.session.execute(
            select(QuizAttempt.lesson_key, QuizAttempt.question_id)
            .filter_by(learner_id=learner.id, correct=True, cleared_at=None)):
        answered.setdefault(key, set()).add(question_id)
    done: dict[str, set[str]] = {}
    for key, task_id in db.session.execute(
            select(TaskDone.lesson_key, TaskDone.task_id).filter_by(learner_id=learner.id)):
        done.setdefault(key, set()).add(task_id)
    result = {}
    for key in reached.keys() | answered.keys() | done.keys():
        lesson = catalog.lesson_by_key(key)
        if lesson is not None:
            result[key] = progress_.compute(lesson, reached.get(key, ()), answered.get(key, ()),
                                            done.get(key, ()))
    return result
