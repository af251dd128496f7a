"""A list of jobs shared out over the machine's cores by forking: at start-up one
process would parse every lesson while the other cores sat idle (gunicorn forks its
workers only after the app is built).

A forked child starts with the parent's memory as it stands (the Markdown parser, the
app's templates and URL map, the jobs), so only the results are pickled, back through
a pipe. Only a process running a single thread forks: a lock held by another thread at the
fork (logging's, a template cache's) would stay held forever in the child. Elsewhere,
where there is no fork (Windows), and on macOS, whose system libraries are not safe
to use in a forked child, every job runs here, in order.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# A process is worth forking for this many jobs at least: a fork and the pickling of
# its results cost about what one lesson's parse does.
MIN_SHARE = 16


def usable_processes(jobs: int) -> int:
    """How many processes `jobs` jobs are best shared out over, this one included."""
    if (not hasattr(os, "fork") or sys.platform == "darwin"
            or threading.active_count() > 1):
        return 1
    cpus = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1)
    return max(1, min(cpus, jobs // MIN_SHARE))


def map_forked(function: Callable[[Job], Result], jobs: Sequence[Job], processes: int,
               meanwhile: Callable[[], object] | None = None) -> list[Result]:
    """[function(job) for job in jobs], done by this process and `processes - 1` forked
    children together. Each takes the next job number from one pipe until none is
    left, so a process slowed by other work on its core simply does fewer. A job that
    no child brings back (a child failed) is done here, so an error is raised as it
    would be without children.

    `meanwhile`: other work of this process, done once the children are started and
    before it takes jobs (first of all when no child is)."""
    numbers = _job_numbers(len(jobs)) if processes > 1 and len(jobs) > 1 else None
    if numbers is None:
        if meanwhile is not None:
            meanwhile()
        return [function(job) for job in jobs]
    children: list[_Child] = []
    try:
        for _ in range(processes - 1):
            try:
                children.append(_Child.start(function, jobs, numbers))
            except OSError:  # no process to be had (a limit, memory): fewer helpers
                break
        if meanwhile is not None:
            meanwhile()
        done = _take_jobs(function, jobs, numbers)
        for child in children:
            done.update(child.collect() or {})
        return [done[index] if index in done else function(job)
                for index, job in enumerate(jobs)]
    finally:
        os.close(numbers)
        for child in children:
            child.stop()


# Bytes a job number takes in the pipe, so that one read takes exactly one. A pipe
# holds 16,384 of them (64 KB): more jobs than that are done in one process.
_NUMBER = 4


def _job_numbers(count: int) -> int | None:
    """A pipe holding every job number, to read from; None if they do not fit in it.
    Its writing end is closed, so a read of an empty pipe is the end, not a wait."""
    read_end, write_end = os.pipe()
    data = b"".join(index.to_bytes(_NUMBER, "little") for index in range(count))
    try:
        os.set_blocking(write_end, False)
        written = os.write(write_end, data)
    except BlockingIOError:
        written = 0
    finally:
        os.close(write_end)
    if written != len(data):
        os.close(read_end)
        return None
    return read_end


def _take_jobs(function: Callable[[Job], Result], jobs: Sequence[Job],
               numbers: int) -> dict[int, Result]:
    done = {}
    while len(number := os.read(numbers, _NUMBER)) == _NUMBER:
        index = int.from_bytes(number, "little")
        done[index] = function(jobs[index])
    return done


class _Child:
    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, function: Callable, jobs: Sequence, numbers: int) -> _Child:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the child: jobs until none is left, their results pickled, out
            status = 1
            try:
                os.close(read_end)
                done = _take_jobs(function, jobs, numbers)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(done, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # never the parent's exit handlers, nor its buffers
        os.close(write_end)
        return cls(pid, read_end)

    def collect(self) -> dict | None:
        """The child's results by job number, or None if it failed."""
        with os.fdopen(self.pipe, "rb") as pipe:
            self.pipe = -1
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return pickle.loads(data)
        except (pickle.UnpicklingError, EOFError):
            return None

    def stop(self) -> None:
        """After an error here: end a child not collected, and leave no zombie."""
        if self.pipe != -1:
            os.close(self.pipe)
            self.pipe = -1
        if self.pid:  # not reaped yet, so still ours to signal, even if it has ended
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
