"""The login burst: a class logging in at the start of a lesson, 60 learners in 10 s.

Each learner is a new browser (its own cookies) on its own thread, started at its slot
(one every 10/60 s): GET /login for a session and a CSRF token, then POST /login with
the password, which must answer 303 to the lesson. Only the POST is timed: it checks
a scrypt hash, deliberately slow, on one of the two workers. wrk cannot do this, since
every login needs its own token. The accounts are made beforehand by `make_accounts`.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .client import sign_up, submit

LEARNERS = 60
SECONDS = 10.0
PASSWORD = "bench horse battery staple"


def names(count: int = LEARNERS) -> list[str]:
    return [f"bench-learner-{n:02d}" for n in range(count)]


def make_accounts(port: int, usernames: list[str]) -> None:
    """Sign each one up through /signup, as a learner would (two at a time: two workers)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda name: sign_up(port, name, PASSWORD), usernames))


@dataclass(frozen=True)
class Burst:
    tried: int
    succeeded: int
    p50_ms: float
    p99_ms: float  # nearest rank: of 60 logins, the slowest
    took_s: float  # from the first GET /login to the last answer
    failures: list[str]

    def line(self) -> str:
        text = (f"login burst: {self.succeeded} of {self.tried} learners logged in, starting "
                f"evenly over {SECONDS:g} s (GET /login, then POST /login, each with its own "
                f"cookies; the last answer came at {self.took_s:.1f} s): POST /login "
                f"p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms")
        if self.failures:
            text += "; failed: " + "; ".join(sorted(set(self.failures))[:3])
        return text


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(port: int, usernames: list[str], next_page: str) -> Burst:
    began = time.monotonic()
    every = SECONDS / len(usernames)

    def log_in(slot: int, username: str) -> tuple[float, str]:
        time.sleep(max(0.0, began + slot * every - time.monotonic()))
        try:
            reply, seconds, _ = submit(port, "/login", {
                "username": username, "password": PASSWORD, "next": next_page})
        except (OSError, RuntimeError) as error:
            return 0.0, f"{type(error).__name__}: {error}"
        if reply.status != 303 or reply.location != next_page:
            return seconds, f"{reply.summary()} (Location {reply.location})"
        return seconds, ""

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        results = list(pool.map(log_in, range(len(usernames)), usernames))
    took = time.monotonic() - began
    ok = [seconds * 1000 for seconds, failure in results if not failure]
    return Burst(tried=len(results), succeeded=len(ok),
                 p50_ms=percentile(ok, 0.5) if ok else math.nan,
                 p99_ms=percentile(ok, 0.99) if ok else math.nan,
                 took_s=took, failures=[failure for _, failure in results if failure])
