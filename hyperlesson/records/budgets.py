"""Budgets for what a stranger with a loop could create: learners and sandbox datasets.

A new cookie is a new learner, and a new X-Sandbox-Key a new dataset, so a limit per
learner stops nobody. Each creation is counted instead against the client's network
for the hour and for the day (a class shares one address: the defaults are generous),
and the server keeps at most a set number of each. A spent budget is a 429 (this
network) or a 507 (the whole server), with a message that says what to do; nothing is
created.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from ..wording import counted
from .ratelimit import FailureLimit, failures_spent, hit

HOUR = 3600
DAY = 24 * HOUR

MESSAGES = {
    "learners": (
        "More than {limit} new learners started from your network {period}, the most this "
        "server takes. If you cleared your cookies or opened a private window, go back to "
        "the browser you began in; otherwise try again in {minutes}.",
        "This server already keeps {limit} learners, the most it is set to. Ask your "
        "teacher to remove idle ones (flask purge) or to raise HYPERLESSON_MAX_LEARNERS."),
    "datasets": (
        "More than {limit} new X-Sandbox-Key values were used from your network {period}, "
        "the most the sandbox takes. Keep using the key you have (the try-it panel's "
        "snippets show yours), or try again in {minutes}.",
        "The sandbox already keeps {limit} datasets, the most it is set to. Ask your "
        "teacher to remove idle ones (flask purge)."),
}


@dataclass(frozen=True)
class Refusal:
    status: int  # 429: this network's hour is spent; 507: the server keeps no more
    message: str
    retry_after: int | None = None


def client_network(address: str | None) -> str:
    """What a budget counts against: an IPv4 address, or an IPv6 address's /64 (one
    home or device is given a whole /64, so single IPv6 addresses cost nothing)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def spend(kind: str, address: str | None, *, per_hour: int, per_day: int, ceiling: int,
          existing: Callable[[], int], count: bool = True) -> Refusal | None:
    """Count one new `kind` ("learners" or "datasets") for `address`; a Refusal when a
    budget is spent. Counts in the caller's transaction, which commits the creation.
    `count=False` only looks: the Refusal the next one would get, before costly work."""
    per_network, whole_server = MESSAGES[kind]
    if existing() >= ceiling:
        return Refusal(507, whole_server.format(limit=ceiling))
    network = client_network(address)
    for limit, window, period in ((per_hour, HOUR, "in the last hour"),
                                  (per_day, DAY, "today")):
        key = f"new-{kind}-{window}:{network}"
        if count:
            verdict = hit(key, limit, window)
            wait = None if verdict.allowed else verdict.retry_after
        else:  # full when `limit` were counted: the next hit() is refused
            wait = failures_spent([FailureLimit(key, limit, window)])
        if wait is not None:
            minutes = -(-wait // 60)
            return Refusal(429, per_network.format(limit=limit, period=period,
                                                   minutes=counted(minutes, "minute")),
                           wait)
    return None
