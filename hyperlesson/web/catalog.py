"""Build the catalog once at start-up and make it reachable from views and templates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextvars import Context
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, current_app, g, render_template, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from ..cli import runs_lessons_command
from ..config import SHIPPED_LESSONS
from ..content import Catalog, Lesson, Preset, Track, load_catalog
from ..content.cache import LessonCache
from ..content.catalog import track_folders
from ..content.model import PresetPlace
from .assets import path_prefix


def lesson_roots(config) -> list[Path]:
    """The folders of tracks served: LESSONS_DIR, after the shipped tracks when
    SHIPPED_TRACKS is on (`hyperlesson serve`), so a teacher's track of the same name wins."""
    own = Path(config["LESSONS_DIR"]).resolve()
    shipped = SHIPPED_LESSONS.resolve()
    return [shipped, own] if config["SHIPPED_TRACKS"] and own != shipped else [own]


def init_catalog(app: Flask, meanwhile: Callable[[], object] | None = None) -> Catalog:
    """Parse the lessons into the app's catalog. `meanwhile`: the rest of start-up, done
    once while forked children parse, outside the request context the parse uses."""

    def asset_url(track: str, filename: str) -> str:
        return url_for("lessons.asset", track_slug=track, filename=filename)

    def render_preset(preset: Preset, place: PresetPlace) -> str:
        # Rendered once for everyone: the CSRF token is a placeholder until a request.
        return render_template("tryit/_preset.html", preset=preset, place=place,
                               csrf_placeholder=CSRF_PLACEHOLDER)

    # `meanwhile` runs in a fresh contextvars Context: outside the request context below.
    outside = (lambda: Context().run(meanwhile)) if meanwhile is not None else None
    # One request context for every url_for and preset render at start-up.
    with app.test_request_context():
        cache = None
        if app.config["LESSON_CACHE"]:
            # The salt: how presets and image URLs render, which a parse bakes in.
            template = Path(app.root_path, app.template_folder, "tryit", "_preset.html")
            salt = (url_for("tryit.send") + url_for("lessons.asset", track_slug="t",
                                                    filename="f")
                    + template.read_text(encoding="utf-8"))
            cache = LessonCache(Path(app.instance_path) / "lesson-cache", salt)
        catalog = load_catalog(lesson_roots(app.config), asset_url=asset_url,
                               render_preset=render_preset, cache=cache,
                               meanwhile=outside,
                               served_before=app.extensions.get("catalog"))
        urls = {lesson.key: LessonUrls.build(lesson) for lesson in (
            *(lesson for track in catalog.tracks for lesson in track.lessons),
            *catalog.drafts)}  # a teacher previews a draft
    if cache is not None:
        cache.prune()
    if not runs_lessons_command():
        for problem in catalog.problems:
            app.logger.warning("%s: %s", "lesson problem" if problem.path in catalog.kept
                               else "lesson left out", problem)
    app.extensions["catalog"] = catalog
    app.extensions["prepared_pages"] = {}  # web/prepared_page.py: made from the old lessons
    # A lesson page links to each question, section and FAQ entry: building those
    # URLs once at start-up keeps dozens of url_for calls out of every request.
    rooted: dict[tuple[str, str], LessonUrls] = {}

    def urls_for(lesson: Lesson) -> LessonUrls:
        root = path_prefix()
        if not root:
            return urls[lesson.key]
        if (lesson.key, root) not in rooted:
            rooted[lesson.key, root] = urls[lesson.key].under(root)
        return rooted[lesson.key, root]

    app.jinja_env.globals["urls_for"] = urls_for
    app.jinja_env.filters["content"] = content
    return catalog


@dataclass(frozen=True)
class LessonUrls:
    page: str
    start_over: str
    answer: dict[str, str]  # question id -> URL
    reached: dict[str, str]  # section id -> URL
    faq_open: dict[str, str]  # FAQ id -> URL of the open entry
    faq_close: dict[str, str]

    @classmethod
    def build(cls, lesson: Lesson) -> LessonUrls:
        args = {"track_slug": lesson.track_slug, "lesson_slug": lesson.slug}
        return cls(
            page=url_for("lessons.lesson", **args),
            start_over=url_for("quiz.start_over", **args),
            answer={q.id: url_for("quiz.answer", question_id=q.id, **args)
                    for q in lesson.questions},
            reached={s.id: url_for("reading.reached", section_id=s.id, **args)
                     for s in lesson.sections},
            faq_open={f.id: url_for("reading.faq", faq_id=f.id, open=1, **args)
                      for f in lesson.faqs},
            faq_close={f.id: url_for("reading.faq", faq_id=f.id, open=0, **args)
                       for f in lesson.faqs})

    def under(self, root: str) -> LessonUrls:
        """The same URLs under a path prefix."""
        def each(urls: dict[str, str]) -> dict[str, str]:
            return {key: root + url for key, url in urls.items()}
        return LessonUrls(root + self.page, root + self.start_over, each(self.answer),
                          each(self.reached), each(self.faq_open), each(self.faq_close))


# Preset forms are rendered once at start-up: the lesson page puts the learner's CSRF
# token in place of this (web/prepared_page.py).
CSRF_PLACEHOLDER = "__hyperlesson_csrf_token__"

# A URL in an attribute that starts at the server's root ("/sandbox/get").
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src|action|hx-get|hx-post)=")/(?!/)')


def content(html: str) -> Markup:
    """Lesson HTML, rendered at start-up with URLs from the server's root: under a path
    prefix (SCRIPT_NAME, or a trusted proxy's X-Forwarded-Prefix) each gains it, the
    author's own links to /sandbox/ included."""
    root = path_prefix()
    if not root:
        return Markup(html)
    return Markup(_ROOT_RELATIVE.sub(lambda match: f"{match[1]}{escape(root)}/", html))


def watch_lessons(app: Flask, every_s: float = 1.0) -> None:
    """Rebuild the catalog when a file in a track of LESSONS_DIR is added, changed or
    removed, checked at most once a second, so a teacher's edit shows on refresh. Only
    track folders are looked at, one level deep: never the data folder beside them,
    whose database changes with every answer, nor a venv."""
    root = Path(app.config["LESSONS_DIR"])

    def signature() -> tuple:
        files = []
        for folder in track_folders([root]).values():
            for path in folder.iterdir():
                try:
                    if path.is_file():
                        stat = path.stat()
                        files.append((str(path), stat.st_mtime_ns, stat.st_size))
                except OSError:  # removed between the listing and the look
                    continue
        return tuple(sorted(files))

    state = {"signature": signature(), "checked": time.monotonic()}

    @app.before_request
    def reload_changed_lessons():
        now = time.monotonic()
        if now - state["checked"] < every_s:
            return
        state["checked"] = now
        current = signature()
        if current != state["signature"]:
            state["signature"] = current
            app.logger.info("lessons changed: reloading the catalog")
            init_catalog(app)


def current_catalog() -> Catalog:
    return current_app.extensions["catalog"]


def find_lesson(track_slug: str, lesson_slug: str) -> tuple[Track, Lesson]:
    """The track and lesson named in a URL, or a 404 that links back to what exists.
    A draft (`draft: true`) is found for teachers only: they preview it; to everyone
    else it does not exist."""
    catalog = current_catalog()
    track = catalog.track(track_slug) or abort(404, "There is no such track.")
    g.track = track  # lets the 404 page link back to the track
    lesson = track.lesson(lesson_slug)
    if lesson is None and _is_teacher():
        lesson = catalog.draft(track_slug, lesson_slug)
    return track, lesson or abort(404, "This track has no such lesson.")


def _is_teacher() -> bool:
    return current_user.is_authenticated and current_user.is_teacher


def lesson_url(lesson: Lesson, anchor: str | None = None) -> str:
    return url_for("lessons.lesson", track_slug=lesson.track_slug, lesson_slug=lesson.slug,
                   _anchor=anchor)
