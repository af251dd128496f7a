"""Turn one lesson file into a Lesson, or into problems that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt

from .frontmatter import check_keys, split_front_matter
from .model import (
    SECONDS_PER_CODE_LINE,
    TASK_MARKER,
    WORDS_PER_MINUTE,
    Lesson,
    LessonHead,
    Preset,
    PresetPlace,
    Problem,
    Section,
    Task,
)
from .parse_quiz import QuizParsing
from .presets import PresetError, parse_preset
from .render import make_markdown, render_heading, render_tokens
from .sources import read_sources
from .tasks import TaskError, parse_task

LESSON_KEYS = ("title", "order", "summary", "slug", "related", "sources", "draft")
REQUIRED_KEYS = ("title", "order", "summary")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z][\w-]*)\}\s*$")
# Ids the page itself uses; a section may not take them.
# Ids the lesson page gives its own parts; a section with one would clash with them.
RESERVED_IDS = {"main", "toc", "quiz", "faq", "faq-title", "progress", "tryit", "related",
                "related-title", "top", "help", "help-title", "help-requests", "help-error",
                "help-question", "help-question-hint", "help-class", "help-section",
                "sources", "sources-title"}
_GENERATED_ID = re.compile(r"^(q\d+|faq-\d+|task-.*)$")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class LessonContext:
    """What the parser needs from outside the file, so it stays free of Flask and disk."""

    track_slug: str
    resolve_image: Callable[[str], str] = lambda src: src
    image_exists: Callable[[str], bool] = lambda src: True
    # (preset, where it stands) -> HTML; the default shows the request as text.
    render_preset: Callable[[Preset, PresetPlace], str] | None = None
    md: MarkdownIt = field(default_factory=make_markdown)


def default_preset_html(preset: Preset, _place: PresetPlace | None = None) -> str:
    from html import escape

    lines = [preset.request_line] + [f"{name}: {value}" for name, value in preset.headers]
    if preset.body:
        lines += ["", preset.body]
    return ('<figure class="preset"><figcaption>Try it</figcaption><pre tabindex="0"><code>'
            + escape("\n".join(lines), quote=False) + "</code></pre></figure>\n")


class _LessonParser(QuizParsing):
    def __init__(self, text: str, path: str, ctx: LessonContext):
        self.text, self.path, self.ctx = text, path, ctx
        self.problems: list[Problem] = []
        self.offset = 0  # file line of body line 0, minus one
        self.body_lines: list[str] = []
        self.table_counter = [0]  # shared by every render, so table names stay unique
        self.slug = path.rsplit("/", 1)[-1].removesuffix(".md")
        self.section_id = ""  # the section being rendered, for its presets
        self.head: LessonHead | None = None  # set once slug and order read, problems or not
        self.task_lines: dict[str, int] = {}  # task id -> line, across the lesson

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, token) -> int:
        return self.offset + (token.map[0] + 1 if token.map else 0)

    def env(self, presets: list[Preset] | None = None, tasks: list[Task] | None = None) -> dict:
        return {"resolve_image": self._resolve_image,
                "fence_hook": self._fence_hook(presets, tasks),
                "line_offset": self.offset, "table_counter": self.table_counter}

    def _resolve_image(self, src: str) -> str:
        # markdown-it percent-encodes the URL (a space, a Cyrillic name): the file on
        # disk, and the asset URL built for it, go by the name as written.
        name = unquote(src)
        if not self.ctx.image_exists(name):
            self.problem(self._line_containing(name, src),
                         f"image '{name}' not found next to the lesson")
        return self.ctx.resolve_image(name)

    def _line_containing(self, *needles: str) -> int:
        for number, line in enumerate(self.body_lines, start=1):
            if any(needle in line for needle in needles):
                return self.offset + number
        return self.offset + 1

    def _fence_hook(self, presets: list[Preset] | None, tasks: list[Task] | None):
        def hook(info: str, content: str, line: int) -> str | None:
            if info == "task":
                return self._task(content, line, tasks)
            if info != "tryit":
                return None
            try:
                preset = parse_preset(content)
            except PresetError as error:
                self.problem(line + 1 + error.line_in_block, f"malformed tryit preset: {error}")
                return ""
            if presets is not None:
                presets.append(preset)
            render = self.ctx.render_preset or default_preset_html
            return render(preset, PresetPlace(self.ctx.track_slug, self.slug, self.section_id))
        return hook

    def _task(self, content: str, line: int, tasks: list[Task] | None) -> str:
        """A task block: kept in its section, marked where it stands in the HTML."""
        if tasks is None:
            self.problem(line, "a task belongs in a section (under a '##' heading)")
            return ""
        try:
            text = parse_task(content)
        except TaskError as error:
            self.problem(line + 1 + error.line_in_block, f"malformed task: {error}")
            return ""
        if text.id in self.task_lines:
            self.problem(line, f"duplicate task id '{text.id}' (also on line "
                         f"{self.task_lines[text.id]}): give one an 'id:' line")
            return ""
        self.task_lines[text.id] = line
        env = {"resolve_image": self._resolve_image, "table_counter": self.table_counter}
        tasks.append(text.task(lambda md: render_tokens(self.ctx.md, self.ctx.md.parse(md),
                                                        env),
                               self.ctx.md.renderInline))
        return TASK_MARKER.format(id=text.id)

    # -- the file -----------------------------------------------------------

    def parse(self) -> Lesson | None:
        front = split_front_matter(self.text, self.path, self.problems)
        if front is None:
            return None
        self.offset, self.body_lines = front.body_offset, front.body.split("\n")
        meta = self._check_front_matter(front.data, front.key_lines)
        if meta is not None:
            self.slug = meta["slug"]
        tokens = self.ctx.md.parse(front.body, {})
        zones = self._zones(tokens)
        intro_html, sections = self._sections(tokens, zones["lesson"])
        # Ids of elements on the page, for the quiz and FAQ (parse_quiz._claim) to check.
        self.ids_taken = {section.id: f"section '{section.title}'" for section in sections}
        questions = self._questions(tokens, zones["quiz"])
        faqs = self._faqs(tokens, zones["faq"])
        if self.problems or meta is None:
            return None
        return Lesson(track_slug=self.ctx.track_slug, intro_html=intro_html,
                      sections=tuple(sections), questions=tuple(questions), faqs=tuple(faqs),
                      source=self.path, **meta)

    def _check_front_matter(self, data: dict, key_lines: dict[str, int]) -> dict | None:
        before = len(self.problems)
        check_keys(data, key_lines, LESSON_KEYS, REQUIRED_KEYS, self.path, self.problems)
        order = data.get("order")
        order_ok = isinstance(order, int) and not isinstance(order, bool)
        if order is not None and not order_ok:
            self.problem(key_lines.get("order", 1), "order must be a whole number")
        slug = data.get("slug") or self.path.rsplit("/", 1)[-1].removesuffix(".md")
        slug_ok = bool(SLUG.match(str(slug)))
        if not slug_ok:
            self.problem(key_lines.get("slug", 1),
                         f"slug '{slug}' may only use lowercase letters, digits and '-'")
        related = data.get("related") or []
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            self.problem(key_lines.get("related", 1), "related must be a list of lesson slugs")
            related = []
        draft = data.get("draft", False)
        if not isinstance(draft, bool):
            self.problem(key_lines.get("draft", 1), "draft must be true or false")
            draft = False
        sources, mistakes = read_sources(data.get("sources"))
        for message in mistakes:
            self.problem(key_lines.get("sources", 1), message)
        related_keys = tuple(r if "/" in r else f"{self.ctx.track_slug}/{r}" for r in related)
        lines = {"order_line": key_lines.get("order", 1),
                 "related_line": key_lines.get("related", 1)}
        if order_ok and slug_ok:  # enough for the checks across files
            self.head = LessonHead(self.ctx.track_slug, str(slug), order, related_keys,
                                   self.path, draft=draft, **lines)
        if len(self.problems) > before:
            return None
        return {"slug": str(slug), "title": str(data["title"]).strip(), "order": order,
                "summary": str(data["summary"]).strip(), "related": related_keys,
                "sources": sources, "draft": draft, **lines}

    def _zones(self, tokens) -> dict[str, list[tuple[int, int]]]:
        """Split the body at `#` headings (Quiz, FAQ) into zones of token ranges."""
        zones: dict[str, list[tuple[int, int]]] = {"lesson": [], "quiz": [], "faq": []}
        zone, start, seen = "lesson", 0, set()
        for index, token in enumerate(tokens):
            if token.type != "heading_open" or token.tag != "h1" or token.level != 0:
                continue
            zones[zone].append((start, index))
            name = tokens[index + 1].content.strip().lower()
            if name not in ("quiz", "faq"):
                self.problem(self.line_of(token), f"'# {tokens[index + 1].content}': a '#' "
                             "heading is only for '# Quiz' or '# FAQ'; use '##' for a section")
                name = zone
            elif name in seen:
                self.problem(self.line_of(token), f"a second '# {name.title()}' heading")
            seen.add(name)
            zone, start = name, index + 3
        zones[zone].append((start, len(tokens)))
        return zones

    @staticmethod
    def _groups(tokens, ranges) -> list[tuple[int | None, int, int]]:
        """(heading index or None, body start, body end) per `##` heading in the ranges."""
        groups = []
        for start, end in ranges:
            heading, body_start = None, start
            for index in range(start, end):
                token = tokens[index]
                if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
                    groups.append((heading, body_start, index))
                    heading, body_start = index, index + 3
            groups.append((heading, body_start, end))
        return groups

    def _heading(self, tokens, index: int) -> tuple[str, str | None]:
        text = tokens[index + 1].content
        match = _EXPLICIT_ID.search(text)
        if match:
            return text[: match.start()].strip(), match.group(1)
        return text.strip(), None

    def _sections(self, tokens, ranges) -> tuple[str, list[Section]]:
        intro_html, sections, seen = "", [], {}
        for heading, start, end in self._groups(tokens, ranges):
            body = tokens[start:end]
            if heading is None:
                intro_html += render_tokens(self.ctx.md, body, self.env())
                continue
            text, explicit = self._heading(tokens, heading)
            # The id from the heading as written, Markdown and all: ids recorded as read
            # stay the same.
            section_id, line = explicit or slugify(text), self.line_of(tokens[heading])
            if not section_id:
                self.problem(line, "a section heading needs some text")
                continue
            if section_id in RESERVED_IDS or _GENERATED_ID.match(section_id):
                self.problem(line, f"section id '{section_id}' is used by the page itself: "
                             "give the section another id with {#your-id}")
            if section_id in seen:
                self.problem(line, f"duplicate section id '{section_id}' "
                             f"(also on line {seen[section_id]})")
            seen[section_id] = line
            presets: list[Preset] = []
            tasks: list[Task] = []
            self.section_id = section_id
            html = render_tokens(self.ctx.md, body, self.env(presets, tasks))
            title_html, title = render_heading(self.ctx.md, text, self.env())
            sections.append(Section(section_id, title, html,
                                    _reading_seconds(tokens[heading:end]), tuple(presets),
                                    tuple(tasks), title_html))
        if not sections:
            self.problem(self.offset + 1, "the lesson has no sections: add '## ' headings")
        return intro_html, sections

def _reading_seconds(tokens) -> int:
    words = sum(len(t.content.split()) for t in tokens if t.type == "inline")
    # A task's time is its own (SECONDS_PER_TASK): its key lines are not read as code.
    code_lines = sum(t.content.count("\n") for t in tokens
                     if t.type in ("fence", "code_block") and t.info.strip() != "task")
    return round(words * 60 / WORDS_PER_MINUTE + code_lines * SECONDS_PER_CODE_LINE)


def parse_lesson(text: str, path: str, ctx: LessonContext) -> tuple[Lesson | None, list[Problem]]:
    """Parse one lesson file. Returns the lesson, or None and every problem found."""
    lesson, problems, _head = parse_lesson_head(text, path, ctx)
    return lesson, problems


def parse_lesson_head(text: str, path: str, ctx: LessonContext
                      ) -> tuple[Lesson | None, list[Problem], LessonHead | None]:
    """parse_lesson, plus the slug, order and related links the catalog checks across
    files: known whenever the front matter gives them, even if the rest has problems."""
    parser = _LessonParser(text, path, ctx)
    lesson = parser.parse()
    return lesson, parser.problems, lesson.head if lesson else parser.head
