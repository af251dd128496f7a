"""Loading many lessons: the parse shared out over forked processes gives the catalog
one process gives, problems included, and runs with the garbage collector paused."""

from __future__ import annotations

import gc
import os

import pytest

from hyperlesson.config import SHIPPED_LESSONS
from hyperlesson.content import lesson_files, load_catalog

from .test_catalog import write_track

SHIPPED = sorted((SHIPPED_LESSONS / "python-backend").glob("*.md"))


def many_lessons(tmp_path, count: int = 40):
    """`count` copies of the shipped lessons, each its own order, with an image beside
    them, and a few broken ways: problems found in a child must come back too."""
    files = {}
    for n in range(count):
        text = SHIPPED[n % len(SHIPPED)].read_text(encoding="utf-8")
        text = text.replace("\norder: ", f"\norder: {n + 1}\nold_order: ", 1)
        text = "\n".join(line for line in text.splitlines() if not line.startswith(
            ("old_order:", "related:")))
        if n % 7 == 3:
            text += "\n\n## Broken {#broken}\n\n![a picture](missing.png)\n"
        elif n % 11 == 5:
            text = text.replace("```tryit\n", "```tryit\nFETCH /sandbox/get\n", 1)
        else:
            text = text.replace("\n## ", "\n![the flow](flow.png)\n\n## ", 1)
        files[f"lesson-{n:03d}.md"] = text + "\n"
    folder = write_track(tmp_path, files)
    (folder / "flow.png").write_bytes(b"\x89PNG")
    return tmp_path


def load(root, processes: int, monkeypatch):
    asked = []
    monkeypatch.setattr(lesson_files, "usable_processes",
                        lambda jobs: asked.append(jobs) or processes)
    catalog = load_catalog(root, asset_url=lambda track, name: f"/asset/{track}/{name}",
                           render_preset=lambda preset, place: f"<p>{preset.path}</p>")
    assert asked == [40]
    return catalog


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_catalog_parsed_in_two_processes_is_the_one_parsed_in_one(tmp_path, monkeypatch):
    root = many_lessons(tmp_path)
    alone, shared = load(root, 1, monkeypatch), load(root, 2, monkeypatch)
    assert alone.lesson_count > 30 and len(alone.problems) >= 6
    assert any("missing.png" in p.message for p in alone.problems[-3:])  # the child's half
    assert all('src="/asset/t/flow.png"' in lesson.intro_html
               for lesson in alone.tracks[0].lessons[-5:])
    assert shared == alone


def test_lessons_are_parsed_with_the_collector_paused_then_it_is_as_before(tmp_path,
                                                                           monkeypatch):
    write_track(tmp_path, {"a.md": SHIPPED[0].read_text(encoding="utf-8")})
    seen = []
    real = lesson_files.parse_lesson_head
    monkeypatch.setattr(lesson_files, "parse_lesson_head",
                        lambda *args: seen.append(gc.isenabled()) or real(*args))
    assert gc.isenabled()
    load_catalog(tmp_path)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        load_catalog(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
