"""Tables of a teacher's classes: the class, who is in it, its tracks, help requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, column_property, mapped_column

from ..extensions import db
from ..timestamps import UTCDateTime, utcnow
from .models import ID_LENGTH, KEY_LENGTH, Account


class Classroom(db.Model):
    """A teacher's class. Learners join with its code; None means joining is off."""

    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(100))
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassMember(db.Model):
    __tablename__ = "class_members"
    __table_args__ = (UniqueConstraint("classroom_id", "learner_id",
                                       name="uq_class_members_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassTrack(db.Model):
    """A track the class is limited to; a class with none sees every track."""

    __tablename__ = "class_tracks"

    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True)
    track_slug: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)


class HelpRequest(db.Model):
    """A learner's question about a lesson (optionally one section), and the answer."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"),
                                            index=True)
    lesson_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    section_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# Loaded with the account in the login's one query: the lesson page asks "is this learner
# in a class?" (for Need help?) on every view, and most learners are in none.
Account.in_a_class = column_property(
    exists().where(ClassMember.learner_id == Account.learner_id).correlate_except(ClassMember))
