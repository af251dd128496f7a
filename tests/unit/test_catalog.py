"""Loading a folder of tracks: cross-lesson checks, and invalid lessons left out."""

from __future__ import annotations

from pathlib import Path

from hyperlesson.content import load_catalog

from .lesson_files import edit

TRACK = "title: Test track\ndescription: For the tests.\n"


def write_track(root: Path, files: dict[str, str], track: str = "t", meta: str = TRACK) -> Path:
    folder = root / track
    folder.mkdir(parents=True)
    (folder / "track.yaml").write_text(meta)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def lesson_text(order: int, related: str = "") -> str:
    text = edit("order: 1", f"order: {order}")
    return edit("---\n\nAn", f"{related}---\n\nAn", text) if related else text


def test_lessons_are_ordered_and_linked(tmp_path):
    write_track(tmp_path, {"b.md": lesson_text(2), "a.md": lesson_text(1, "related: [b]\n")})
    catalog = load_catalog(tmp_path)
    assert catalog.problems == []
    track = catalog.track("t")
    assert [lesson.slug for lesson in track.lessons] == ["a", "b"]
    assert track.neighbours(track.lessons[0]) == (None, track.lessons[1])
    assert catalog.lesson("t", "a").related == ("t/b",)
    assert catalog.lesson_count == 2


def test_related_lesson_that_does_not_exist_leaves_the_lesson_out(tmp_path):
    write_track(tmp_path, {"a.md": lesson_text(1, "related: [nowhere]\n")})
    catalog = load_catalog(tmp_path)
    assert [str(p).split(":", 1)[1] for p in catalog.problems] == [
        "5: related lesson 't/nowhere' does not exist"]
    assert catalog.track("t").lessons == ()


def test_duplicate_slug_and_order_are_reported(tmp_path):
    write_track(tmp_path, {"a.md": lesson_text(1),
                           "b.md": edit("order: 1", "order: 1\nslug: a"),
                           "c.md": lesson_text(1)})
    catalog = load_catalog(tmp_path)
    found = [p.message for p in catalog.problems]
    assert any(m.startswith("duplicate slug 'a'") for m in found)
    assert any(m.startswith("duplicate order 1") for m in found)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]


def test_an_invalid_lesson_is_left_out_and_the_rest_served(tmp_path):
    write_track(tmp_path, {"good.md": lesson_text(1), "bad.md": edit("title: Sample lesson\n",
                                                                    "", lesson_text(2))})
    catalog = load_catalog(tmp_path)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["good"]
    assert [p.message for p in catalog.problems] == ["missing title"]


def test_track_metadata_is_checked(tmp_path):
    write_track(tmp_path, {"a.md": lesson_text(1)}, meta="title: T\nextra: 1\n")
    catalog = load_catalog(tmp_path)
    found = sorted(p.message for p in catalog.problems)
    assert found == ["missing description", "unknown key 'extra' (allowed: title, "
                     "description, order)"]
    assert catalog.tracks == ()


def test_assets_are_only_images_inside_the_track(tmp_path):
    folder = write_track(tmp_path, {"a.md": lesson_text(1)})
    (folder / "pic.png").write_bytes(b"\x89PNG")
    catalog = load_catalog(tmp_path)
    assert catalog.asset_path("t", "pic.png") == (folder / "pic.png").resolve()
    assert catalog.asset_path("t", "a.md") is None
    assert catalog.asset_path("t", "../t/track.yaml") is None
    assert catalog.asset_path("nope", "pic.png") is None


def test_asset_names_the_file_system_refuses_are_not_found(tmp_path):
    write_track(tmp_path, {"a.md": lesson_text(1)})
    catalog = load_catalog(tmp_path)
    for name in ("\x00", "pic\x00.png", "a" * 300 + ".png", ("b" * 250 + "/") * 20 + "c.png",
                 "\ud800.png", "\u0130.PNG", "\N{SNOWMAN}.svg"):
        assert catalog.asset_path("t", name) is None, name
