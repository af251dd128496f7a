"""`make bench`: how fast Hyperlesson answers, as ratios to a bare Flask route.

One run starts one gunicorn server (see `bench.wsgi`) on a throwaway SQLite database,
drives every scenario with wrk (a C load generator, so the client is not what we
measure) and prints requests/second, p50/p99 latency and the ratio to the bare route
(a teacher's live class table of 40 learners among the scenarios), plus a login burst
(60 learners in 10 s, driven from Python: each login needs its own CSRF token) and the
start-up time of a 200-lesson catalog. DESIGN.md's "Performance" section says what is
measured and why; `python -m bench` is the entry point.

Only names shared by the runner and the served app live here, so that importing the
package stays cheap (the start-up timer imports it in every fresh subprocess).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BARE_PATH = "/_bench/bare"
HTTPBIN_PREFIX = "/httpbin"


def httpbin_missing_reason() -> str | None:
    """Why httpbin is not there to compare against, or None when it is installed."""
    if importlib.util.find_spec("httpbin") is not None:
        return None
    return "skipped (httpbin not installed: make bench installs it)"
