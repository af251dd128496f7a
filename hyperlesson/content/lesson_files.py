"""The lesson files of a catalog's tracks, read and parsed: from the lesson cache where it
has them; the others parsed, shared out over the cores when there are enough of them
(forked.py). Parsing is nearly all of a cold start."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .cache import LessonCache
from .forked import map_forked, usable_processes
from .model import Lesson, LessonHead, Preset, PresetPlace, Problem
from .parse import LessonContext, parse_lesson_head
from .render import make_markdown

AssetUrl = Callable[[str, str], str]  # (track slug, file name) -> public URL
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}


@dataclass(frozen=True)
class LessonFile:
    """One lesson file, as the checks across files take it."""

    path: Path
    lesson: Lesson | None  # None: the file has problems of its own
    problems: tuple[Problem, ...]
    head: LessonHead | None  # slug, order and links, when the front matter gives them


@dataclass(frozen=True)
class _Text:
    track_slug: str
    path: Path
    text: str
    shown: str  # the path as problems name it
    cache_key: str  # "" without a lesson cache
    unreadable: Problem | None = None  # then there is no text to parse


def display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def image_file(track_dir: Path, name: str) -> Path | None:
    """The image file `name` directly in `track_dir`, or None for anything else: what
    the asset route serves, so also what a lesson may show."""
    try:
        candidate = (track_dir / name).resolve()
        if (candidate.parent != track_dir.resolve()
                or candidate.suffix.lower() not in IMAGE_SUFFIXES or not candidate.is_file()):
            return None
    except (OSError, ValueError):  # the name comes from a URL: NUL byte, name too long
        return None
    return candidate


def read_text_file(path: Path, shown: str) -> tuple[str, Problem | None]:
    """A lesson's or track.yaml's text as Python's text mode reads UTF-8, with a byte-order
    mark dropped (Notepad writes one). A file that is not UTF-8 (an editor's Latin-1 or
    Windows-1252) or cannot be read is a Problem, never an exception: ("", problem)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return "", Problem(shown, 1, f"the file cannot be read: {error.strerror or error}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return "", Problem(shown, line, f"not UTF-8 text (byte 0x{data[error.start]:02x}): "
                                        "save it as UTF-8 in your editor")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def read_tracks(folders: dict[str, Path], asset_url: AssetUrl | None = None,
                render_preset: Callable[[Preset, PresetPlace], str] | None = None,
                cache: LessonCache | None = None,
                meanwhile: Callable[[], object] | None = None) -> dict[str, list[LessonFile]]:
    """Each track's lesson files (track slug -> folder given), in the order of their
    names. `meanwhile` is done once, while forked children parse (map_forked)."""
    texts = {slug: _read_texts(slug, folder, cache) for slug, folder in folders.items()}
    cached = {text.path: lesson for track in texts.values() for text in track
              if cache and (lesson := cache.get(text.cache_key)) is not None}
    md = make_markdown()

    def parse(text: _Text) -> tuple[Lesson | None, list[Problem], LessonHead | None]:
        slug, folder = text.track_slug, folders[text.track_slug]
        ctx = LessonContext(
            track_slug=slug,
            resolve_image=lambda src: asset_url(slug, src) if asset_url else src,
            image_exists=lambda src: image_file(folder, src) is not None,
            render_preset=render_preset, md=md)
        return parse_lesson_head(text.text, text.shown, ctx)

    to_parse = [text for track in texts.values() for text in track
                if text.path not in cached and text.unreadable is None]
    with _collector_paused():
        results = map_forked(parse, to_parse, usable_processes(len(to_parse)), meanwhile)
    parsed = dict(zip((text.path for text in to_parse), results, strict=True))
    files: dict[str, list[LessonFile]] = {}
    for slug, track in texts.items():
        files[slug] = []
        for text in track:
            if text.unreadable is not None:
                files[slug].append(LessonFile(text.path, None, (text.unreadable,), None))
                continue
            if text.path in cached:
                lesson = cached[text.path]
                files[slug].append(LessonFile(text.path, lesson, (), lesson.head))
                continue
            lesson, problems, head = parsed[text.path]
            if lesson is not None and cache:
                cache.put(text.cache_key, lesson)
            files[slug].append(LessonFile(text.path, lesson, tuple(problems), head))
    return files


def _read_texts(slug: str, folder: Path, cache: LessonCache | None) -> list[_Text]:
    neighbours = sorted(p.name for p in folder.iterdir() if p.suffix != ".md")
    texts = []
    for path in sorted(folder.glob("*.md")):
        shown = display(path)
        text, unreadable = read_text_file(path, shown)
        key = cache.key(text, shown, slug, neighbours) if cache and not unreadable else ""
        texts.append(_Text(slug, path, text, shown, key, unreadable))
    return texts


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing makes hundreds of thousands of short-lived tokens, freed by reference
    counting, while the lessons kept grow the heap: each automatic collection walked it
    all again, and in a forked child wrote to every object it walked, copying the
    parent's memory page by page. That was a sixth of a cold start with 200 lessons
    (0.24 s of 1.35). The few cycles a parse leaves (a couple of dozen objects a lesson)
    wait for the first collection after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
