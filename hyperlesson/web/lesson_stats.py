"""What a lesson's page on the class dashboard shows: each question's options as the
class first answered them, how far reading went, which FAQ entries were opened, and the
status codes of the class's try-it requests. Projector mode leaves out learners' names
and which option is right, so the page can be shown to the class."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import url_for

from ..content import FaqEntry, Lesson, Option, Question, Section
from ..content.model import Task
from ..progress import compute
from ..records import class_stats
from ..records.class_stats import Activity
from ..records.classroom_models import Classroom
from ..tryit.statuses import reason, status_class
from .dashboard import POLL_TRIGGER, answer_keys, first_tries


@dataclass(frozen=True)
class Bar:
    """A count out of a total, drawn as a bar in 5% steps (CSS classes: the CSP allows
    no style attribute); the count is always written out, so no colour is needed."""

    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def width_class(self) -> str:
        return f"bar-w{5 * round(self.percent / 5)}"


@dataclass(frozen=True)
class OptionStat:
    option: Option
    first: Bar  # learners whose first answer this was
    names: tuple[str, ...]  # empty in projector mode
    marked_correct: bool  # False in projector mode

    @property
    def who(self) -> str:
        return ", ".join(self.names)


@dataclass(frozen=True)
class QuestionStat:
    question: Question
    options: tuple[OptionStat, ...]
    answered: int
    right_first: Bar
    right_eventually: int


@dataclass(frozen=True)
class SectionStat:
    section: Section
    reached: Bar
    furthest: int  # learners for whom this is the last section reached, in lesson order
    furthest_names: tuple[str, ...]  # empty in projector mode

    @property
    def stopped(self) -> str:
        """"2 stopped here: Ada, Bo"; without the names in projector mode."""
        if not self.furthest:
            return ""
        names = ", ".join(self.furthest_names)
        return f"{self.furthest} stopped here" + (f": {names}" if names else "")

    @property
    def row(self) -> tuple[str, Bar, str]:
        """What teach/_bar_table.html shows: the title, the bar, a note."""
        return self.section.title, self.reached, self.stopped


@dataclass(frozen=True)
class FaqStat:
    entry: FaqEntry
    learners: Bar
    opens: int

    @property
    def opens_text(self) -> str:
        return "opened once in all" if self.opens == 1 else f"opened {self.opens} times in all"

    @property
    def row(self) -> tuple[str, Bar, str]:
        return self.entry.question, self.learners, self.opens_text if self.opens else ""


@dataclass(frozen=True)
class TaskStat:
    task: Task
    done: Bar  # learners who did it, of those who started the lesson
    names: tuple[str, ...]  # who did it; empty in projector mode

    @property
    def row(self) -> tuple[str, Bar, str]:
        return self.task.title, self.done, ", ".join(self.names)


@dataclass(frozen=True)
class StatusStat:
    status: int
    phrase: str
    css_class: str
    share: Bar


@dataclass(frozen=True)
class PresetStat:
    request_line: str
    statuses: tuple[tuple[int, int], ...]  # (status, how many)


@dataclass(frozen=True)
class LessonStats:
    classroom: Classroom
    lesson: Lesson
    projector: bool
    members: int
    started: int
    finished: int
    questions: tuple[QuestionStat, ...]
    sections: tuple[SectionStat, ...]
    faqs: tuple[FaqStat, ...]
    tasks: tuple[TaskStat, ...]
    statuses: tuple[StatusStat, ...]
    presets: tuple[PresetStat, ...]
    runs: int
    poll_url: str
    page_url: str
    projector_url: str
    trigger: str = POLL_TRIGGER


def phrase(status: int) -> str:
    return reason(status) if status else "no response"


def status_css(status: int) -> str:
    """"status-4xx": the try-it panel's colours, beside the number itself."""
    return f"status-{status_class(status)}" if status_class(status) else ""


def _who(names: dict[int, str], chosen: dict[int, str], key: str) -> tuple[str, ...]:
    return tuple(sorted(names.get(learner, "") for learner, choice in chosen.items()
                        if choice == key))


def _questions(lesson, firsts, eventually, names, projector) -> tuple[QuestionStat, ...]:
    stats = []
    for question in lesson.questions:
        chosen = {learner: key for (learner, qid), key in firsts.items() if qid == question.id}
        counts = Counter(chosen.values())
        options = tuple(OptionStat(option, Bar(counts[option.key], len(chosen)),
                                   () if projector else _who(names, chosen, option.key),
                                   option.correct and not projector)
                        for option in question.options)
        stats.append(QuestionStat(
            question, options, len(chosen), Bar(counts[question.correct_key], len(chosen)),
            sum(1 for _, qid in eventually if qid == question.id)))
    return tuple(stats)


def _sections(lesson, reached_by, started, names, projector) -> tuple[SectionStat, ...]:
    order = {section.id: index for index, section in enumerate(lesson.sections)}
    furthest: dict[str, list[int]] = {}
    for learner, reached in reached_by.items():
        known = [section for section in reached if section in order]
        if known:
            furthest.setdefault(max(known, key=order.get), []).append(learner)
    return tuple(SectionStat(
        section, Bar(sum(1 for r in reached_by.values() if section.id in r), started),
        len(furthest.get(section.id, ())),
        () if projector else tuple(sorted(names.get(i, "") for i in furthest.get(section.id, ()))))
        for section in lesson.sections)


def _answers(lesson: Lesson, activity: dict[int, Activity]):
    """Each learner's first choice per question, the questions they got right in the
    end, and how many finished the lesson; unknown options skipped, as quiz_state does."""
    firsts: dict[tuple[int, str], str] = {}
    eventually: set[tuple[int, str]] = set()
    finished = 0
    keys = answer_keys(lesson)
    for learner, record in activity.items():
        for question_id, choice, correct in record.attempts:  # oldest first
            if (question_id, choice) in keys:
                firsts.setdefault((learner, question_id), choice)
                if correct:
                    eventually.add((learner, question_id))
        _, answered, _ = first_tries(lesson, record.attempts, keys)
        finished += compute(lesson, record.reached, answered, record.tasks_done).done
    return firsts, eventually, finished


def _faqs(lesson: Lesson, activity: dict[int, Activity]) -> tuple[FaqStat, ...]:
    """Most opened first: by learners, then the lesson's order."""
    learners, opens = Counter(), Counter()
    for record in activity.values():
        learners.update(record.opened.keys())
        opens.update(record.opened)
    stats = (FaqStat(entry, Bar(learners[entry.id], len(activity)), opens[entry.id])
             for entry in lesson.faqs)
    return tuple(sorted(stats, key=lambda stat: -stat.learners.count))


def _tasks(lesson: Lesson, activity: dict[int, Activity], names: dict[int, str],
           projector: bool) -> tuple[TaskStat, ...]:
    stats = []
    for task in lesson.tasks:
        done = [learner for learner, record in activity.items() if task.id in record.tasks_done]
        who = () if projector else tuple(sorted(names.get(learner, "") for learner in done))
        stats.append(TaskStat(task, Bar(len(done), len(activity)), who))
    return tuple(stats)


def _tryit(classroom: Classroom, lesson: Lesson):
    """The statuses of all the members' kept runs, and those of this lesson's presets."""
    statuses = class_stats.run_statuses(classroom)
    runs = sum(count for _, count in statuses)
    lines = list(dict.fromkeys(p.request_line for s in lesson.sections for p in s.presets))
    by_line: dict[str, list[tuple[int, int]]] = {line: [] for line in lines}
    for line, status, count in class_stats.run_requests(classroom, lines):
        by_line[line].append((status, count))
    return (tuple(StatusStat(status, phrase(status), status_css(status), Bar(count, runs))
                  for status, count in statuses),
            tuple(PresetStat(line, tuple(by_line[line])) for line in lines), runs)


def lesson_stats(classroom: Classroom, lesson: Lesson, version: str,
                 projector: bool) -> LessonStats:
    """A fixed number of grouped queries, whatever the class's size (members, the
    lesson's records, try-it statuses and preset requests), besides the version's."""
    names = dict(class_stats.member_names(classroom))
    activity = {learner: record for (learner, _), record
                in class_stats.class_activity(classroom, lesson.key).items()}
    firsts, eventually, finished = _answers(lesson, activity)
    reached = {learner: record.reached for learner, record in activity.items()}
    statuses, presets, runs = _tryit(classroom, lesson)
    args = {"class_id": classroom.id, "track_slug": lesson.track_slug,
            "lesson_slug": lesson.slug}
    mode = {"projector": 1} if projector else {}
    return LessonStats(
        classroom, lesson, projector, len(names), len(activity), finished,
        _questions(lesson, firsts, eventually, names, projector),
        _sections(lesson, reached, len(activity), names, projector),
        _faqs(lesson, activity), _tasks(lesson, activity, names, projector), statuses,
        presets, runs,
        poll_url=url_for("dashboard.lesson", v=version, **args, **mode),
        page_url=url_for("dashboard.lesson", **args),
        projector_url=url_for("dashboard.lesson", projector=1, **args))
