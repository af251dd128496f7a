"""The run's context and its table, printed for a terminal and written as Markdown.

DESIGN.md asks that figures quoted anywhere be ratios from one run with the machine
named, so the machine and the settings travel with every table.
"""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass

from . import PROJECT_ROOT
from .wrk import Result


@dataclass(frozen=True)
class Row:
    name: str
    state: str  # "ok", "skipped" or "error"
    note: str = ""
    size: int | None = None
    result: Result | None = None
    aim: float | None = None  # the share of the bare route's requests/second aimed at

    @property
    def failures(self) -> str:
        """What went wrong under load, or "" when every response was 2xx/3xx."""
        if self.result is None:
            return ""
        found = []
        if self.result.bad_status:
            found.append(f"{self.result.bad_status} of {self.result.requests} non-2xx/3xx")
        if self.result.socket_errors:
            found.append(f"{self.result.socket_errors} socket errors")
        return "! " + ", ".join(found) if found else ""


def machine() -> list[tuple[str, str]]:
    return [("nproc", str(len(os.sched_getaffinity(0)))),
            ("CPU", _cpu_model()),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
            ("commit", _commit()),
            ("load before the run", _load())]


def _load() -> str:
    """Other busy processes share the cores with the server and wrk: say so up front."""
    one_minute = os.getloadavg()[0]
    busy = " (other processes are busy: expect noisy figures)" if one_minute >= 0.5 else ""
    return f"{one_minute:.2f} (1-minute load average){busy}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} + uncommitted changes" if git("status", "--porcelain") else head


HEADINGS = ("scenario", "req/s", "p50 ms", "p99 ms", "vs bare", "bytes", "note")


def cells(rows: list[Row]) -> list[tuple[str, ...]]:
    """Each row as text; no figures for a scenario that was skipped or failed its check."""
    bare = next((r.result.rate for r in rows if r.name == "bare" and r.result), None)
    table = []
    for row in rows:
        result = row.result
        if result is None:
            table.append((row.name, "-", "-", "-", "-", "-", row.note))
            continue
        ratio = f"{result.rate / bare:.2f}" if bare else "-"
        # Judged on the ratio as shown: "0.35, aim 0.35: not met" would read as a mistake.
        aim = (f"aim {row.aim:g}: " + ("met" if float(ratio) >= row.aim else "not met")
               if bare and row.aim else "")
        table.append((row.name, f"{result.rate:,.0f}", f"{result.p50_ms:.2f}",
                      f"{result.p99_ms:.2f}", ratio,
                      str(row.size) if row.size is not None else "-",
                      " ".join(filter(None, (aim, row.note, row.failures)))))
    return table


def text_table(rows: list[Row]) -> str:
    table = [HEADINGS, *cells(rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS) - 1)]
    out = []
    for line in table:
        first = line[0].ljust(widths[0])
        numbers = [value.rjust(width) for value, width in zip(line[1:-1], widths[1:], strict=True)]
        out.append("  ".join([first, *numbers, line[-1]]).rstrip())
    return "\n".join(out)


def markdown(context: list[tuple[str, str]], rows: list[Row], footer: list[str]) -> str:
    lines = ["# Hyperlesson benchmark", ""]
    lines += [f"- {label}: {value}" for label, value in context]
    lines += ["", "| " + " | ".join(HEADINGS) + " |",
              "| " + " | ".join(["---"] + ["---:"] * 5 + ["---"]) + " |"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in line) + " |"
              for line in cells(rows)]
    return "\n".join([*lines, "", *(f"- {line}" for line in footer), ""])
