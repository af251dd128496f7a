"""Grading and the quiz's state as a learner sees it. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .content import Lesson, Option, Question


@dataclass(frozen=True)
class Feedback:
    correct: bool
    option: Option

    @property
    def verdict(self) -> str:
        # Name the option as it is shown and named, letter then label: "A, 200".
        label = self.option.label_text.strip().rstrip(".")
        shown = f"{self.option.letter}, {label}," if label else self.option.letter
        if self.correct:
            return f"Correct: {shown} is the right answer."
        return f"Incorrect: {shown} is not the right answer. Try again."


@dataclass(frozen=True)
class Attempt:
    question_id: str
    choice: str
    correct: bool


class UnknownOption(ValueError):
    pass


def grade(question: Question, choice: str) -> Feedback:
    option = question.option(choice.strip().lower())
    if option is None:
        letters = ", ".join(o.letter for o in question.options)
        raise UnknownOption(f"Question {question.number} has no option '{choice[:8]}': "
                            f"choose one of {letters}.")
    return Feedback(option.correct, option)


@dataclass(frozen=True)
class QuestionState:
    """What a question shows: the last choice with its feedback, and whether it is done."""

    question: Question
    feedback: Feedback | None
    done: bool

    @property
    def chosen(self) -> str | None:
        return self.feedback.option.key if self.feedback else None


@dataclass(frozen=True)
class QuizState:
    questions: tuple[QuestionState, ...]
    first_try_correct: int

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(s.question.id for s in self.questions if s.done)

    @property
    def started(self) -> bool:
        return any(s.feedback for s in self.questions)

    @property
    def to_go(self) -> int:
        """Questions not yet answered correctly."""
        return self.total - len(self.answered)

    def of(self, question_id: str) -> QuestionState:
        return next(s for s in self.questions if s.question.id == question_id)


def quiz_state(lesson: Lesson, attempts: Iterable[Attempt]) -> QuizState:
    """Attempts come oldest first; the first one per question decides "first try"."""
    by_question: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_question.setdefault(attempt.question_id, []).append(attempt)
    states, first_try = [], 0
    for question in lesson.questions:
        tries: Sequence[Attempt] = by_question.get(question.id, [])
        known = [a for a in tries if question.option(a.choice) is not None]
        if known and known[0].correct:
            first_try += 1
        # Once answered correctly, the question keeps showing that answer.
        shown = next((a for a in known if a.correct), known[-1] if known else None)
        feedback = grade(question, shown.choice) if shown else None
        states.append(QuestionState(question, feedback, any(a.correct for a in known)))
    return QuizState(tuple(states), first_try)
