"""Static files are fingerprinted and cached for a year (web/assets.py): once a learner
has loaded one page, the next asks the server for nothing but its HTML. (The headers
themselves are checked in tests/web/test_prepared_page.py.)"""

from __future__ import annotations

import pytest

LESSON = "/learn/python-backend/http-basics"


@pytest.fixture
def requests_seen(live_app):
    """Every path the server is asked for while the test runs."""
    seen: list[str] = []
    inner = live_app.wsgi_app

    def counting(environ, start_response):
        seen.append(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        return inner(environ, start_response)

    live_app.wsgi_app = counting
    yield seen
    live_app.wsgi_app = inner


def test_a_second_page_asks_for_nothing_but_its_html(js_page, requests_seen):
    js_page.goto(LESSON)
    js_page.wait_for_load_state("networkidle")
    assert any(path.startswith("/static/") for path in requests_seen)
    requests_seen.clear()
    js_page.goto("/learn/python-backend/rest-api")  # another page, the same assets
    js_page.wait_for_load_state("networkidle")
    # Chromium's favicon service fetches the tab icon on its own, outside the page's
    # cache; everything the page itself loads comes from the cache.
    assert [path for path in requests_seen
            if path.startswith("/static/") and path != "/static/favicon.svg"] == []
    assert "/learn/python-backend/rest-api" in requests_seen

