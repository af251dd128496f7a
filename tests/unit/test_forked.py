"""Jobs shared out over forked children: results in order, a failed child's jobs done
here, no child left behind, and no fork while another thread runs."""

from __future__ import annotations

import os
import threading
import time

import pytest

from hyperlesson.content import forked
from hyperlesson.content.forked import map_forked, usable_processes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@pytest.fixture(autouse=True)
def on_linux(monkeypatch):
    monkeypatch.setattr(forked.sys, "platform", "linux")


@pytest.fixture(autouse=True)
def forked_pids(monkeypatch):
    """The children map_forked forks, to check that each was waited for (other tests'
    servers may be this process's children too, so "no child at all" would not do)."""
    pids = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", fork)
    return pids


def no_children_left(pids: list[int]) -> bool:
    """Every child forked was waited for: none is running, nor a zombie."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(pids)


@pytest.fixture(autouse=True)
def no_pipe_left_open():
    """Every pipe map_forked opens is closed again, whatever happened."""
    before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()
    yield
    after = set(os.listdir("/proc/self/fd")) if before else set()
    assert after <= before


def test_this_process_and_the_children_take_jobs_until_none_is_left(forked_pids):
    def square(n: int) -> tuple[int, int]:
        # Long enough for every child to start before the jobs run out, even on a busy
        # machine (CI's two cores run the browser tests' servers meanwhile): 0.3 s each.
        time.sleep(0.02)
        return n * n, os.getpid()

    results = map_forked(square, list(range(45)), 3)
    assert [result for result, _ in results] == [n * n for n in range(45)]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() in pids
    assert no_children_left(forked_pids)


def test_a_child_that_fails_gives_its_jobs_back(forked_pids):
    parent = os.getpid()

    def only_here(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("a child's failure")
        time.sleep(0.01)
        return n + 1

    assert map_forked(only_here, list(range(10)), 2) == list(range(1, 11))
    assert no_children_left(forked_pids)


def test_without_a_process_to_fork_everything_is_done_here(monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert map_forked(lambda n: (n, os.getpid()), [1, 2, 3], 3) == [
        (1, os.getpid()), (2, os.getpid()), (3, os.getpid())]


def test_an_error_is_raised_as_without_children_and_leaves_none_behind(forked_pids):
    def fails_on_three(n: int) -> int:
        time.sleep(0.01)
        if n == 3:
            raise ValueError("three")
        return n

    for _ in range(3):  # here or in a child, then again here
        with pytest.raises(ValueError, match="three"):
            map_forked(fails_on_three, list(range(8)), 2)
    assert no_children_left(forked_pids)


def test_meanwhile_is_done_here_once_while_the_children_take_jobs():
    done_meanwhile = []

    def meanwhile():
        time.sleep(0.2)
        done_meanwhile.append((os.getpid(), time.monotonic()))

    def job(n: int) -> tuple[int, float]:
        time.sleep(0.01)
        return os.getpid(), time.monotonic()

    results = map_forked(job, list(range(30)), 2, meanwhile)
    [(pid, finished)] = done_meanwhile
    assert pid == os.getpid()
    by_child = [at for worker, at in results if worker != pid]
    assert by_child and min(by_child) < finished  # the child worked while this one did not
    assert all(at > finished for worker, at in results if worker == pid)


def test_without_children_meanwhile_is_done_first():
    order = []
    map_forked(order.append, [1, 2], 1, lambda: order.append("meanwhile"))
    map_forked(order.append, [], 2, lambda: order.append("meanwhile"))
    assert order == ["meanwhile", 1, 2, "meanwhile"]


def test_nothing_to_do_one_job_and_one_process():
    assert map_forked(str, [], 2) == []
    assert map_forked(lambda n: os.getpid(), [1], 2) == [os.getpid()]
    assert map_forked(lambda n: os.getpid(), [1, 2], 1) == [os.getpid()] * 2


def test_more_jobs_than_the_pipe_holds_are_done_here():
    pids = map_forked(lambda n: os.getpid(), list(range(70_000)), 2)
    assert len(pids) == 70_000 and set(pids) == {os.getpid()}


def test_a_few_jobs_are_not_worth_a_fork():
    assert usable_processes(2 * forked.MIN_SHARE - 1) == 1


@pytest.fixture
def four_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)


def test_as_many_processes_as_cpus_for_enough_jobs(four_cpus, monkeypatch):
    # Alone in its process: earlier tests may have left a thread (a timer) running.
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    assert usable_processes(10 * forked.MIN_SHARE) == 4
    assert usable_processes(3 * forked.MIN_SHARE) == 3


def test_no_fork_on_macos(four_cpus, monkeypatch):
    monkeypatch.setattr(forked.sys, "platform", "darwin")
    assert usable_processes(10 * forked.MIN_SHARE) == 1


def test_no_fork_while_another_thread_runs(four_cpus):
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert usable_processes(10 * forked.MIN_SHARE) == 1
    finally:
        release.set()
        thread.join()
