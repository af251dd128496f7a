"""Drive wrk and read its report.

wrk's command line cannot set a method or a body, so every scenario gets a small Lua
script instead; the same script style for GETs keeps the scenarios comparable.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK = "wrk"
THREADS = 1  # one wrk thread: the server's two workers need the rest of a 2-core machine
CONNECTIONS = 8  # enough to keep every worker busy, with requests waiting in the backlog

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class Result:
    requests: int
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    bad_status: int  # responses outside 2xx/3xx
    socket_errors: int  # connect, read, write and timeout errors together


def lua_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'


def script(method: str, headers: dict[str, str], body: bytes) -> str:
    lines = [f"wrk.method = {lua_string(method)}"]
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    if body:
        lines.append(f"wrk.body = {lua_string(body.decode())}")
    return "\n".join(lines) + "\n"


def run(url: str, script_path: Path, seconds: float) -> Result:
    command = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
               "--latency", "-s", str(script_path), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse(done.stdout)


def parse(report: str) -> Result:
    """Read wrk's --latency report; a report missing a figure is an error, not a zero."""
    latency = {p: float(v) * UNIT_MS[u] for p, v, u in PERCENTILE.findall(report)}
    rate, total = RATE.search(report), TOTAL.search(report)
    if rate is None or total is None or set(latency) != {"50", "99"}:
        raise RuntimeError(f"could not read wrk's report:\n{report}")
    bad = NON_2XX.search(report)
    sockets = SOCKET.search(report)
    return Result(
        requests=int(total.group(1)), rate=float(rate.group(1)),
        p50_ms=latency["50"], p99_ms=latency["99"],
        bad_status=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0)
