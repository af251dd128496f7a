"""How a lesson's presets show, and what the panel in a lesson starts with."""

from __future__ import annotations

import re
from html import unescape

from .helpers import LESSON


def page_text(client, url: str) -> str:
    return unescape(client.get(url).get_data(as_text=True))


def test_a_preset_with_a_body_shows_a_blank_line_after_the_headers(app, client):
    """As the lesson teaches: a blank line ends the headers, then the body."""
    lesson = app.extensions["catalog"].lesson("python-backend", "http-basics")
    preset = next(p for s in lesson.sections for p in s.presets if p.body and p.headers)
    headers = "".join(f"{name}: {value}\n" for name, value in preset.headers)
    page = page_text(client, LESSON)
    assert f"<code>{preset.request_line}\n{headers}\n{preset.body}" in page


def test_a_preset_without_a_body_ends_with_its_headers(client):
    page = page_text(client, LESSON)
    shown = re.findall(r'<pre [^>]*aria-label="Try-it request: GET [^"]*"><code>(.*?)</code>',
                       page, re.S)
    assert shown and all(not text.endswith("\n\n") for text in shown)


def test_the_panel_in_a_lesson_starts_with_the_lessons_first_preset(app, client):
    lesson = app.extensions["catalog"].lesson("python-backend", "rest-api")
    first = next(preset for section in lesson.sections for preset in section.presets)
    assert first.path != "/sandbox/users/1"  # else this test would prove nothing
    page = page_text(client, "/learn/python-backend/rest-api")
    panel = page.split('id="tryit"', 1)[1]
    assert f'id="tryit-path" name="path" value="{first.path}"' in panel
    assert re.search(f"<option selected>{first.method}</option>", panel)


def test_the_tryit_page_still_starts_with_a_user(client):
    assert 'name="path" value="/sandbox/users/1"' in page_text(client, "/tryit")
