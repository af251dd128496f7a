"""Grading tasks: does one recorded exchange meet a task's check, and if not, what
differed, in words a learner can act on. Pure: no Flask, no database.

An exchange is what the sandbox recorded of one request and its answer
(records/task_records.py keeps the newest few per learner). A task is done when one
exchange meets its check; the latest attempt at the task (same method and path) that
fails it says why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus

from .content.model import Task
from .task_conditions import (
    header,
    header_value_matches,
    read_json,
    request_problem,
    response_problem,
    shown,
)


@dataclass(frozen=True)
class Exchange:
    """One request to the sandbox and its answer, as far as tasks look at them."""

    method: str
    path: str  # with the mount prefix: "/sandbox/users/4"
    query: str = ""
    request_headers: tuple[tuple[str, str], ...] = ()
    request_body: str = ""
    status: int = 200
    response_headers: tuple[tuple[str, str], ...] = ()
    response_body: str = ""  # "" for a streamed answer

    def to_json(self) -> str:
        return json.dumps([self.method, self.path, self.query, self.request_headers,
                           self.request_body, self.status, self.response_headers,
                           self.response_body], separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Exchange:
        method, path, query, req_h, req_b, status, resp_h, resp_b = json.loads(text)
        return cls(method, path, query, tuple(map(tuple, req_h)), req_b, status,
                   tuple(map(tuple, resp_h)), resp_b)


@dataclass(frozen=True)
class TaskState:
    done: bool = False
    diagnosis: str | None = None  # why the latest attempt failed; None if done or untried


@dataclass(frozen=True)
class TaskStates:
    """Every task of a lesson for one learner."""

    states: dict[str, TaskState]
    newly_done: frozenset[str] = frozenset()  # met by an exchange, not yet stored

    def of(self, task_id: str) -> TaskState:
        return self.states.get(task_id, TaskState())

    @property
    def done(self) -> frozenset[str]:
        return frozenset(task_id for task_id, state in self.states.items() if state.done)


def attempts(task: Task, exchange: Exchange) -> bool:
    """Is this exchange an attempt at the task: its method, and a path the task's fits?"""
    return exchange.method == task.method and bool(task.path_pattern.match(exchange.path))


def diagnose(task: Task, exchange: Exchange) -> str | None:
    """None when the exchange meets the task's check; otherwise what differed."""
    asked = _first(request_problem(c, exchange) for c in task.conditions
                   if c.side == "request")
    if task.status is not None and not _status_matches(task.status, exchange.status):
        return _status_problem(task, exchange, asked)
    if asked:
        return _sentence(asked)
    answered = _first(response_problem(c, exchange) for c in task.conditions
                      if c.side == "response")
    return _sentence(answered) if answered else None


def grade(tasks: Iterable[Task], done: Iterable[str],
          exchanges: Iterable[Exchange]) -> TaskStates:
    """Each task's state from the ids already done and the exchanges, oldest first."""
    done_ids, recent = frozenset(done), list(exchanges)
    states, newly = {}, set()
    for task in tasks:
        if task.id in done_ids:
            states[task.id] = TaskState(done=True)
            continue
        tried = [exchange for exchange in recent if attempts(task, exchange)]
        reasons = [diagnose(task, exchange) for exchange in tried]
        if task.first_status is not None:
            reasons = [_after_first(task, tried, index) if reason is None else reason
                       for index, reason in enumerate(reasons)]
        if tried and any(reason is None for reason in reasons):
            states[task.id] = TaskState(done=True)
            newly.add(task.id)
        else:
            states[task.id] = TaskState(diagnosis=reasons[-1] if reasons else None)
    return TaskStates(states, frozenset(newly))


def _after_first(task: Task, tried: list[Exchange], index: int) -> str | None:
    """None when an earlier try at the same URL got the task's first status."""
    met = tried[index]
    if any(_status_matches(task.first_status, earlier.status) for earlier in tried[:index]
           if earlier.path == met.path):
        return None
    return (f"The status was {status_words(met.status)}, as this task needs, but it asks "
            f"for {_wanted(task.first_status)} first from the same URL: send the request "
            "that gets it, then this one again.")


# -- status ------------------------------------------------------------------


def _status_matches(wanted: str, status: int) -> bool:
    return str(status) == wanted or (wanted.endswith("xx") and str(status)[0] == wanted[0])


def status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _wanted(status: str) -> str:
    return f"a {status} status" if status.endswith("xx") else status_words(int(status))


def _status_problem(task: Task, exchange: Exchange, asked: str | None) -> str:
    got = status_words(exchange.status)
    why = _advice(task, exchange) or asked  # what the status itself says comes first
    if exchange.status >= 400:
        why = why or _server_detail(exchange)
        if why:
            return f"You got {got}: {why}."
        return f"You got {got}; this task needs {_wanted(task.status)}."
    needs = f"The status was {got}; this task needs the server to answer {_wanted(task.status)}"
    return f"{needs}: {why}." if why else f"{needs}."


def _advice(task: Task, exchange: Exchange) -> str | None:
    """What usually gets the status the task wants, when the request shows it is missing."""
    if task.status == "304" and not (header(exchange.request_headers, "If-None-Match")
                                     or header(exchange.request_headers, "If-Modified-Since")):
        return "send the ETag back in If-None-Match"
    if task.status == "304" and exchange.status == 200:
        return ("your If-None-Match did not name the current ETag: copy the ETag of the "
                "latest answer exactly, quotes included")
    if exchange.status == 415 and not header_value_matches(
            header(exchange.request_headers, "Content-Type") or "", "application/json"):
        return "a JSON body needs the header Content-Type: application/json"
    if exchange.status == 401 and not header(exchange.request_headers, "Authorization"):
        return "send credentials in an Authorization header"
    if exchange.status == 401:
        return "the credentials in Authorization were not the ones this URL expects"
    return None


def _server_detail(exchange: Exchange) -> str | None:
    """The sandbox's own explanation: problem+json's `detail`."""
    data = read_json(exchange.response_body)
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, str) and detail.strip():
        return "the server says “" + shown(detail.strip().rstrip(".")) + "”"
    return None


def _first(items):
    return next((item for item in items if item), None)

def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."
