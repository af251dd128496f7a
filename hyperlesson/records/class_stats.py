"""What a class did, read for its teacher's dashboard.

Every query is scoped to one class: its members' learner ids (`member_ids`, or the same
subquery with the class id bound in the class table's queries, built once) or a
`Member` found through `classrooms.member()`. Each read is grouped, so a page costs a
few queries however many learners and lessons the class has (no query per learner).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam, func, null, select, type_coerce, union_all

from ..extensions import db
from .classroom_models import ClassMember, Classroom
from .classrooms import Member
from .models import Account, FaqOpened, QuizAttempt, SectionReached, TryItRun
from .task_models import TaskDone


def member_ids(classroom: Classroom):
    """The class's learners, as the subquery every read here filters on."""
    return select(ClassMember.learner_id).where(ClassMember.classroom_id == classroom.id)


def class_version(classroom: Classroom) -> str:
    """A short token that changes whenever anything the dashboard shows may have: the
    count and highest id of the members and of each of their record tables (an insert
    raises the id, a delete lowers the count) and the FAQ open counts. One query of
    aggregates over indexed columns; no row is loaded and nothing is rendered."""
    figures_now = db.session.execute(_version_query(), {"class_id": classroom.id}).one()
    digest = hashlib.blake2b(repr(tuple(figures_now)).encode(), digest_size=6)
    return digest.hexdigest()


@cache
def _version_query():
    """Built once: a poll that changed nothing should cost one round trip and no Python
    work beyond it (building these 14 subqueries took most of such a poll's time)."""
    class_id = bindparam("class_id")
    members = select(ClassMember.learner_id).where(ClassMember.classroom_id == class_id)

    def figures(model, where, *extra):
        return [select(aggregate).where(where).scalar_subquery()
                for aggregate in (func.count(model.id), func.max(model.id), *extra)]

    # Scalar subqueries of one SELECT: one round trip.
    columns = figures(ClassMember, ClassMember.classroom_id == class_id)
    for model in (QuizAttempt, SectionReached, TryItRun, TaskDone):
        columns += figures(model, model.learner_id.in_(members))
    columns += figures(FaqOpened, FaqOpened.learner_id.in_(members), func.sum(FaqOpened.times))
    return select(*columns)


def member_names(classroom: Classroom) -> list[tuple[int, str]]:
    """(learner id, username) of each member, in username order."""
    return [tuple(row) for row in db.session.execute(
        select(Account.learner_id, Account.username)
        .join(ClassMember, ClassMember.learner_id == Account.learner_id)
        .where(ClassMember.classroom_id == classroom.id).order_by(Account.username_key))]


@dataclass(slots=True)  # no __dict__: a class table holds hundreds
class Activity:
    """One learner's records for one lesson."""

    # (question id, choice, correct), oldest first: plain tuples, as a class has
    # thousands and each dataclass instance would cost the garbage collector twice.
    attempts: list[tuple[str, str, bool]] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # section ids
    opened: dict[str, int] = field(default_factory=dict)  # FAQ id -> times opened
    last_active: datetime | None = None
    tasks_done: set[str] = field(default_factory=set)  # task ids

    def saw(self, moment: datetime) -> None:
        if self.last_active is None or moment > self.last_active:
            self.last_active = moment


def class_activity(classroom: Classroom,
                   lesson_key: str | None = None) -> dict[tuple[int, str], Activity]:
    """Every member's records by (learner id, lesson key), for one lesson or all: one
    query per table, and one for the times (grouped, so few timestamps are read)."""
    members = member_ids(classroom)
    activity: dict[tuple[int, str], Activity] = defaultdict(Activity)
    # Core execution: these are plain columns, and the ORM's per-row work shows here.
    execute = db.session.connection().execute

    def scoped(query, model):
        query = query.where(model.learner_id.in_(members))
        return query.where(model.lesson_key == lesson_key) if lesson_key else query

    for learner_id, key, question_id, choice, correct in execute(scoped(
            select(QuizAttempt.learner_id, QuizAttempt.lesson_key, QuizAttempt.question_id,
                   QuizAttempt.choice, QuizAttempt.correct)
            .order_by(QuizAttempt.created_at, QuizAttempt.id), QuizAttempt)):
        activity[learner_id, key].attempts.append((question_id, choice, correct))
    for learner_id, key, section_id in execute(scoped(
            select(SectionReached.learner_id, SectionReached.lesson_key,
                   SectionReached.section_id), SectionReached)):
        activity[learner_id, key].reached.add(section_id)
    for learner_id, key, faq_id, times in execute(scoped(
            select(FaqOpened.learner_id, FaqOpened.lesson_key, FaqOpened.faq_id,
                   FaqOpened.times), FaqOpened)):
        activity[learner_id, key].opened[faq_id] = times
    for learner_id, key, task_id in execute(scoped(
            select(TaskDone.learner_id, TaskDone.lesson_key, TaskDone.task_id), TaskDone)):
        activity[learner_id, key].tasks_done.add(task_id)
    latest = union_all(*(
        scoped(select(model.learner_id, model.lesson_key, func.max(model.created_at)), model)
        .group_by(model.learner_id, model.lesson_key)
        for model in (QuizAttempt, SectionReached, FaqOpened, TaskDone)))
    for learner_id, key, moment in execute(latest):
        activity[learner_id, key].saw(moment)
    return dict(activity)


# Joins a learner's section ids in one lesson into one string, read back with split(): a
# section id is a slug or an explicit id ([A-Za-z][\w-]*), and never has a space.
SECTIONS_SEPARATOR = " "


@dataclass(frozen=True)
class TableRecords:
    """What the class table reads: its members, their answers (which one was the first
    try depends on the lessons' options now, so Python picks it), and per learner and
    lesson what SQL could group: the sections reached and the latest time."""

    learners: list[tuple[int, str, datetime | None]]  # (id, username, last try-it run)
    # (learner id, lesson key, question id, choice, correct as 0 or 1), oldest first
    attempts: list[tuple[int, str, str, str, int]]
    # Each (learner id, lesson key) with any record: (its latest time, section ids
    # reached, task ids done)
    lessons: dict[tuple[int, str], tuple[datetime, list[str], list[str]]]


def table_records(classroom: Classroom) -> TableRecords:
    """Three queries, built once: building them took as long as running the small ones."""
    execute = db.session.connection().execute  # Core: plain columns, no ORM per row
    params = {"class_id": classroom.id}
    learners, attempts, lessons = _table_queries()
    return TableRecords(
        execute(learners, params).all(), execute(attempts, params).all(),
        {(learner_id, key): (moment, sections.split(SECTIONS_SEPARATOR) if sections else [],
                             tasks.split(SECTIONS_SEPARATOR) if tasks else [])
         for learner_id, key, moment, sections, tasks in execute(lessons, params).all()})


@cache
def _table_queries():
    members = select(ClassMember.learner_id).where(
        ClassMember.classroom_id == bindparam("class_id"))
    runs = (select(TryItRun.learner_id, func.max(TryItRun.created_at).label("at"))
            .where(TryItRun.learner_id.in_(members)).group_by(TryItRun.learner_id).subquery())
    learners = (select(Account.learner_id, Account.username, runs.c.at)
                .join(ClassMember, ClassMember.learner_id == Account.learner_id)
                .outerjoin(runs, runs.c.learner_id == Account.learner_id)
                .where(ClassMember.classroom_id == bindparam("class_id"))
                .order_by(Account.username_key))
    # `correct` as stored (0 or 1 on SQLite): a bool for each would cost a call per row.
    attempts = (select(QuizAttempt.learner_id, QuizAttempt.lesson_key,
                       QuizAttempt.question_id, QuizAttempt.choice,
                       type_coerce(QuizAttempt.correct, Integer))
                .where(QuizAttempt.learner_id.in_(members))
                .order_by(QuizAttempt.created_at, QuizAttempt.id))

    def by_lesson(model, sections=None, tasks=None):
        return (select(model.learner_id.label("learner_id"),
                       model.lesson_key.label("lesson_key"),
                       func.max(model.created_at).label("at"),
                       (null() if sections is None else sections).label("sections"),
                       (null() if tasks is None else tasks).label("tasks"))
                .where(model.learner_id.in_(members))
                .group_by(model.learner_id, model.lesson_key))

    # Task ids are slugs too ("task-get-a-404"): joined with the same separator.
    each = union_all(
        by_lesson(SectionReached,
                  func.aggregate_strings(SectionReached.section_id, SECTIONS_SEPARATOR)),
        by_lesson(QuizAttempt), by_lesson(FaqOpened),
        by_lesson(TaskDone, tasks=func.aggregate_strings(TaskDone.task_id,
                                                         SECTIONS_SEPARATOR))).subquery()
    lessons = (select(each.c.learner_id, each.c.lesson_key, func.max(each.c.at),
                      func.max(each.c.sections), func.max(each.c.tasks))
               .group_by(each.c.learner_id, each.c.lesson_key))
    return learners, attempts, lessons


def run_statuses(classroom: Classroom) -> list[tuple[int, int]]:
    """(status, how many) of the members' try-it requests, commonest first."""
    count = func.count(TryItRun.id)
    return [tuple(row) for row in db.session.execute(
        select(TryItRun.status, count).where(TryItRun.learner_id.in_(member_ids(classroom)))
        .group_by(TryItRun.status).order_by(count.desc(), TryItRun.status))]


def run_requests(classroom: Classroom, summaries: list[str]) -> list[tuple[str, int, int]]:
    """(request line, status, how many) of the members' requests among `summaries`."""
    if not summaries:
        return []
    return [tuple(row) for row in db.session.execute(
        select(TryItRun.summary, TryItRun.status, func.count(TryItRun.id))
        .where(TryItRun.learner_id.in_(member_ids(classroom)),
               TryItRun.summary.in_(summaries))
        .group_by(TryItRun.summary, TryItRun.status).order_by(TryItRun.status))]


@dataclass(frozen=True)
class TimedAttempt:
    lesson_key: str
    question_id: str
    choice: str
    correct: bool
    at: datetime
    cleared_at: datetime | None = None  # the learner's "Start over"


@dataclass(frozen=True)
class History:
    """Everything one member did, with times, for the teacher's page about them."""

    attempts: list[TimedAttempt]  # oldest first
    reached: dict[tuple[str, str], datetime]  # (lesson key, section id) -> when
    opened: dict[tuple[str, str], tuple[int, datetime]]  # (lesson, FAQ id) -> times, first
    runs: list[tuple[str, int, datetime]]  # (request line, status, when), newest first
    tasks: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (lesson, task id)


def member_history(classroom: Classroom, member: Member) -> History:
    """Five queries, each limited to this member and to the class's members."""
    def scope(model):
        return (model.learner_id == member.learner.id,
                model.learner_id.in_(member_ids(classroom)))

    attempts = [TimedAttempt(*row) for row in db.session.execute(
        select(QuizAttempt.lesson_key, QuizAttempt.question_id, QuizAttempt.choice,
               QuizAttempt.correct, QuizAttempt.created_at, QuizAttempt.cleared_at)
        .where(*scope(QuizAttempt))
        .order_by(QuizAttempt.created_at, QuizAttempt.id))]
    reached = {(key, section): at for key, section, at in db.session.execute(
        select(SectionReached.lesson_key, SectionReached.section_id,
               SectionReached.created_at).where(*scope(SectionReached)))}
    opened = {(key, faq): (times, at) for key, faq, times, at in db.session.execute(
        select(FaqOpened.lesson_key, FaqOpened.faq_id, FaqOpened.times,
               FaqOpened.created_at).where(*scope(FaqOpened)))}
    runs = [tuple(row) for row in db.session.execute(
        select(TryItRun.summary, TryItRun.status, TryItRun.created_at)
        .where(*scope(TryItRun)).order_by(TryItRun.created_at.desc(), TryItRun.id.desc()))]
    tasks = {(key, task): at for key, task, at in db.session.execute(
        select(TaskDone.lesson_key, TaskDone.task_id, TaskDone.created_at)
        .where(*scope(TaskDone)))}
    return History(attempts, reached, opened, runs, tasks)


def class_attempts(classroom: Classroom) -> list[tuple[str, str, str, str, bool, datetime]]:
    """(username, lesson key, question id, choice, correct, when) of every member's
    answer, by username and then in time order: the attempts export, in one query."""
    return [tuple(row) for row in db.session.execute(
        select(Account.username, QuizAttempt.lesson_key, QuizAttempt.question_id,
               QuizAttempt.choice, QuizAttempt.correct, QuizAttempt.created_at)
        .join(Account, Account.learner_id == QuizAttempt.learner_id)
        .where(QuizAttempt.learner_id.in_(member_ids(classroom)))
        .order_by(Account.username_key, QuizAttempt.created_at, QuizAttempt.id))]
