"""A list of jobs shared out over the machine's cores by forking: at start-up one
process would parse every lesson while the other cores sat idle (gunicorn forks its
workers only after the app is built).

A forked child starts with the parent's memory as it stands (the Markdown parser, the
app's templates and URL map), so only the results are pickled, back through a pipe.
Only a process running a single thread forks: a lock held by another thread at the
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


def map_forked(function: Callable[[Job], Result], jobs: Sequence[Job],
               processes: int) -> list[Result]:
    """[function(job) for job in jobs], the jobs cut into `processes` shares: this
    process does the first, a forked child each of the others. A child that fails
    gives its share back: it is done here, so an error is raised as it would be
    without children."""
    size = -(-len(jobs) // max(1, processes))  # ceiling: no share is left over
    shares = [jobs[start:start + size] for start in range(0, len(jobs), size or 1)]
    children: list[_Child] = []
    try:
        children = [_Child.start(function, share) for share in shares[1:]]
        results = [function(job) for job in shares[0]] if shares else []
        for child, share in zip(children, shares[1:], strict=True):
            done = child.collect()
            results += done if done is not None else [function(job) for job in share]
        return results
    finally:
        for child in children:
            child.stop()


class _Child:
    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, function: Callable, share: Sequence) -> _Child:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its share, pickled to the pipe, and out
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump([function(job) for job in share], pipe,
                                protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # never the parent's exit handlers, nor its buffers
        os.close(write_end)
        return cls(pid, read_end)

    def collect(self) -> list | None:
        """The child's results, or None if it failed."""
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
