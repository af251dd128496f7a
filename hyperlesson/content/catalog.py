"""Load a folder of tracks once, validate across lessons, and index them for requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import LessonCache
from .frontmatter import check_keys, read_yaml_mapping
from .model import Lesson, Preset, PresetPlace, Problem, Track
from .parse import SLUG, LessonContext, parse_lesson
from .render import make_markdown

TRACK_FILE = "track.yaml"
TRACK_KEYS = ("title", "description", "order")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}

AssetUrl = Callable[[str, str], str]  # (track slug, file name) -> public URL


@dataclass
class Catalog:
    root: Path
    tracks: tuple[Track, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    def track(self, slug: str) -> Track | None:
        return next((track for track in self.tracks if track.slug == slug), None)

    def lesson(self, track_slug: str, slug: str) -> Lesson | None:
        track = self.track(track_slug)
        return track.lesson(slug) if track else None

    def lesson_by_key(self, key: str) -> Lesson | None:
        track_slug, _, slug = key.partition("/")
        return self.lesson(track_slug, slug)

    @property
    def lesson_count(self) -> int:
        return sum(len(track.lessons) for track in self.tracks)

    def asset_path(self, track_slug: str, filename: str) -> Path | None:
        """The image file a lesson shows, or None for anything that is not one."""
        if self.track(track_slug) is None:
            return None
        track_dir = self.root / track_slug
        try:
            candidate = (track_dir / filename).resolve()
            if (candidate.parent != track_dir.resolve()
                    or candidate.suffix.lower() not in IMAGE_SUFFIXES or not candidate.is_file()):
                return None
        except (OSError, ValueError):  # the name comes from the URL: NUL byte, name too long
            return None
        return candidate


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_track(folder: Path, problems: list[Problem]) -> tuple[str, str, int] | None:
    path = folder / TRACK_FILE
    shown = _display(path)
    if not path.is_file():
        problems.append(Problem(_display(folder), 1, f"a track folder needs a {TRACK_FILE} "
                                "with title and description"))
        return None
    before = len(problems)
    parsed = read_yaml_mapping(path.read_text(encoding="utf-8"), shown, 1, problems)
    if parsed is None:
        return None
    data, key_lines = parsed
    check_keys(data, key_lines, TRACK_KEYS, ("title", "description"), shown, problems)
    order = data.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        problems.append(Problem(shown, key_lines.get("order", 1), "order must be a whole number"))
    if not SLUG.match(folder.name):
        problems.append(Problem(shown, 1, f"track folder '{folder.name}' may only use "
                                "lowercase letters, digits and '-'"))
    if len(problems) > before:
        return None
    return str(data["title"]).strip(), str(data["description"]).strip(), order


def load_catalog(root: Path | str, asset_url: AssetUrl | None = None,
                 render_preset: Callable[[Preset, PresetPlace], str] | None = None,
                 cache: LessonCache | None = None) -> Catalog:
    """Parse every track under `root`. Invalid lessons are reported and left out."""
    root = Path(root)
    catalog = Catalog(root)
    md = make_markdown()
    drafts: list[tuple[Track, list[Lesson]]] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if folder.name.startswith("."):
            continue
        meta = _load_track(folder, catalog.problems)
        if meta is None:
            continue
        lessons: list[Lesson] = []
        neighbours = sorted(p.name for p in folder.iterdir() if p.suffix != ".md")
        for file in sorted(folder.glob("*.md")):
            text, shown = file.read_text(encoding="utf-8"), _display(file)
            key = cache.key(text, shown, folder.name, neighbours) if cache else ""
            cached = cache.get(key) if cache else None
            if cached is not None:
                lessons.append(cached)
                continue
            ctx = LessonContext(
                track_slug=folder.name,
                resolve_image=lambda src, t=folder.name: asset_url(t, src) if asset_url else src,
                image_exists=lambda src, f=folder: (f / src).is_file(),
                render_preset=render_preset, md=md)
            lesson, problems = parse_lesson(text, shown, ctx)
            catalog.problems.extend(problems)
            if lesson is not None:
                lessons.append(lesson)
                if cache:
                    cache.put(key, lesson)
        title, description, order = meta
        drafts.append((Track(folder.name, title, description, order, ()), lessons))
    _check_track_uniqueness(drafts, catalog.problems)
    # A related lesson that exists but is itself invalid is not this lesson's problem:
    # its own problems are reported, and the link is left out when the page renders.
    known = {lesson.key for _, lessons in drafts for lesson in lessons}
    known |= {f"{track.slug}/{file.stem}" for track, _ in drafts
              for file in (root / track.slug).glob("*.md")}
    tracks = []
    for track, lessons in drafts:
        kept = []
        for lesson in lessons:
            missing = [key for key in lesson.related if key not in known]
            for key in missing:
                catalog.problems.append(Problem(lesson.source, lesson.related_line,
                                                f"related lesson '{key}' does not exist"))
            if not missing:
                kept.append(lesson)
        tracks.append(replace(track, lessons=tuple(sorted(kept, key=lambda x: x.order))))
    catalog.tracks = tuple(sorted(tracks, key=lambda t: (t.order, t.title)))
    return catalog


def _check_track_uniqueness(drafts, problems: list[Problem]) -> None:
    """Drop the second lesson with a slug or order already taken in its track."""
    for _track, lessons in drafts:
        slugs: dict[str, Lesson] = {}
        orders: dict[int, Lesson] = {}
        for lesson in list(lessons):
            if lesson.slug in slugs:
                problems.append(Problem(lesson.source, 1, f"duplicate slug '{lesson.slug}' "
                                        f"(also in {slugs[lesson.slug].source})"))
                lessons.remove(lesson)
            elif lesson.order in orders:
                problems.append(Problem(lesson.source, 1, f"duplicate order {lesson.order} "
                                        f"(also in {orders[lesson.order].source})"))
                lessons.remove(lesson)
            else:
                slugs[lesson.slug], orders[lesson.order] = lesson, lesson

