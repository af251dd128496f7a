"""Markdown rendering: raw HTML is off, so markdown-it's two HTML rules are left out of
the parse; without them every kind of raw HTML renders exactly as with them, as text."""

from __future__ import annotations

import pytest

from hyperlesson.config import SHIPPED_LESSONS
from hyperlesson.content.render import make_markdown

RAW_HTML = [
    "<div>\nA block of HTML.\n</div>\n",
    "<script>alert(1)</script>\n\nafter",
    "<!-- a comment -->\n",
    "<?php echo 1; ?>\n",
    "<![CDATA[ x ]]>\n",
    "<!DOCTYPE html>\n",
    "</p>\n",
    "<pre>\n  code?\n</pre>\n",
    "A paragraph\n<div>interrupted?</div>\n",
    "Inline <b>bold</b>, <a href='x'>a link</a>, </closing> and <!-- c --> in text.",
    "An autolink <https://example.com> and <mailto:a@b.c>, and 1 < 2 > 0.",
    "- <em>in a list</em>\n- <div>block</div>\n",
    "> <blockquote>\n> text\n",
    "| a | <b>b</b> |\n|---|---|\n| <i>1</i> | 2 |\n",
    "    <div>indented: code</div>\n",
    "`<code span>` and \\<escaped>",
]


def markdown_with_html_rules():
    md = make_markdown()
    md.enable(["html_block", "html_inline"])
    return md


@pytest.mark.parametrize("text", RAW_HTML)
def test_raw_html_renders_as_with_markdown_its_html_rules(text):
    html = make_markdown().render(text)
    assert html == markdown_with_html_rules().render(text)
    assert "<div>" not in html and "<script>" not in html and "<b>" not in html


def test_every_shipped_lesson_renders_as_with_markdown_its_html_rules():
    lessons = sorted(SHIPPED_LESSONS.glob("*/*.md"))
    assert len(lessons) >= 5
    ours, theirs = make_markdown(), markdown_with_html_rules()
    for lesson in lessons:
        text = lesson.read_text(encoding="utf-8")
        assert ours.render(text) == theirs.render(text), lesson.name
