"""What "My progress" shows: each lesson a learner touched, in catalog order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union

from ..content import Catalog, Lesson
from ..extensions import db
from ..progress import first_unread
from ..records.lesson_records import lesson_state
from ..records.models import FaqOpened, Learner, QuizAttempt, SectionReached
from ..records.task_models import TaskDone
from .catalog import lesson_url


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    track_title: str
    percent: int
    score: str  # "3 of 6 correct on the first try", or "" for a lesson without a quiz
    continue_url: str  # the first unread section, or the quiz once everything is read
    tasks: tuple[tuple[str, bool], ...] = ()  # (title, done) for each of the lesson's tasks

    @property
    def tasks_done(self) -> str:
        """"1 of 3 done", or "" for a lesson without tasks."""
        done = sum(1 for _title, is_done in self.tasks if is_done)
        return f"{done} of {len(self.tasks)} done" if self.tasks else ""


def lessons_touched(learner: Learner, catalog: Catalog) -> list[LessonRow]:
    keys = set(db.session.scalars(union(
        *(select(model.lesson_key).where(model.learner_id == learner.id)
          for model in (SectionReached, FaqOpened, TaskDone)),
        select(QuizAttempt.lesson_key).where(QuizAttempt.learner_id == learner.id,
                                             QuizAttempt.cleared_at.is_(None)))))
    rows = []
    for track in catalog.tracks:
        for lesson in track.lessons:
            if lesson.key not in keys:
                continue
            state = lesson_state(learner, lesson)
            quiz = state.quiz
            score = (f"{quiz.first_try_correct} of {quiz.total} correct on the first try"
                     if quiz.total else "")
            unread = first_unread(lesson, state.progress)
            tasks = tuple((task.title, state.tasks.of(task.id).done) for task in lesson.tasks)
            rows.append(LessonRow(lesson, track.title, state.progress.percent, score,
                                  lesson_url(lesson, unread or ("quiz" if quiz.total else None)),
                                  tasks))
    return rows
