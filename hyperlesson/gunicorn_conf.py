"""How gunicorn serves Hyperlesson: `hyperlesson serve` reads it (hyperlesson/serving.py),
and `gunicorn -c python:hyperlesson.gunicorn_conf` (make serve, make bench, make load, the
systemd unit of docs/deploy.md). Command-line options and GUNICORN_CMD_ARGS override it.

Threads, not one request per process: a sandbox `/delay/3` or a learner's slow
connection holds one thread of one worker, while the other threads serve pages. A
request is handed to a thread only once its first bytes arrived (gunicorn's gthread
worker gives a new connection back to its poller after 5 s without data). From then on
the thread waits for the rest as long as the client takes: a body sent a byte a second
holds it, with no timeout. A worker whose threads are all held still accepts
connections, which wait behind them, so a few slow clients can stall some pages. A
reverse proxy in front (docs/deploy.md) buffers whole requests, so no slow client
reaches the app at all.
"""

import gc
import os

bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"]
if os.environ.get("SANDBOX_PORT"):  # HYPERLESSON_SANDBOX_ORIGIN (README, Safety)
    bind.append(f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ['SANDBOX_PORT']}")
workers = int(os.environ.get("WORKERS", "4"))
worker_class = "gthread"
# Enough for a class at the sandbox's delay step at once; the GIL makes more threads
# no faster for pages, which take a millisecond of CPU each.
threads = int(os.environ.get("THREADS", "8"))
preload_app = True  # lessons are parsed once, before the workers fork
timeout = 60  # a worker silent this long is restarted; the sandbox's slowest take seconds
# A learner's browser sends its next request seconds after the last: a connection kept
# open longer than the pause between steps never races a request against the close
# (with 5 s, make load saw resets). Idle connections wait in the poller, not a thread.
keepalive = 75
# No runtime control socket (gunicornc): nothing here uses it, and it would be made in
# the home folder, which the systemd unit of docs/deploy.md keeps read-only.
control_socket_disable = True


def _freeze() -> None:
    # The app (the catalog with every lesson rendered, templates, URL maps) lives as long
    # as the process. Out of the garbage collector's reach, it is not walked again by each
    # full collection (a 40-60 ms pause on a 2-core machine, seen in the dashboard's p99),
    # and a preloaded app's memory stays shared between the workers.
    gc.freeze()


def pre_fork(_server, _worker):
    _freeze()  # preload_app: the app was built in this process


def post_worker_init(_worker):
    _freeze()  # without preload each worker builds its own
