"""A learner's records for a lesson: read and written only through these functions, each
scoped to the learner it is given, so one learner can never see another's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from .. import progress as progress_
from ..content import Catalog, Lesson
from ..extensions import db
from ..quiz import Attempt, QuizState, quiz_state
from .models import FaqOpened, Learner, QuizAttempt, SectionReached
from .upsert import insert_once


@dataclass(frozen=True)
class LessonState:
    quiz: QuizState
    progress: progress_.Progress
    opened_faqs: frozenset[str]


def lesson_state(learner: Learner | None, lesson: Lesson) -> LessonState:
    if learner is None:
        quiz = quiz_state(lesson, ())
        return LessonState(quiz, progress_.compute(lesson), frozenset())
    scope = {"learner_id": learner.id, "lesson_key": lesson.key}
    # In time order: attempts merged from another device keep their own times.
    attempts = db.session.execute(
        select(QuizAttempt.question_id, QuizAttempt.choice, QuizAttempt.correct)
        .filter_by(**scope).order_by(QuizAttempt.created_at, QuizAttempt.id)).all()
    quiz = quiz_state(lesson, (Attempt(*row) for row in attempts))
    reached = db.session.scalars(select(SectionReached.section_id).filter_by(**scope)).all()
    opened = db.session.scalars(select(FaqOpened.faq_id).filter_by(**scope)).all()
    return LessonState(quiz, progress_.compute(lesson, reached, quiz.answered),
                       frozenset(opened))


def record_attempt(learner: Learner, lesson: Lesson, question_id: str, choice: str,
                   correct: bool) -> None:
    insert_once(QuizAttempt, learner_id=learner.id, lesson_key=lesson.key,
                 question_id=question_id, choice=choice, correct=correct)


def clear_answers(learner: Learner, lesson: Lesson) -> None:
    db.session.execute(delete(QuizAttempt).filter_by(learner_id=learner.id,
                                                     lesson_key=lesson.key))


def record_section(learner: Learner, lesson: Lesson, section_id: str) -> None:
    insert_once(SectionReached, learner_id=learner.id, lesson_key=lesson.key,
                 section_id=section_id)


def last_reached_at(learner: Learner | None, lesson: Lesson) -> datetime | None:
    """When the server last stored a section of `lesson` for `learner` (its last sync)."""
    if learner is None:
        return None
    return db.session.scalar(select(func.max(SectionReached.created_at)).filter_by(
        learner_id=learner.id, lesson_key=lesson.key))


def record_faq_opened(learner: Learner, lesson: Lesson, faq_id: str) -> None:
    scope = {"learner_id": learner.id, "lesson_key": lesson.key, "faq_id": faq_id}
    if not insert_once(FaqOpened, **scope):
        db.session.execute(update(FaqOpened).filter_by(**scope)
                           .values(times=FaqOpened.times + 1))


def progress_by_lesson(learner: Learner | None, catalog: Catalog) -> dict[str, progress_.Progress]:
    """Every lesson's progress for the home and track pages, in two queries."""
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
            .filter_by(learner_id=learner.id, correct=True)):
        answered.setdefault(key, set()).add(question_id)
    result = {}
    for key in reached.keys() | answered.keys():
        lesson = catalog.lesson_by_key(key)
        if lesson is not None:
            result[key] = progress_.compute(lesson, reached.get(key, ()), answered.get(key, ()))
    return result
