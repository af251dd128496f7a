"""A disk cache of parsed lessons, so a restart (or a new gunicorn worker) does not parse
and render every lesson again. Parsing is by far the largest cost of start-up.

An entry's key covers everything a parse depends on: the file's text and shown path,
its track, the names of the files beside it (images), this package's own code, and a
salt from the caller (how presets and image URLs are rendered). Only lessons without
problems are stored, so a fixed mistake is always looked at again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from .model import Lesson

_PACKAGE = Path(__file__).resolve().parent
STALE_AFTER_S = 7 * 24 * 3600  # an entry no start has used for a week is dropped


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    # Presets are checked by the try-it panel's rules, so those count as parsing code too.
    for source in [*sorted(_PACKAGE.glob("*.py")), _PACKAGE.parent / "tryit" / "request.py"]:
        digest.update(source.read_bytes())
    return digest.hexdigest()


class LessonCache:
    def __init__(self, folder: Path | str, salt: str = ""):
        self.folder = Path(folder)
        self.salt = _code_fingerprint() + salt

    def key(self, text: str, shown_path: str, track_slug: str, neighbours: list[str]) -> str:
        digest = hashlib.sha256(self.salt.encode())
        for part in (text, shown_path, track_slug, "\0".join(neighbours)):
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Lesson | None:
        path = self.folder / f"{key}.pickle"
        try:
            with open(path, "rb") as handle:
                lesson = pickle.load(handle)
            os.utime(path)  # still in use: keep it from being pruned
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or unreadable: parse again
        return lesson if isinstance(lesson, Lesson) else None

    def put(self, key: str, lesson: Lesson) -> None:
        """Write atomically, so two workers starting at once never read half a file."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(lesson, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{key}.pickle")
        except OSError:
            pass  # a read-only instance folder only costs speed

    def prune(self, now: float | None = None) -> None:
        """Drop entries unused for a week: every edit of a lesson leaves an old one."""
        cutoff = (time.time() if now is None else now) - STALE_AFTER_S
        for entry in self.folder.glob("*.pickle"):
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
            except OSError:
                pass
