"""Tasks written in lesson prose as a ```task block: what the learner must make the
sandbox do, checked on their real requests (hyperlesson/task_check.py grades them).

    title: Create a user
    request: POST /sandbox/users
    request header Content-Type: application/json
    request json name
    status: 201
    response header Location
    hint: A new resource is made with POST to the collection.

    Create a user of your own and get **201 Created** back.

Key lines first, then an empty line and the goal in Markdown. A condition without a
value (`request json name`) asks only that the thing be there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Condition, Task
from .presets import METHODS, SANDBOX_PREFIX

_STATUS = re.compile(r"^(?:[1-5]\d\d|[1-5]xx)$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_JSON_PATH = re.compile(r"^[^\s.]+(?:\.[^\s.]+)*$")
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_ID = 60  # stored in tasks_done (100 characters), "task-" added
# Methods whose answer never has a body, or statuses that never carry one.
_NO_BODY_STATUSES = {"204", "304"}
CONDITION_KEYS = ("request header", "request query", "request json", "response header",
                  "response json")
KEYS = ("id", "title", "request", "status", "first status", "hint", *CONDITION_KEYS)


class TaskError(ValueError):
    def __init__(self, message: str, line_in_block: int = 0):
        super().__init__(message)
        self.line_in_block = line_in_block


@dataclass
class TaskText:
    """A parsed block before its Markdown is rendered."""

    id: str
    title: str
    goal: str
    hints: list[str]
    method: str
    path: str
    status: str | None
    conditions: list[Condition]
    first_status: str | None = None

    def task(self, render_block, render_inline) -> Task:
        return Task(self.id, self.title, render_block(self.goal),
                    tuple(render_inline(hint) for hint in self.hints), self.method,
                    self.path, self.status, tuple(self.conditions), self.first_status)


def parse_task(content: str) -> TaskText:
    lines = content.split("\n")
    values: dict[str, tuple[str, int]] = {}
    hints: list[str] = []
    conditions: list[Condition] = []
    index = 0
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        key, value = _key_line(line, index)
        if key == "hint":
            if not value:
                raise TaskError("a hint needs some text after 'hint:'", index)
            hints.append(value)
        elif key in CONDITION_KEYS:
            conditions.append(_condition(key, value, index))
        elif key in values:
            raise TaskError(f"'{key}' is written twice (also on line {values[key][1] + 1} "
                            "of the block)", index)
        else:
            values[key] = (value, index)
        index += 1
    goal = "\n".join(lines[index:]).strip()
    return _assemble(values, hints, conditions, goal, index)


def _key_line(line: str, index: int) -> tuple[str, str]:
    lowered = line.lower()
    for key in CONDITION_KEYS:
        if lowered.startswith(key + " ") or lowered.strip() == key:
            return key, line[len(key):].strip()
    head, colon, rest = line.partition(":")
    key = head.strip().lower()
    if colon and key in KEYS:
        return key, rest.strip()
    shown = head.strip() if colon else line.strip()
    raise TaskError(f"unknown key '{shown}' (a task has: {', '.join(KEYS)}; "
                    "then an empty line and the goal)", index)


def _condition(key: str, text: str, index: int) -> Condition:
    side, part = key.split()
    name, colon, value = text.partition(":")
    name = name.strip()
    if not name:
        raise TaskError(f"'{key}' needs a name: '{key} Name' or '{key} Name: value'", index)
    if part == "header" and not _HEADER_NAME.match(name):
        raise TaskError(f"'{name}' is not a header name", index)
    if part == "json" and not _JSON_PATH.match(name):
        raise TaskError(f"'{name}' is not a JSON field: write names joined by dots, "
                        "like user.name or items.0", index)
    return Condition(side, part, name, value.strip() if colon else None)


def _assemble(values: dict[str, tuple[str, int]], hints: list[str],
              conditions: list[Condition], goal: str, end: int) -> TaskText:
    for required in ("title", "request"):
        if required not in values:
            raise TaskError(f"a task needs a '{required}:' line", 0)
    if not goal:
        raise TaskError("a task needs its goal in Markdown after the key lines and an "
                        "empty line", end)
    title = values["title"][0]
    if not title:
        raise TaskError("the title is empty", values["title"][1])
    method, path = _request(*values["request"])
    status, first_status = _status(values, "status"), _status(values, "first status")
    if first_status is not None and status is None:
        raise TaskError("'first status' says what comes before the 'status:' the task "
                        "asks for: write that one too", values["first status"][1])
    task_id, line = values.get("id", ("", 0))
    if task_id and not _ID.match(task_id):
        raise TaskError(f"id '{task_id}' may only use lowercase letters, digits and '-'", line)
    if len(task_id) > MAX_ID:
        raise TaskError(f"an id has at most {MAX_ID} characters", line)
    # Always "task-...": no task can take a section's, a question's or the page's id.
    if task_id and not task_id.startswith("task-"):
        task_id = f"task-{task_id}"
    text = TaskText(task_id or _slug(title), title, goal, hints, method, path, status,
                    conditions, first_status)
    _check_possible(text, values)
    return text


def _status(values: dict[str, tuple[str, int]], key: str) -> str | None:
    if key not in values:
        return None
    written, line = values[key]
    if not _STATUS.match(written.lower()):
        raise TaskError(f"{key} '{written}' is not a status code from 100 to 599 or a "
                        "class like 2xx", line)
    return written.lower()


def _request(text: str, line: int) -> tuple[str, str]:
    parts = text.split()
    if len(parts) != 2:
        raise TaskError("write the request as 'request: METHOD /sandbox/path'", line)
    method, path = parts[0].upper(), parts[1]
    if method not in METHODS:
        raise TaskError(f"unknown method '{parts[0]}' (use one of {', '.join(METHODS)})", line)
    if not path.startswith(SANDBOX_PREFIX):
        raise TaskError(f"the path must start with {SANDBOX_PREFIX} (got '{path}')", line)
    if "?" in path or "#" in path:
        raise TaskError("the path has no query here: check a parameter with "
                        "'request query name: value'", line)
    for name in _PLACEHOLDER.findall(path):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise TaskError(f"'{{{name}}}' is not a placeholder: write a name such as {{id}}",
                            line)
    return method, path


def _check_possible(text: TaskText, values: dict[str, tuple[str, int]]) -> None:
    """Refuse a check that no request could meet."""
    status_line = values.get("status", ("", 0))[1]
    if text.status == "304" and text.method not in ("GET", "HEAD"):
        raise TaskError(f"no {text.method} request is answered 304: a server sends "
                        "304 Not Modified only to a conditional GET or HEAD", status_line)
    wants_body = any(c.side == "response" and c.part == "json" for c in text.conditions)
    if wants_body and text.method == "HEAD":
        raise TaskError("a response to HEAD has no body, so no JSON field can be checked",
                        values["request"][1])
    if wants_body and text.status in _NO_BODY_STATUSES:
        raise TaskError(f"a {text.status} response has no body, so no JSON field can be "
                        "checked", status_line)


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:MAX_ID].rstrip("-")
    return "task-" + (words or "untitled")
