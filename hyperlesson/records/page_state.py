"""Everything a lesson page shows of one learner, read in one query: their answers,
the sections they reached and the FAQ answers they opened in that lesson, and their
last try-it runs (the panel's history). One round trip instead of four, through
SQLAlchemy Core with the statement built once: the lesson page is the page a class
loads most."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, cast, literal_column, null, select, union_all

from ..content import Lesson
from ..extensions import db
from .lesson_records import LessonState, lesson_state_from
from .models import FaqOpened, Learner, QuizAttempt, SectionReached, TryItRun
from .tryit_runs import RunSummary


@dataclass(frozen=True)
class PageState:
    lesson: LessonState
    runs: list[RunSummary]  # newest first


def _rows_of(kind: str, table, item, choice=None, number=None, lesson_scoped=True):
    """One kind of row, in the union's common shape:
    (kind, item, choice, number, created_at, id)."""
    query = select(literal_column(f"'{kind}'").label("kind"), item.label("item"),
                   (choice if choice is not None else cast(null(), item.type)).label("choice"),
                   (number if number is not None else cast(null(), Integer)).label("number"),
                   table.c.created_at.label("created_at"), table.c.id.label("id"))
    query = query.where(table.c.learner_id == bindparam("learner_id"))
    if lesson_scoped:
        query = query.where(table.c.lesson_key == bindparam("lesson_key"))
    return query


def _build() -> object:
    attempts, reached = QuizAttempt.__table__, SectionReached.__table__
    faqs, runs = FaqOpened.__table__, TryItRun.__table__
    return union_all(
        _rows_of("a", attempts, attempts.c.question_id, attempts.c.choice,
                 cast(attempts.c.correct, Integer)),
        _rows_of("r", reached, reached.c.section_id),
        _rows_of("f", faqs, faqs.c.faq_id),
        _rows_of("t", runs, runs.c.summary, number=runs.c.status, lesson_scoped=False),
    ).order_by("kind", "created_at", "id")  # attempts in time order, as quiz.py needs


_STATEMENT = _build()


def page_state(learner: Learner | None, lesson: Lesson) -> PageState:
    if learner is None:
        return PageState(lesson_state_from(lesson), [])
    rows = db.session.execute(_STATEMENT, {"learner_id": learner.id, "lesson_key": lesson.key})
    attempts, reached, opened, runs = [], [], [], []
    for kind, item, choice, number, _created_at, row_id in rows:
        if kind == "a":
            attempts.append((item, choice, bool(number)))
        elif kind == "r":
            reached.append(item)
        elif kind == "f":
            opened.append(item)
        else:
            runs.append(RunSummary(row_id, item, number))
    runs.reverse()  # the union sorts oldest first; the panel lists the newest first
    return PageState(lesson_state_from(lesson, attempts, reached, opened), runs)
