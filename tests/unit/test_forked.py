"""Jobs shared out over forked children: results in order, a failed child's share done
here, no child left behind, and no fork while another thread runs."""

from __future__ import annotations

import os
import threading

import pytest

from hyperlesson.content import forked
from hyperlesson.content.forked import map_forked, usable_processes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@pytest.fixture(autouse=True)
def on_linux(monkeypatch):
    monkeypatch.setattr(forked.sys, "platform", "linux")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_each_share_after_the_first_is_done_in_a_child_and_comes_back_in_order():
    results = map_forked(lambda n: (n * n, os.getpid()), list(range(10)), 3)
    assert [square for square, _ in results] == [n * n for n in range(10)]
    pids = [pid for _, pid in results]
    assert pids[:4] == [os.getpid()] * 4  # shares of 4, 4 and 2
    assert len({*pids[4:8]}) == 1 and len({*pids[8:]}) == 1
    assert os.getpid() not in pids[4:] and pids[4] != pids[8]
    assert no_children_left()


def test_a_child_that_fails_gives_its_share_back():
    parent = os.getpid()

    def only_here(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("a child's failure")
        return n + 1

    assert map_forked(only_here, [1, 2, 3, 4], 2) == [2, 3, 4, 5]
    assert no_children_left()


def test_an_error_is_raised_as_without_children_and_leaves_none_behind():
    def fails_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        return n

    with pytest.raises(ValueError, match="three"):
        map_forked(fails_on_three, [1, 2, 3, 4, 5, 6], 2)  # 3 is in this process's share
    with pytest.raises(ValueError, match="three"):
        map_forked(fails_on_three, [4, 5, 1, 3], 2)  # a child's, then done again here
    assert no_children_left()


def test_nothing_to_do_and_one_process():
    assert map_forked(str, [], 2) == []
    assert map_forked(lambda n: os.getpid(), [1, 2], 1) == [os.getpid()] * 2


def test_a_few_jobs_are_not_worth_a_fork():
    assert usable_processes(2 * forked.MIN_SHARE - 1) == 1


@pytest.fixture
def four_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)


def test_as_many_processes_as_cpus_for_enough_jobs(four_cpus):
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
