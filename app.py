"""Hyperlesson's entry point: `create_app()` for WSGI servers, `python app.py` to serve."""

from __future__ import annotations

import os

from hyperlesson import create_app

__all__ = ["create_app"]

if __name__ == "__main__":
    application = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # The reloader also watches the lesson files, so a teacher's edit shows on refresh.
    application.run(host=host, port=port, threaded=True,
                    use_reloader=os.environ.get("HYPERLESSON_RELOAD", "1") == "1",
                    extra_files=[str(p) for p in application.extensions["catalog"].source_files()])
