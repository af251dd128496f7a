"""What `lessons/_sync_status.html` shows: when the server last stored a learner's reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class SyncStatus:
    synced_at: str  # ISO 8601, for data-synced-at: app.js shows it in the learner's clock
    text: str  # what shows without JavaScript: the time in UTC

    @classmethod
    def at(cls, moment: datetime) -> SyncStatus:
        moment = moment.astimezone(UTC)
        return cls(moment.isoformat(timespec="seconds"), f"Synced {moment:%H:%M} UTC")
