"""What the teacher's page about one learner of a class shows: per lesson, every answer
in order with its time and verdict, the sections reached, the FAQ entries opened; and
the learner's try-it requests with their status codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import url_for

from ..content import Catalog, Lesson
from ..records.class_stats import Activity, History, TimedAttempt
from ..records.classroom_models import Classroom
from .dashboard import Cell, cell_for, iso_time
from .lesson_stats import phrase, status_css


@dataclass(frozen=True)
class Moment:
    """A time shown as "27 Nov 14:05" in a <time> element carrying the ISO form."""

    at: datetime | None

    @property
    def text(self) -> str:
        # Seconds: several answers often fall in one minute, and their order matters.
        return f"{self.at.astimezone(UTC):%d %b %H:%M:%S}" if self.at else ""

    @property
    def iso(self) -> str:
        return iso_time(self.at)


@dataclass(frozen=True)
class AnswerLine:
    moment: Moment
    question: str  # "Question 2"
    choice: str  # "C: 404"
    correct: bool
    cleared: Moment | None = None  # when the learner's "Start over" cleared it


@dataclass(frozen=True)
class SectionLine:
    title: str
    moment: Moment | None  # None: not reached yet


@dataclass(frozen=True)
class FaqLine:
    question: str
    times: int
    moment: Moment  # the first time

    @property
    def opened(self) -> str:
        return "opened once" if self.times == 1 else f"opened {self.times} times"


@dataclass(frozen=True)
class LessonReport:
    title: str
    stats_url: str
    cell: Cell | None  # None for a lesson no longer in the catalog
    answers: tuple[AnswerLine, ...]
    sections: tuple[SectionLine, ...]
    faqs: tuple[FaqLine, ...]
    tasks: tuple[SectionLine, ...] = ()  # each task's title, and when it was done


@dataclass(frozen=True)
class RunLine:
    request_line: str
    status: int
    phrase: str
    css_class: str
    moment: Moment


def _answer(lesson: Lesson | None, attempt: TimedAttempt) -> AnswerLine:
    question = lesson.question(attempt.question_id) if lesson else None
    option = question.option(attempt.choice) if question else None
    return AnswerLine(Moment(attempt.at),
                      f"Question {question.number}" if question else attempt.question_id,
                      f"{option.letter}: {option.label_text}" if option
                      else attempt.choice.upper(), attempt.correct,
                      Moment(attempt.cleared_at) if attempt.cleared_at else None)


def _lesson(classroom: Classroom, key: str, lesson: Lesson | None,
            history: History) -> LessonReport:
    attempts = [a for a in history.attempts if a.lesson_key == key]
    reached = {section: at for (k, section), at in history.reached.items() if k == key}
    opened = {faq: found for (k, faq), found in history.opened.items() if k == key}
    done = {task: at for (k, task), at in history.tasks.items() if k == key}
    if lesson is None:  # its file was removed: what was stored, by id
        return LessonReport(key, "", None, tuple(_answer(None, a) for a in attempts),
                            tuple(SectionLine(s, Moment(at)) for s, at in reached.items()),
                            tuple(FaqLine(f, n, Moment(at)) for f, (n, at) in opened.items()))
    activity = Activity([(a.question_id, a.choice, a.correct) for a in attempts],
                        set(reached), {faq: times for faq, (times, _) in opened.items()},
                        tasks_done=set(done))
    faqs = sorted(((entry, opened[entry.id]) for entry in lesson.faqs if entry.id in opened),
                  key=lambda pair: -pair[1][0])
    return LessonReport(
        lesson.title, url_for("dashboard.lesson", class_id=classroom.id,
                              track_slug=lesson.track_slug, lesson_slug=lesson.slug),
        cell_for(lesson, activity), tuple(_answer(lesson, a) for a in attempts),
        tuple(SectionLine(s.title, Moment(reached[s.id]) if s.id in reached else None)
              for s in lesson.sections),
        tuple(FaqLine(entry.question, times, Moment(at)) for entry, (times, at) in faqs),
        tuple(SectionLine(t.title, Moment(done[t.id]) if t.id in done else None)
              for t in lesson.tasks))


def learner_report(classroom: Classroom, catalog: Catalog,
                   history: History) -> tuple[tuple[LessonReport, ...], tuple[RunLine, ...]]:
    """The lessons touched, in catalog order (removed lessons last), and the runs."""
    keys = ({a.lesson_key for a in history.attempts} | {k for k, _ in history.reached}
            | {k for k, _ in history.opened} | {k for k, _ in history.tasks})
    known = [lesson for track in catalog.tracks for lesson in track.lessons
             if lesson.key in keys]
    gone = sorted(keys - {lesson.key for lesson in known})
    lessons = ([_lesson(classroom, lesson.key, lesson, history) for lesson in known]
               + [_lesson(classroom, key, None, history) for key in gone])
    runs = tuple(RunLine(line, status, phrase(status), status_css(status), Moment(at))
                 for line, status, at in history.runs)
    return tuple(lessons), runs
