"""What "Need help?" on a lesson page and the teacher's "Help requests" card show.

Templates get these prepared values and only loop and branch: no query, no url_for.
A poll URL carries the fingerprint of what is shown (records/help.py `_version`), so
the server answers an unchanged poll with a bodiless 204."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app, url_for

from ..content import Lesson
from ..records import classrooms
from ..records import help as help_records
from ..records.classroom_models import Classroom, HelpRequest
from .catalog import current_catalog, lesson_url
from .identity import current_account


@dataclass(frozen=True)
class Moment:
    iso: str  # for <time datetime>
    text: str  # "26 Nov 14:05 UTC": the same for every viewer, JavaScript or not


def moment(when: datetime) -> Moment:
    when = when.astimezone(UTC)
    return Moment(when.isoformat(timespec="seconds"), f"{when.day} {when:%b %H:%M} UTC")


@dataclass(frozen=True)
class HelpItem:
    id: int
    question: str
    answer: str | None
    asked: Moment
    answered: Moment | None
    resolved: bool
    is_open: bool
    status: str
    lesson_title: str
    section_title: str | None  # None: about the whole lesson
    learner_name: str = ""
    lesson_url: str | None = None
    answer_url: str | None = None  # the teacher's forms; None on the learner's side
    resolve_url: str | None = None


def _status(request: HelpRequest) -> str:
    if request.resolved:
        return "Resolved"
    return "Answered" if request.answer is not None else "Waiting for an answer"


def _item(request: HelpRequest, lesson: Lesson | None, **extra) -> HelpItem:
    section = lesson.section(request.section_id) if lesson and request.section_id else None
    return HelpItem(
        id=request.id, question=request.question, answer=request.answer,
        asked=moment(request.created_at),
        answered=moment(request.answered_at) if request.answered_at else None,
        resolved=request.resolved, is_open=help_records.is_open(request),
        status=_status(request),
        lesson_title=lesson.title if lesson else request.lesson_key,
        section_title=section.title if section else (request.section_id or None), **extra)


@dataclass(frozen=True)
class HelpForm:
    """What the learner sent, given back with the message when it was refused."""

    question: str = ""
    section_id: str = ""
    class_id: str = ""
    error: str | None = None


@dataclass(frozen=True)
class ClassChoice:
    id: int
    name: str


@dataclass(frozen=True)
class LearnerHelp:
    lesson_args: dict  # the lesson's slugs, for its help URLs
    poll_url: str | None  # None: nothing waits for an answer, so nothing polls
    version: str
    requests: list[HelpItem]
    can_ask: bool  # logged in and in a class that is not archived
    classes_ended: bool  # in classes, all of them archived: told so, not invited to join
    classes: list[ClassChoice]
    sections: list[tuple[str, str]]  # (id, title)
    logged_in: bool
    is_teacher: bool
    has_faq: bool
    contact: str  # HELP_CONTACT: where else to find help; "" shows nothing
    form: HelpForm = field(default_factory=HelpForm)
    notice: str | None = None  # "Sent": said once, after a question was stored
    question_limit: int = help_records.QUESTION_LENGTH

    # Built when drawn: a lesson page draws the section once for every learner in no class.
    @property
    def ask_url(self) -> str:
        return url_for("help.ask", **self.lesson_args)

    @property
    def requests_url(self) -> str:
        """The fragment of the learner's requests, polled while one is open."""
        return url_for("help.requests", **self.lesson_args)


def learner_help(lesson: Lesson, form: HelpForm | None = None,
                 notice: str | None = None) -> LearnerHelp:
    """Only a logged-in learner can be in a class, so an anonymous page costs no query,
    and one in no class costs one: their requests are looked for only in a class. The
    requests asked in a class since archived stay readable; asking needs an active one."""
    account = current_account()
    learner = account.learner if account is not None else None
    in_a_class = account is not None and account.in_a_class
    classes = classrooms.learner_classes(learner) if in_a_class else []
    requests = help_records.learner_requests(learner, lesson.key) if in_a_class else []
    version = help_records.version_of(requests)
    args = {"track_slug": lesson.track_slug, "lesson_slug": lesson.slug}
    waiting = any(help_records.is_open(request) for request in requests)
    return LearnerHelp(
        lesson_args=args,
        poll_url=url_for("help.requests", v=version, **args) if waiting else None,
        version=version, requests=[_item(request, lesson) for request in requests],
        can_ask=bool(classes), classes_ended=in_a_class and not classes,
        classes=[ClassChoice(c.id, c.name) for c in classes],
        sections=[(section.id, section.title) for section in lesson.sections],
        logged_in=account is not None, is_teacher=bool(account and account.is_teacher),
        has_faq=bool(lesson.faqs), contact=str(current_app.config["HELP_CONTACT"] or ""),
        form=form or HelpForm(), notice=notice)


@dataclass(frozen=True)
class HelpQueue:
    class_id: int
    poll_url: str | None  # None for an archived class: nobody can ask there
    version: str
    waiting: list[HelpItem]  # oldest first: the longest wait is answered first
    done: list[HelpItem]  # answered or resolved, latest first
    error: str | None = None
    error_for: int | None = None  # the request whose answer was refused
    draft: str = ""  # that answer, given back
    answer_limit: int = help_records.ANSWER_LENGTH


def teacher_queue(classroom: Classroom, error: str | None = None,
                  error_for: int | None = None, draft: str = "") -> HelpQueue:
    """The class's requests; the caller found `classroom` through `teacher_class()`."""
    waiting, done = help_records.class_requests(classroom)
    version = help_records.class_version(classroom)
    catalog = current_catalog()

    def item(row: help_records.ClassRequest) -> HelpItem:
        request = row.request
        lesson = catalog.lesson_by_key(request.lesson_key)
        urls = {"class_id": classroom.id, "help_id": request.id}
        return _item(request, lesson, learner_name=row.learner_name or "A former learner",
                     lesson_url=lesson_url(lesson, request.section_id) if lesson else None,
                     answer_url=url_for("help.answer", **urls),
                     resolve_url=url_for("help.resolve", **urls))

    poll = None if classroom.archived else url_for("help.queue", class_id=classroom.id,
                                                    v=version)
    return HelpQueue(class_id=classroom.id, poll_url=poll, version=version,
                     waiting=[item(row) for row in waiting], done=[item(row) for row in done],
                     error=error, error_for=error_for, draft=draft)

