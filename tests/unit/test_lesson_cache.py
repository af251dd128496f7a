"""The parsed-lesson cache: a hit gives back the same lesson, any change is a miss."""

from __future__ import annotations

from hyperlesson.content import load_catalog
from hyperlesson.content.cache import LessonCache

from .lesson_files import VALID, edit
from .test_catalog import write_track


def test_second_load_comes_from_the_cache_and_equals_a_parse(tmp_path):
    folder = write_track(tmp_path / "lessons", {"a.md": VALID})
    cache = LessonCache(tmp_path / "cache", salt="s")
    first = load_catalog(tmp_path / "lessons", cache=cache)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    second = load_catalog(tmp_path / "lessons", cache=cache)
    assert second.tracks == first.tracks
    (folder / "a.md").write_text(edit("Sample lesson", "Edited lesson"))
    third = load_catalog(tmp_path / "lessons", cache=cache)
    assert third.lesson("t", "a").title == "Edited lesson"


def test_lessons_with_problems_are_not_cached(tmp_path):
    write_track(tmp_path / "lessons", {"a.md": edit("title: Sample lesson\n", "")})
    cache = LessonCache(tmp_path / "cache")
    assert load_catalog(tmp_path / "lessons", cache=cache).problems
    assert not list((tmp_path / "cache").glob("*.pickle"))


def test_a_new_image_beside_the_lesson_is_a_miss(tmp_path):
    cache = LessonCache(tmp_path / "cache")
    key = cache.key(VALID, "a.md", "t", [])
    assert key != cache.key(VALID, "a.md", "t", ["pic.png"])
    assert key != LessonCache(tmp_path / "cache", salt="other").key(VALID, "a.md", "t", [])


def test_an_unreadable_entry_is_a_miss(tmp_path):
    cache = LessonCache(tmp_path)
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    assert cache.get("bad") is None and cache.get("absent") is None


def test_entries_unused_for_a_week_are_pruned(tmp_path):
    import os
    import time

    cache = LessonCache(tmp_path)
    old, fresh = tmp_path / "old.pickle", tmp_path / "fresh.pickle"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    cache.prune()
    assert not old.exists() and fresh.exists()


def test_a_cached_lesson_keeps_its_place_in_the_checks_across_files(tmp_path):
    # A hit skips parsing, so the order, draft flag and lines must come from the cache.
    import os

    folder = write_track(tmp_path / "lessons", {"live.md": VALID,
                                                 "wip.md": edit("order: 1", "order: 2\n"
                                                                "draft: true")})
    os.utime(folder / "live.md", (1_000_000, 1_000_000))
    cache = LessonCache(tmp_path / "cache")
    load_catalog(tmp_path / "lessons", cache=cache)
    (folder / "new.md").write_text(VALID)  # order 1 again, in a newer file
    for _ in range(2):  # the first load parses new.md, the second finds live.md cached
        catalog = load_catalog(tmp_path / "lessons", cache=cache)
        assert [lesson.slug for lesson in catalog.track("t").lessons] == ["live"]
        assert [lesson.slug for lesson in catalog.drafts] == ["wip"]
        (problem,) = catalog.problems
        assert problem.path.endswith("new.md") and problem.line == 3
