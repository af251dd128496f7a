"""The app gunicorn serves during `make bench`: the real app, plus what only the bench needs.

- a bare route, the baseline every scenario is compared to: Flask's routing and the
  app's own hooks (security headers) around a short string, nothing else;
- httpbin mounted at /httpbin when it is installed, so the sandbox's /get can be
  compared with the original on the same server and the same workers.

The product never gains either: they exist only in this module. Configuration comes
from the environment the runner sets (a throwaway database and secret key).
"""

from __future__ import annotations

import os

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bench import BARE_PATH, HTTPBIN_PREFIX, httpbin_missing_reason
from hyperlesson import create_app
from hyperlesson.extensions import csrf

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URI"],
    "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
    # A developer's instance/config.py may ask for HTTPS-only cookies; the bench speaks HTTP.
    "SESSION_COOKIE_SECURE": False,
    # Measure the try-it panel's work, not its refusals: the per-learner limit (60 a
    # minute) would turn most of wrk's requests into 429s. Every request still counts.
    "TRYIT_RATE_LIMIT": 10**9,
})


@csrf.exempt
def bare() -> str:
    """Baseline: the cheapest answer this app can give."""
    return "ok"


app.add_url_rule(BARE_PATH, endpoint="bench_bare", view_func=bare, methods=["GET"])

if httpbin_missing_reason() is None:
    # Imported only when installed, so a broken httpbin fails loudly instead of vanishing.
    from httpbin import app as httpbin_app

    # Wrap the outermost WSGI callable, so a sandbox the app mounts itself stays reachable.
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {HTTPBIN_PREFIX: httpbin_app})
