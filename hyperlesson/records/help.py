"""Help requests: a learner's questions about a lesson, and a teacher's answers.

Every read is scoped: a learner's own requests (`learner_requests`), or one class's
(`class_requests`, `class_request`), and the class comes from `teacher_class()`, so
another teacher's request id finds nothing. Functions work in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from ..extensions import db
from ..timestamps import utcnow
from .classroom_models import Classroom, HelpRequest
from .models import Account, Learner
from .name_scripts import shows_something

QUESTION_LENGTH = 2_000
ANSWER_LENGTH = 5_000
OPEN_PER_LESSON = 10  # a learner's unanswered questions about one lesson, at most
DONE_SHOWN = 30  # answered or resolved requests listed on the class page


class HelpError(ValueError):
    """A question or answer the rules refuse; the message is for the form."""


def check_text(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if not shows_something(text):  # zero-width spaces alone show an empty card
        raise HelpError(f"Write your {what} first: it is empty.")
    if len(text) > limit:
        raise HelpError(f"Your {what} has {len(text):,} characters; at most {limit:,} fit. "
                        "Shorten it and send it again.")
    return text


def is_open(request: HelpRequest) -> bool:
    return request.answer is None and not request.resolved


def _open_clause():
    return HelpRequest.answer.is_(None) & HelpRequest.resolved.is_(False)


def ask(learner: Learner, classroom: Classroom, lesson_key: str, section_id: str | None,
        question: str) -> HelpRequest:
    """The stored request. The same open question again (a double click, a resent form)
    is the one already stored, not a second row."""
    text = check_text(question, QUESTION_LENGTH, "question")
    mine = (HelpRequest.learner_id == learner.id, HelpRequest.lesson_key == lesson_key,
            _open_clause())
    same = db.session.scalar(select(HelpRequest).where(
        *mine, HelpRequest.classroom_id == classroom.id, HelpRequest.question == text))
    if same is not None:
        return same
    waiting = db.session.scalar(select(func.count(HelpRequest.id)).where(*mine))
    if waiting >= OPEN_PER_LESSON:
        raise HelpError(f"You have {waiting} questions about this lesson waiting for an "
                        "answer. Wait for your teacher to reply before asking more.")
    request = HelpRequest(classroom_id=classroom.id, learner_id=learner.id,
                          lesson_key=lesson_key, section_id=section_id, question=text)
    db.session.add(request)
    db.session.flush()
    return request


def learner_requests(learner: Learner, lesson_key: str) -> list[HelpRequest]:
    """The learner's own requests about this lesson, oldest first (a conversation)."""
    return list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.learner_id == learner.id,
                                  HelpRequest.lesson_key == lesson_key)
        .order_by(HelpRequest.created_at, HelpRequest.id)))


def _version(*where) -> str:
    """A cheap fingerprint of some requests: one aggregate row, no request loaded. It
    moves when one is asked, answered (again) or resolved, and when one is deleted."""
    count, answered, resolved, last_answer = db.session.execute(select(
        func.count(HelpRequest.id), func.count(HelpRequest.answered_at),
        func.coalesce(func.sum(case((HelpRequest.resolved, 1), else_=0)), 0),
        func.max(HelpRequest.answered_at)).where(*where)).one()
    return _fingerprint(count, answered, resolved, last_answer)


def version_of(requests: list[HelpRequest]) -> str:
    """The same fingerprint, of requests already loaded: the page needs no extra query."""
    answered = [r.answered_at for r in requests if r.answered_at is not None]
    return _fingerprint(len(requests), len(answered), sum(r.resolved for r in requests),
                        max(answered, default=None))


def _fingerprint(count: int, answered: int, resolved: int, last_answer) -> str:
    stamp = _micros(last_answer) if last_answer is not None else 0
    return f"{count}.{answered}.{resolved}.{stamp}"


def _micros(moment: datetime | str) -> int:
    # Typed columns come back aware UTC (timestamps.py); text or naive is read as UTC.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def learner_version(learner: Learner, lesson_key: str) -> str:
    return _version(HelpRequest.learner_id == learner.id, HelpRequest.lesson_key == lesson_key)


def class_version(classroom: Classroom) -> str:
    return _version(HelpRequest.classroom_id == classroom.id)


@dataclass(frozen=True)
class ClassRequest:
    request: HelpRequest
    learner_name: str | None  # None once the learner's account is gone


def class_requests(classroom: Classroom) -> tuple[list[ClassRequest], list[ClassRequest]]:
    """(open requests, oldest first; the latest DONE_SHOWN answered or resolved ones)."""
    query = (select(HelpRequest, Account.username)
             .outerjoin(Account, Account.learner_id == HelpRequest.learner_id)
             .where(HelpRequest.classroom_id == classroom.id))
    waiting = db.session.execute(query.where(_open_clause())
                                 .order_by(HelpRequest.created_at, HelpRequest.id))
    done = db.session.execute(query.where(~_open_clause())
                              .order_by(HelpRequest.created_at.desc(),
                                        HelpRequest.id.desc()).limit(DONE_SHOWN))
    return ([ClassRequest(*row) for row in waiting], [ClassRequest(*row) for row in done])


def class_request(classroom: Classroom, help_id: int) -> HelpRequest | None:
    """The request if it belongs to this class; any other id finds nothing."""
    if not 0 < help_id < 2**63:
        return None
    return db.session.scalar(select(HelpRequest).where(HelpRequest.id == help_id,
                                                       HelpRequest.classroom_id
                                                       == classroom.id))


def answer(request: HelpRequest, text: str) -> None:
    """The teacher's answer (a later one replaces it); the learner sees it in place."""
    request.answer = check_text(text, ANSWER_LENGTH, "answer")
    request.answered_at = utcnow()


def resolve(request: HelpRequest) -> None:
    request.resolved = True
