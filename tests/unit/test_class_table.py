"""The class table's shortcuts give what the learner's own page computes: percent_complete
what progress.compute gives, quiz_counts what quiz_state counts, short_time what
strftime wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from hyperlesson.content.model import Lesson, Option, Question, Section
from hyperlesson.progress import compute
from hyperlesson.quiz import Attempt, quiz_state
from hyperlesson.web.dashboard import (
    Weights,
    answer_keys,
    percent_complete,
    quiz_counts,
    short_time,
)

SECTION_IDS = ["intro", "setup", "more", "end"]  # drawn with repeats: duplicate ids too
CHOICES = "abcde"  # a question has options from "a" up to "d": "e" is never one


def make_lesson(key: str, sections, questions) -> Lesson:
    track, slug = key.split("/")
    return Lesson(track_slug=track, slug=slug, title=slug, order=1, summary="", related=(),
                  intro_html="", faqs=(),
                  sections=tuple(Section(section_id, section_id, "", seconds)
                                 for section_id, seconds in sections),
                  questions=tuple(Question(f"q{n}", n, "", tuple(
                      Option(CHOICES[i], "", "", correct) for i, correct in enumerate(options)))
                      for n, options in enumerate(questions, 1)))


sections = st.lists(st.tuples(st.sampled_from(SECTION_IDS), st.integers(0, 400)), max_size=5)
questions = st.lists(st.lists(st.booleans(), min_size=1, max_size=4), max_size=5)


@st.composite
def lessons(draw, key: str = "t/lesson") -> Lesson:
    return make_lesson(key, draw(sections), draw(questions))


@given(lesson=lessons(), data=st.data())
def test_percent_complete_is_progress_compute(lesson, data):
    ids = [s.id for s in lesson.sections] + ["gone", "other"]  # no longer in the lesson
    reached = data.draw(st.lists(st.sampled_from(ids)))
    answered = data.draw(st.sets(st.sampled_from([q.id for q in lesson.questions] + ["q9"])))
    counted = len(answered & {q.id for q in lesson.questions})
    assert percent_complete(Weights.of(lesson), reached, counted) == compute(
        lesson, reached, answered).percent


def test_percent_complete_edges():
    lesson = make_lesson("t/l", [("intro", 1000), ("end", 0)], [[True, False]])
    weights = Weights.of(lesson)
    # Every second read but a section of none: 99, never 100 before everything is done.
    assert percent_complete(weights, ["intro", "gone"], 1) == 99 == compute(
        lesson, ["intro", "gone"], ["q1"]).percent
    assert percent_complete(weights, ["intro", "end"], 1) == 100
    assert percent_complete(weights, ["intro", "end"], 0) == 97 == compute(
        lesson, ["intro", "end"]).percent  # rounded down: 1000 of 1030 seconds
    empty = make_lesson("t/e", [], [])
    assert percent_complete(Weights.of(empty), [], 0) == compute(empty).percent == 100


LEARNERS = [1, 2]


@st.composite
def answers(draw):
    """Two lessons and a third one removed from the catalog, and answers oldest first:
    questions and choices the lessons no longer have among them, stored correctness
    whatever the options say now (a lesson may have changed its right answer)."""
    catalog = [draw(lessons("t/one")), draw(lessons("t/two"))]
    keys = [lesson.key for lesson in catalog] + ["t/removed"]
    rows = draw(st.lists(st.tuples(
        st.sampled_from(LEARNERS), st.sampled_from(keys),
        st.sampled_from(["q1", "q2", "q3", "q4", "gone"]), st.sampled_from(CHOICES),
        st.booleans()), max_size=40))
    return catalog, rows


@given(answers())
def test_quiz_counts_are_quiz_state(case):
    catalog, rows = case
    known = {(lesson.key, question_id, choice)
             for lesson in catalog for question_id, choice in answer_keys(lesson)}
    expected = {}
    for learner_id in LEARNERS:
        for lesson in catalog:
            state = quiz_state(lesson, [Attempt(question_id, choice, correct)
                                        for who, key, question_id, choice, correct in rows
                                        if (who, key) == (learner_id, lesson.key)])
            if state.started:
                expected[learner_id, lesson.key] = (state.first_try_correct,
                                                    len(state.answered))
    assert quiz_counts(rows, known) == expected
    # As SQLite hands `correct` back: 0 or 1.
    assert quiz_counts([(*row[:4], int(row[4])) for row in rows], known) == expected


def test_quiz_counts_take_the_first_answer_that_still_counts():
    lesson = make_lesson("t/l", [], [[False, True]])  # q1: "a" wrong, "b" right
    known = {("t/l", "q1", "a"), ("t/l", "q1", "b")}
    rows = [(1, "t/l", "q1", "z", False),  # an option since removed: skipped
            (1, "t/l", "q1", "b", True), (1, "t/l", "q1", "a", False),
            (2, "t/l", "q1", "a", False), (2, "t/l", "q1", "b", True),
            (3, "t/l", "q1", "z", True)]  # only a removed option: no answer that counts
    assert quiz_counts(rows, known) == {(1, "t/l"): (1, 1), (2, "t/l"): (0, 1)}
    assert quiz_state(lesson, [Attempt(*row[2:]) for row in rows[:3]]).first_try_correct == 1


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)),
       st.integers(-14 * 60, 14 * 60))
def test_short_time_is_strftime(moment, offset_minutes):
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    assert short_time(aware) == f"{aware.astimezone(UTC):%d %b %H:%M}"
    assert short_time(None) == ""
