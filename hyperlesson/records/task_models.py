"""Tables of tasks: the exchanges the sandbox recorded for learners, and tasks done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import UTCDateTime, utcnow
from .models import ID_LENGTH, _LearnerLessonMixin


class TaskExchange(db.Model):
    """A request a learner sent to the sandbox with their key (the panel, curl, any
    client) that some task's method and path fit, with its answer, as task_check reads
    them. Only the newest few per learner are kept, each within a byte budget."""

    __tablename__ = "task_exchanges"
    __table_args__ = (Index("ix_task_exchanges_learner_newest", "learner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    data: Mapped[str] = mapped_column(Text)  # task_check.Exchange.to_json()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TaskDone(_LearnerLessonMixin, db.Model):
    """A task one exchange met: done stays done, whatever the learner sends next."""

    __tablename__ = "tasks_done"
    __table_args__ = (UniqueConstraint("learner_id", "lesson_key", "task_id",
                                       name="uq_tasks_done_once"),)

    task_id: Mapped[str] = mapped_column(String(ID_LENGTH))


__all__ = ["TaskDone", "TaskExchange"]
