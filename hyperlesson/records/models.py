"""Database models for learners and what they did. Lessons themselves are files, not rows.

A lesson is referred to by its key "track/slug", so editing or removing a lesson file
needs no database change. Every timestamp is aware UTC:
`mapped_column(UTCDateTime(), default=utcnow)` (hyperlesson/timestamps.py).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timestamps import UTCDateTime, utcnow

KEY_LENGTH = 200  # "track/slug"
ID_LENGTH = 100  # a section, question or FAQ id


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Learner(db.Model):
    """Anyone who interacted with a lesson; an Account, when they have one, points here."""

    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept in the signed session cookie: a random value, never the row id.
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    # Names this learner's own copy of the sandbox data; shown in exported snippets.
    sandbox_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Moved forward at most hourly by an interaction: `flask purge` drops idle learners.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                   index=True)


class _LearnerLessonMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            index=True)
    lesson_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuizAttempt(_LearnerLessonMixin, db.Model):
    """One answer. The same choice twice (a double click, a replay) is one row.

    "Start over" sets `cleared_at` rather than deleting: the learner's own pages read
    only uncleared rows, the teacher's figures every row, so a first try stays the
    first. Only uncleared rows are unique, so the same choice can be made again after."""

    __tablename__ = "quiz_attempts"

    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    choice: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool]
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


_LIVE_ATTEMPT = QuizAttempt.cleared_at.is_(None)
Index("uq_quiz_attempts_once", QuizAttempt.learner_id, QuizAttempt.lesson_key,
      QuizAttempt.question_id, QuizAttempt.choice, unique=True,
      sqlite_where=_LIVE_ATTEMPT, postgresql_where=_LIVE_ATTEMPT)


class SectionReached(_LearnerLessonMixin, db.Model):
    __tablename__ = "sections_reached"
    __table_args__ = (UniqueConstraint("learner_id", "lesson_key", "section_id",
                                       name="uq_sections_reached_once"),)

    section_id: Mapped[str] = mapped_column(String(ID_LENGTH))


class FaqOpened(_LearnerLessonMixin, db.Model):
    """The first time a learner opened an FAQ answer, and how often since."""

    __tablename__ = "faq_opened"
    __table_args__ = (UniqueConstraint("learner_id", "lesson_key", "faq_id",
                                       name="uq_faq_opened_once"),)

    faq_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    times: Mapped[int] = mapped_column(default=1)


class TryItRun(db.Model):
    """A request a learner sent from the try-it panel, with what came back. The panel
    lists the last few and can send them again; a plain form's redirect shows one.
    Stored once, within a byte budget (tryit/keep.py)."""

    __tablename__ = "tryit_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            index=True)
    exchange_json: Mapped[str] = mapped_column(Text)  # the request and the result as shown
    follow: Mapped[bool] = mapped_column(default=False)  # "Follow redirects" was ticked
    whole: Mapped[bool] = mapped_column(default=True)  # False: the request was cut to fit
    # What the history list shows, kept apart so listing never parses the results.
    summary: Mapped[str] = mapped_column(String(200), default="")  # "GET /sandbox/get"
    status: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TryItCookieJar(db.Model):
    """The cookies the sandbox set for a learner's try-it panel (tryit/cookies.py), kept
    as a browser keeps them: one row per learner, within the jar's own byte bound."""

    __tablename__ = "tryit_cookie_jars"

    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            primary_key=True)
    cookies_json: Mapped[str] = mapped_column(Text)  # CookieJar.as_dicts()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RateCounter(db.Model):
    """A fixed-window counter shared by every worker: one row per key."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    # When the window started, in seconds since the epoch: `flask purge` drops old ones.
    window: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int]


class Account(UserMixin, db.Model):
    """A username and password that keep a learner's work across browsers and devices,
    and give a teacher their role. The account's learner holds everything they did."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))  # as typed (NFKC)
    # Unique without regard to case: NFKC then casefold, which can lengthen ("ß" -> "ss").
    username_key: Mapped[str] = mapped_column(String(160), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="learner")  # or "teacher"
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            unique=True)
    learner: Mapped[Learner] = relationship(lazy="joined")
    # Part of the id in every login session and remember-me cookie: moved on at logout
    # and password change, which ends all of them at once.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"
