"""`make bench`: how fast Hyperlesson answers, as ratios to a bare Flask route.

One run starts one gunicorn server (see `bench.wsgi`) on a throwaway SQLite database,
drives every scenario with wrk (a C load generator, so the client is not what we
measure) and prints requests/second, p50/p99 latency and the ratio to the bare route,
plus the start-up time of a 200-lesson catalog. DESIGN.md's "Performance" section says
what is measured and why; `python -m bench` is the entry point.

Only names shared by the runner and the served app live here, so that importing the
package stays cheap (the start-up timer imports it in every fresh subprocess).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BARE_PATH = "/_bench/bare"
HTTPBIN_PREFIX = "/httpbin"


def httpbin_missing_reason() -> str | None:
    """Why httpbin is not there to compare against, or None when it is installed."""
    if importlib.util.find_spec("httpbin") is not None:
        return None
    if sys.version_info < (3, 12):
        # httpbin 0.10.1-0.10.4 require greenlet<3 on Python < 3.12, playwright needs
        # greenlet>=3.1.1; 0.10.0 imports what Werkzeug 3 removed. See requirements-bench.txt.
        return "skipped (httpbin needs greenlet<3 on Python<3.12; playwright needs >=3.1)"
    return "skipped (httpbin not installed: make bench installs requirements-bench.txt)"
