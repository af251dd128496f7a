"""What `lessons/_sync_status.html` shows: when the server last stored a learner's reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..content import Lesson
from ..records.lesson_records import last_reached_at
from ..records.models import Learner


@dataclass(frozen=True)
class SyncStatus:
    synced_at: str  # ISO 8601, for data-synced-at: app.js shows it in the learner's clock
    text: str  # what shows without JavaScript: the time in UTC

    @classmethod
    def at(cls, moment: datetime) -> SyncStatus:
        moment = moment.astimezone(UTC)
        return cls(moment.isoformat(timespec="seconds"), f"Synced {moment:%H:%M} UTC")


def last_sync(learner: Learner | None, lesson: Lesson) -> SyncStatus | None:
    """The "Synced" line a lesson page starts with: the last time the server stored
    this learner's reading of it, or None (nothing stored yet)."""
    moment = last_reached_at(learner, lesson)
    return SyncStatus.at(moment) if moment is not None else None
