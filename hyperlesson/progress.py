"""Reading progress: how far a learner is through a lesson, weighted by reading time.

Each section weighs its reading time and each quiz question the fixed time to answer
one, so a fresh lesson has exactly its "N min read" left. Each task weighs as much as a
question in the percentage (SECONDS_PER_TASK), but not in the minutes left, which are
reading time. A reached section, an answered question or a done task counts in full.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from .content import Lesson
from .content.model import SECONDS_PER_QUESTION, SECONDS_PER_TASK


@dataclass(frozen=True)
class Progress:
    percent: int
    seconds_left: int
    reached: frozenset[str]  # section ids
    answered: frozenset[str]  # question ids answered correctly
    tasks_done: frozenset[str] = frozenset()  # task ids
    tasks_total: int = 0  # the lesson's tasks

    @property
    def minutes_left(self) -> int:
        """Rounded like the lesson's "N min read", so a fresh lesson shows the same N."""
        return max(1, round(self.seconds_left / 60)) if self.seconds_left else 0

    @property
    def done(self) -> bool:
        return self.percent >= 100


def compute(lesson: Lesson, reached: Collection[str] = (),
            answered: Collection[str] = (), tasks_done: Collection[str] = ()) -> Progress:
    reached_ids = frozenset(s.id for s in lesson.sections if s.id in reached)
    answered_ids = frozenset(q.id for q in lesson.questions if q.id in answered)
    task_ids = frozenset(t.id for t in lesson.tasks if t.id in tasks_done)
    read = (sum(s.seconds for s in lesson.sections if s.id in reached_ids)
            + SECONDS_PER_QUESTION * len(answered_ids))
    total, done = lesson.work_seconds, read + SECONDS_PER_TASK * len(task_ids)
    everything = (len(reached_ids) == len(lesson.sections)
                  and len(answered_ids) == len(lesson.questions)
                  and len(task_ids) == len(lesson.tasks))
    # Round down so 100% means every section reached, question answered and task done.
    percent = 100 if everything else min(99, math.floor(100 * done / total)) if total else 0
    return Progress(percent, max(0, lesson.seconds - read), reached_ids, answered_ids,
                    task_ids, len(lesson.tasks))


def first_unread(lesson: Lesson, progress: Progress) -> str | None:
    """The id of the first section not reached yet: where "Continue" jumps to."""
    return next((s.id for s in lesson.sections if s.id not in progress.reached), None)
