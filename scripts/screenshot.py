"""Take the README's screenshot (docs/screenshot-lesson.png): the http-basics lesson as
a learner sees it a few minutes in, in Debian's Chromium. `.venv/bin/python
scripts/screenshot.py` from the project folder; it serves the app on a throwaway
database itself."""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hyperlesson import create_app  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-lesson.png"
LESSON = "/learn/python-backend/http-basics"


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'shot.db'}",
                      "SECRET_KEY": "screenshot", "LESSON_CACHE": False})
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(base + LESSON)
        for mark in page.locator(".mark-read button").all()[:2]:  # two sections read
            mark.click()
        page.goto(base + LESSON)  # the top: title, progress, contents, the first section
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
