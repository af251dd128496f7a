"""Load a folder of tracks once, validate across lessons, and index them for requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import LessonCache
from .frontmatter import check_keys, read_yaml_mapping
from .lesson_files import AssetUrl, display, image_file, read_text_file, read_tracks
from .model import Lesson, LessonHead, Preset, PresetPlace, Problem, Track
from .parse import SLUG

TRACK_FILE = "track.yaml"
TRACK_KEYS = ("title", "description", "order")
LAST_GOOD = ("the last good version of this lesson is still served, until the mistakes "
             "in this file are fixed (a restart leaves it out)")


@dataclass
class Catalog:
    folders: dict[str, Path] = field(default_factory=dict)  # track slug -> its folder
    tracks: tuple[Track, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    drafts: tuple[Lesson, ...] = ()  # valid lessons marked `draft: true`: served to nobody
    kept: set[str] = field(default_factory=set)  # files with a mistake, served as they were

    def track(self, slug: str) -> Track | None:
        return next((track for track in self.tracks if track.slug == slug), None)

    def lesson(self, track_slug: str, slug: str) -> Lesson | None:
        track = self.track(track_slug)
        return track.lesson(slug) if track else None

    def draft(self, track_slug: str, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.drafts
                     if (lesson.track_slug, lesson.slug) == (track_slug, slug)), None)

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
        return image_file(self.folders[track_slug], filename)


def _load_track(folder: Path, problems: list[Problem]) -> tuple[str, str, int] | None:
    path = folder / TRACK_FILE
    shown = display(path)
    if not path.is_file():
        problems.append(Problem(display(folder), 1, f"a track folder needs a {TRACK_FILE} "
                                "with title and description"))
        return None
    before = len(problems)
    text, unreadable = read_text_file(path, shown)
    if unreadable is not None:
        problems.append(unreadable)
        return None
    parsed = read_yaml_mapping(text, shown, 1, problems)
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


@dataclass
class _Entry:
    """One lesson file as the cross-file checks see it."""

    head: LessonHead
    lesson: Lesson | None  # None: the file has problems of its own
    changed: float  # the file's modification time


def track_folders(roots: Sequence[Path]) -> dict[str, Path]:
    """Each track's folder, by slug: the folders of tracks in `roots`, a later root's track
    replacing an earlier one of the same name (a teacher's copy of a shipped track). A
    folder with neither a track.yaml nor a lesson (a data folder, a venv) is no track."""
    folders: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder.is_dir() and not folder.name.startswith(".")
                    and ((folder / TRACK_FILE).is_file() or any(folder.glob("*.md")))):
                folders[folder.name] = folder
    return dict(sorted(folders.items()))


def load_catalog(roots: Path | str | Sequence[Path], asset_url: AssetUrl | None = None,
                 render_preset: Callable[[Preset, PresetPlace], str] | None = None,
                 cache: LessonCache | None = None,
                 meanwhile: Callable[[], object] | None = None,
                 served_before: Catalog | None = None) -> Catalog:
    """Parse every track in the folders of tracks `roots`. Invalid lessons are reported
    and left out, and a mistake in one file never takes another file's lesson offline.
    `meanwhile`: other work, done once, while forked children parse lessons.
    `served_before`: the catalog this one replaces. Its lessons keep their slug and
    order against any other file, however recently they were edited, and stay served as
    they were while their file has a mistake (`kept`); its tracks keep their title and
    description while their track.yaml has a mistake."""
    roots = [Path(roots)] if isinstance(roots, str | Path) else [Path(r) for r in roots]
    catalog = Catalog(track_folders(roots))
    found: dict[str, Track] = {}  # the tracks whose track.yaml is right
    for folder in catalog.folders.values():
        meta = _load_track(folder, catalog.problems)
        served = served_before.track(folder.name) if served_before is not None else None
        if meta is not None:
            found[folder.name] = Track(folder.name, *meta, ())
        elif served is not None:
            # A mistake in track.yaml (reported above) keeps the served track as it was.
            found[folder.name] = replace(served, lessons=())
    files = read_tracks({slug: catalog.folders[slug] for slug in found}, asset_url,
                        render_preset, cache, meanwhile)
    last_good = {} if served_before is None else {
        lesson.source: lesson for lesson in (
            *(lesson for track in served_before.tracks for lesson in track.lessons),
            *served_before.drafts)}
    tracks: list[tuple[Track, list[_Entry]]] = []
    for slug, track in found.items():
        entries: list[_Entry] = []
        for file in files[slug]:
            catalog.problems.extend(file.problems)
            kept = last_good.get(display(file.path)) if file.lesson is None else None
            if kept is not None:
                entries.append(_keep_last_good(catalog, kept, file.path.stat().st_mtime))
            elif file.head is not None:
                entries.append(_Entry(file.head, file.lesson, file.path.stat().st_mtime))
        tracks.append((track, entries))
    known = _lesson_keys(catalog.folders, tracks)
    left_out = _check_related(known, tracks, catalog.problems)
    for _, entries in tracks:  # a link mistyped into a lesson being read
        for index, entry in enumerate(entries):
            kept = last_good.get(entry.head.source)
            if (entry.head.source in left_out and kept is not None
                    and set(kept.head.related) <= known):
                left_out.discard(kept.source)
                entries[index] = _keep_last_good(catalog, kept, entry.changed)
    live = set() if served_before is None else {
        lesson.source for track in served_before.tracks for lesson in track.lessons}
    left_out |= _check_uniqueness(tracks, catalog.problems, live)
    catalog.tracks = tuple(sorted(
        (replace(track, lessons=_served(entries, left_out)) for track, entries in tracks),
        key=lambda t: (t.order, t.title)))
    catalog.drafts = tuple(entry.lesson for _, entries in tracks for entry in entries
                           if entry.lesson is not None and entry.head.draft
                           and entry.head.source not in left_out)
    # Once each, in reading order: the log and `lessons check` print this list as it is.
    catalog.problems = sorted(dict.fromkeys(catalog.problems),
                              key=lambda p: (p.path, p.line, p.message))
    return catalog


def _keep_last_good(catalog: Catalog, lesson: Lesson, changed: float) -> _Entry:
    """An edit with a mistake never takes a lesson off learners mid-read: the version
    served until now stays, and the problems say so."""
    catalog.kept.add(lesson.source)
    catalog.problems.append(Problem(lesson.source, 1, LAST_GOOD))
    return _Entry(lesson.head, lesson, changed)


def _served(entries: list[_Entry], left_out: set[str]) -> tuple[Lesson, ...]:
    return tuple(sorted((entry.lesson for entry in entries if entry.lesson is not None
                         and not entry.head.draft and entry.head.source not in left_out),
                        key=lambda lesson: lesson.order))


def _lesson_keys(folders: dict[str, Path], tracks) -> set[str]:
    """`track/slug` of every lesson file, valid or not: what a related link may name."""
    known = {f"{track.slug}/{file.stem}" for track, _ in tracks
             for file in folders[track.slug].glob("*.md")}
    return known | {entry.head.key for _, entries in tracks for entry in entries}


def _check_related(known: set[str], tracks, problems: list[Problem]) -> set[str]:
    """Report each related link to no lesson file (`known`); return the files that have
    one.

    A related lesson that exists but is itself invalid is not this lesson's problem: its
    own problems are reported, and the link is left out when the page renders."""
    broken = set()
    for _, entries in tracks:
        for entry in entries:
            for key in entry.head.related:
                if key not in known:
                    problems.append(Problem(entry.head.source, entry.head.related_line,
                                            f"related lesson '{key}' does not exist"))
                    broken.add(entry.head.source)
    return broken


def _check_uniqueness(tracks, problems: list[Problem], live: set[str]) -> set[str]:
    """Two files claiming one slug or order: one keeps it, the other is reported (naming
    both) and left out. The keeper is the file that could be served, then a published
    lesson over a draft, then the file served until now (`live`: a typo fixed in it must
    not hand its place to a newcomer), then the file unchanged longest: the newer edit
    is the mistake, so a teacher's new file never takes a lesson learners are reading
    offline."""
    losers: set[str] = set()
    for _, entries in tracks:
        ranked = sorted(entries, key=lambda e: (e.lesson is None, e.head.draft,
                                                e.head.source not in live, e.changed,
                                                e.head.source))
        slugs: dict[str, _Entry] = {}
        orders: dict[int, _Entry] = {}
        for entry in ranked:
            head = entry.head
            if head.slug in slugs:
                problems.append(Problem(head.source, 1, f"duplicate slug '{head.slug}': "
                                        f"{slugs[head.slug].head.source} has it already"))
                losers.add(head.source)
            else:
                slugs[head.slug] = entry
            if head.order in orders:
                problems.append(Problem(head.source, head.order_line,
                                        f"duplicate order {head.order}: "
                                        f"{orders[head.order].head.source} has it already; "
                                        "give this lesson a number no other lesson uses"))
                losers.add(head.source)
            else:
                orders[head.order] = entry
    return losers
