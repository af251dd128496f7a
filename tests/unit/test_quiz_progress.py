"""Grading and the progress arithmetic, on a lesson parsed from the test file."""

from __future__ import annotations

import pytest

from hyperlesson.content.model import SECONDS_PER_QUESTION
from hyperlesson.content.parse import LessonContext, parse_lesson
from hyperlesson.progress import compute, first_unread
from hyperlesson.quiz import Attempt, UnknownOption, grade, quiz_state

from .lesson_files import VALID


@pytest.fixture(scope="module")
def lesson():
    lesson, problems = parse_lesson(VALID, "t/sample.md", LessonContext(track_slug="t"))
    assert problems == []
    return lesson


def test_grade_right_and_wrong(lesson):
    question = lesson.questions[0]
    right, wrong = grade(question, "b"), grade(question, " A ")
    assert right.correct and right.verdict.startswith("Correct")
    assert not wrong.correct and wrong.verdict.startswith("Incorrect")
    assert "remainder" in wrong.option.explanation_html


def test_grade_unknown_option(lesson):
    with pytest.raises(UnknownOption, match="choose one of A, B"):
        grade(lesson.questions[0], "z")


def test_first_try_counts_only_a_right_first_answer(lesson):
    wrong_then_right = [Attempt("q1", "a", False), Attempt("q1", "b", True)]
    state = quiz_state(lesson, wrong_then_right)
    assert state.first_try_correct == 0 and state.answered == {"q1"}
    assert state.of("q1").feedback.correct and state.of("q1").done
    assert quiz_state(lesson, [Attempt("q1", "b", True)]).first_try_correct == 1


def test_a_wrong_answer_shows_until_retried(lesson):
    state = quiz_state(lesson, [Attempt("q1", "a", False)])
    assert state.of("q1").chosen == "a" and not state.of("q1").done
    assert state.answered == frozenset()
    assert state.to_go == state.total
    assert quiz_state(lesson, [Attempt("q1", "b", True)]).to_go == state.total - 1


def test_answers_to_options_that_no_longer_exist_are_ignored(lesson):
    state = quiz_state(lesson, [Attempt("q1", "x", True), Attempt("q9", "a", True)])
    assert state.first_try_correct == 0 and not state.started


def test_progress_is_weighted_by_reading_time(lesson):
    first, second = lesson.sections
    total = first.seconds + second.seconds + SECONDS_PER_QUESTION
    fresh = compute(lesson)
    assert (fresh.percent, fresh.seconds_left) == (0, total)
    assert fresh.minutes_left == lesson.minutes  # a fresh lesson: "N min read", N left
    one = compute(lesson, reached={first.id})
    assert one.percent == 100 * first.seconds // total
    assert one.seconds_left == total - first.seconds
    assert first_unread(lesson, one) == second.id


def test_progress_counts_answered_questions_and_reaches_100(lesson):
    ids = {s.id for s in lesson.sections}
    almost = compute(lesson, reached=ids)
    assert almost.percent < 100 and not almost.done
    done = compute(lesson, reached=ids, answered={"q1"})
    assert done.percent == 100 and done.done and done.seconds_left == 0
    assert first_unread(lesson, done) is None


def test_unknown_ids_do_not_count(lesson):
    assert compute(lesson, reached={"nope"}, answered={"q9"}).percent == 0
