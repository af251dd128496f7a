"""What a lesson page shows of its tasks for one learner: states, the poll, and the
command that does each task from a terminal with the learner's own sandbox key."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request, url_for

from ..content import Lesson
from ..content.model import Task
from ..extensions import db
from ..records.lesson_records import LessonState
from ..records.models import Learner
from ..tryit.export import as_curl
from ..tryit.request import TryRequest

TO_FILL = "VALUE"  # where the command needs what only the learner knows (an ETag)
NO_KEY = "YOUR-KEY"  # a visitor with no learner yet has no sandbox key
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Command:
    text: str
    to_edit: bool  # has words in capitals to replace


def task_values(lesson: Lesson, learner: Learner | None, state: LessonState) -> dict:
    """The learner's values the task parts of a lesson page render with."""
    if not lesson.tasks:
        return {"tasks": state.tasks}
    key = learner.sandbox_key if learner is not None else None
    origin = current_app.config["SANDBOX_ORIGIN"] or request.host_url.rstrip("/")
    return {"tasks": state.tasks, "tasks_version": state.tasks_version, "task_key": key,
            "tasks_all_done": len(state.tasks.done) == len(lesson.tasks),
            "task_commands": {task.id: command(task, origin, key or NO_KEY)
                              for task in lesson.tasks},
            "tasks_poll_url": url_for("tasks.poll", track_slug=lesson.track_slug,
                                      lesson_slug=lesson.slug)}


def keep_newly_done(state: LessonState) -> None:
    """Commit the tasks that reading `state` found done for the first time (page_state
    marked them): done stays done, even once the exchange that met them is dropped."""
    if state.tasks.newly_done:
        db.session.commit()


@lru_cache(maxsize=4096)  # per task, host and learner: each page asks again
def command(task: Task, origin: str, sandbox_key: str) -> Command:
    """curl doing what the task asks, as far as its check says: the values it names,
    and VALUE (or the placeholder's name) where the learner must fill in."""
    path = _PLACEHOLDER.sub(lambda match: match[1].upper(), task.path)
    query = "&".join(f"{c.name}={c.value if c.value is not None else TO_FILL}"
                     for c in task.of("request", "query"))
    headers = [(c.name, c.value if c.value is not None else TO_FILL)
               for c in task.of("request", "header")]
    body = _json_body(task)
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))
    sent = TryRequest(task.method, path + (f"?{query}" if query else ""), tuple(headers), body)
    text = as_curl(sent, base_url=origin, sandbox_key=sandbox_key)
    return Command(text, path != task.path or TO_FILL in text)


def _json_body(task: Task) -> str:
    data: dict = {}
    for condition in task.of("request", "json"):
        *parents, last = condition.name.split(".")
        place = data
        for name in parents:
            place = place.setdefault(name, {}) if isinstance(place, dict) else {}
        if isinstance(place, dict):
            place[last] = _value(condition.value)
    return json.dumps(data, ensure_ascii=False) if data else ""


def _value(written: str | None):
    if written is None:
        return TO_FILL
    try:
        return json.loads(written)
    except ValueError:
        return written
