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


def test_a_new_file_with_a_taken_order_never_takes_the_live_lesson_offline(tmp_path):
    import os

    folder = write_track(tmp_path, {"json-basics.md": lesson_text(1)})
    (folder / "broken.md").write_text(lesson_text(1))  # sorts first, but is newer
    os.utime(folder / "json-basics.md", (1_000_000, 1_000_000))
    catalog = load_catalog(tmp_path)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["json-basics"]
    (problem,) = catalog.problems
    assert problem.path.endswith("broken.md") and problem.line == 3  # the order line
    assert "duplicate order 1" in problem.message and "json-basics.md" in problem.message


def test_a_file_with_problems_never_takes_a_slug_or_order_from_a_valid_one(tmp_path):
    import os

    folder = write_track(tmp_path, {"b.md": edit("title: Sample lesson\n", "", lesson_text(1))})
    (folder / "a.md").write_text(lesson_text(1))  # valid, and written after b.md
    os.utime(folder / "b.md", (1_000_000, 1_000_000))
    catalog = load_catalog(tmp_path)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]
    assert sorted(p.message.split(":")[0] for p in catalog.problems) == [
        "duplicate order 1", "missing title"]
    assert all(p.path.endswith("b.md") for p in catalog.problems)


def test_every_mistake_is_reported_in_one_load_once_sorted_by_file_and_line(tmp_path):
    bad = edit("title: Sample lesson\n", "what: 1\n",
               edit("summary: A lesson used by the tests.\n",
                    "summary: A lesson used by the tests.\nrelated: [nowhere]\n",
                    edit("- [x] 4", "- [ ] 4", lesson_text(1))))
    write_track(tmp_path, {"a.md": lesson_text(1), "z.md": bad,
                           "m.md": lesson_text(2, "related: [gone]\n")})
    import os

    os.utime(tmp_path / "t" / "a.md", (1_000_000, 1_000_000))
    catalog = load_catalog(tmp_path)
    shown = [(p.path.rsplit("/", 1)[-1], p.line, p.message.split(" (")[0].split(":")[0])
             for p in catalog.problems]
    assert shown == sorted(shown) and len(shown) == len(set(shown))
    assert [(name, message) for name, _, message in shown] == [
        ("m.md", "related lesson 't/gone' does not exist"),
        ("z.md", "missing title"),  # line 1: the key is not there at all
        ("z.md", "unknown key 'what'"),
        ("z.md", "duplicate order 1"),
        ("z.md", "related lesson 't/nowhere' does not exist"),
        ("z.md", "question 1 has no correct answer")]
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]


def test_a_draft_is_parsed_and_checked_but_left_out_of_the_track(tmp_path):
    write_track(tmp_path, {"a.md": lesson_text(1),
                           "b.md": lesson_text(2, "draft: true\n"),
                           "c.md": lesson_text(1, "draft: true\n")})
    catalog = load_catalog(tmp_path)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]
    assert [lesson.slug for lesson in catalog.drafts] == ["b"]
    # A draft never takes an order from a published lesson, whatever the file times.
    (problem,) = catalog.problems
    assert problem.path.endswith("c.md") and "a.md has it already" in problem.message
    assert catalog.lesson("t", "b") is None


def test_a_later_folder_of_tracks_replaces_a_track_of_the_same_name(tmp_path):
    """`hyperlesson serve`: the shipped tracks, then the teacher's; the teacher's copy of a
    shipped track is the one served, and its lessons may link to the other's."""
    shipped, own = tmp_path / "shipped", tmp_path / "own"
    write_track(shipped, {"a.md": lesson_text(1)}, track="t")
    write_track(shipped, {"b.md": lesson_text(1)}, track="other")
    write_track(own, {"c.md": lesson_text(1, "related: [other/b]\n")}, track="t")
    catalog = load_catalog([shipped, own])
    assert catalog.problems == []
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["c"]
    assert catalog.folders == {"other": shipped / "other", "t": own / "t"}


def test_a_folder_with_no_track_file_and_no_lesson_is_not_a_track(tmp_path):
    """A teacher's lessons folder may also hold the data folder, a venv or anything else;
    a folder with lessons but no track.yaml is a mistake worth reporting."""
    write_track(tmp_path, {"a.md": lesson_text(1)})
    (tmp_path / "hyperlesson-data" / "lesson-cache").mkdir(parents=True)
    (tmp_path / "hyperlesson-data" / "secret_key").write_text("x")
    (tmp_path / "forgot-the-yaml").mkdir()
    (tmp_path / "forgot-the-yaml" / "x.md").write_text(lesson_text(1))
    catalog = load_catalog(tmp_path)
    assert [p.message for p in catalog.problems] == [
        "a track folder needs a track.yaml with title and description"]
    assert catalog.problems[0].path.endswith("forgot-the-yaml")
    assert [track.slug for track in catalog.tracks] == ["t"]


def test_a_file_that_is_not_utf8_is_reported_and_the_others_served(tmp_path):
    """An editor that saves Windows-1252 or Latin-1 made the whole load raise
    UnicodeDecodeError: a traceback from `check`, a server that would not start, and a
    500 on the request that reloaded the catalog."""
    folder = write_track(tmp_path, {"a.md": lesson_text(1)})
    (folder / "b.md").write_bytes(
        lesson_text(2).replace("A lesson used", "Caf\u00e9 lesson used").encode("latin-1"))
    (folder / "notes.md").mkdir()  # a folder named like a lesson, not a file
    catalog = load_catalog(tmp_path)
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]
    shown = sorted((p.path.rsplit("/", 1)[-1], p.line, p.message) for p in catalog.problems)
    assert shown[0][:2] == ("b.md", 4)  # the summary line, where the byte is
    assert "not UTF-8" in shown[0][2] and "save it as UTF-8" in shown[0][2]
    assert shown[1][0] == "notes.md" and "cannot be read" in shown[1][2]


def test_a_byte_order_mark_and_windows_line_ends_are_read_as_utf8(tmp_path):
    """Notepad's UTF-8 starts with a byte-order mark: it read as text before the first
    '---', and the lesson was refused for "missing front matter"."""
    folder = write_track(tmp_path, {})
    (folder / "a.md").write_bytes(b"\xef\xbb\xbf" + lesson_text(1).replace("\n", "\r\n").encode())
    (folder / "track.yaml").write_bytes(b"\xef\xbb\xbf" + TRACK.replace("\n", "\r\n").encode())
    catalog = load_catalog(tmp_path)
    assert catalog.problems == []
    assert [lesson.slug for lesson in catalog.track("t").lessons] == ["a"]


def test_an_image_the_asset_route_would_not_serve_is_reported(tmp_path):
    """`check` passed an image outside the track or a file that is no image, and the
    page then showed a broken picture: the asset route serves neither."""
    folder = write_track(tmp_path, {})
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    (folder / "notes.txt").write_text("not a picture")
    (folder / "a.md").write_text(edit("An introduction.",
                                      "![one](../outside.png) ![two](notes.txt)",
                                      lesson_text(1)))
    catalog = load_catalog(tmp_path)
    assert sorted(p.message for p in catalog.problems) == [
        "image '../outside.png' not found next to the lesson",
        "image 'notes.txt' not found next to the lesson"]

