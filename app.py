"""Hyperlesson's entry point: `create_app()` for WSGI servers, `python app.py` to serve."""

from __future__ import annotations

import os

from hyperlesson import create_app

__all__ = ["create_app"]

if __name__ == "__main__":
    # The development server: lesson and static file edits show on the next refresh, and
    # a change to the code restarts it.
    application = create_app({"WATCH_LESSONS": True, "CACHE_STATIC_FOR_A_YEAR": False})
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    application.run(host=host, port=port, threaded=True,
                    use_reloader=os.environ.get("HYPERLESSON_RELOAD", "1") == "1")
