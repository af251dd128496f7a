"""The parsed form of lessons and tracks: frozen dataclasses, built once at start-up.

HTML fields hold markup already rendered from the teacher's Markdown (raw HTML off),
so templates mark them safe and never render Markdown per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORDS_PER_MINUTE = 200
SECONDS_PER_CODE_LINE = 2  # code is read slower than prose
SECONDS_PER_QUESTION = 30  # reading a question and its options, then answering
SECONDS_PER_TASK = 30  # a task weighs in progress what a question does
# Where a task stands in its section's HTML: raw HTML is off, so no Markdown makes it.
TASK_MARKER = '<hl-task data-id="{id}"></hl-task>'
_TASK_SPLIT = re.compile(r'<hl-task data-id="([^"]+)"></hl-task>')


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson file, reported as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Preset:
    """A try-it request written in a lesson: `METHOD /sandbox/path` plus headers and body."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    expect: int | None = None  # the status the prose promises, from a `# expect:` line

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class PresetPlace:
    """Where a preset stands: its lesson and section, so the panel can lead back."""

    track_slug: str
    lesson_slug: str
    section_id: str  # "" in the introduction


@dataclass(frozen=True)
class Condition:
    """One thing a task checks in a recorded exchange: `request header Accept: text/html`
    is ("request", "header", "Accept", "text/html"); a value of None asks only that the
    header, query parameter or JSON field be there."""

    side: str  # "request" or "response"
    part: str  # "header", "query" or "json"
    name: str  # a header's or parameter's name; a JSON field's dotted path
    value: str | None = None


@dataclass(frozen=True)
class Task:
    """An exercise graded from the learner's real requests: the check is the method, the
    path (with `{name}` placeholders), the status (a code or a class like "2xx") and
    conditions on one exchange. Written in a lesson as a ```task block."""

    id: str  # "task-create-a-user": from the title, unless the block gives one
    title: str
    goal_html: str
    hints_html: tuple[str, ...]
    method: str
    path: str  # as written: "/sandbox/users/{id}"
    status: str | None = None  # "201", "2xx", or None for any
    conditions: tuple[Condition, ...] = ()
    first_status: str | None = None  # an earlier try at the same URL must have got this

    @property
    def path_pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*\}", self.path)
        return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")

    def of(self, side: str, part: str) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.side == side and c.part == part)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    html: str
    seconds: int  # estimated reading time
    presets: tuple[Preset, ...] = ()
    tasks: tuple[Task, ...] = ()
    title_html: str = ""  # the heading with its inline Markdown; `title` is its words

    @property
    def parts(self) -> tuple[tuple[str, Task | None], ...]:
        """The HTML cut where tasks stand: (html before, the task there or None)."""
        if not self.tasks:
            return ((self.html, None),)
        by_id = {task.id: task for task in self.tasks}
        pieces = _TASK_SPLIT.split(self.html)
        parts = [(pieces[i], by_id.get(pieces[i + 1])) for i in range(0, len(pieces) - 1, 2)]
        return (*parts, (pieces[-1], None))


@dataclass(frozen=True)
class Option:
    key: str  # "a", "b", ...
    label_html: str
    explanation_html: str
    correct: bool
    label_text: str = ""  # the label without markup, for an accessible name

    @property
    def letter(self) -> str:
        return self.key.upper()


@dataclass(frozen=True)
class Question:
    id: str  # "q1", "q2", ...
    number: int
    prompt_html: str
    options: tuple[Option, ...]

    @property
    def correct_key(self) -> str:
        return next(option.key for option in self.options if option.correct)

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class FaqEntry:
    id: str  # "faq-1", ...
    question: str  # its words; question_html has its inline Markdown
    answer_html: str
    question_html: str = ""


@dataclass(frozen=True)
class Source:
    """A document the lesson rests on, listed at its end: "RFC 9110, section 15.5.5"."""

    title: str
    url: str


@dataclass(frozen=True)
class LessonHead:
    """What the catalog checks across files, known as soon as the front matter reads,
    even when the rest of the file has problems."""

    track_slug: str
    slug: str
    order: int
    related: tuple[str, ...]
    source: str
    order_line: int = 1
    related_line: int = 1
    draft: bool = False

    @property
    def key(self) -> str:
        return f"{self.track_slug}/{self.slug}"


@dataclass(frozen=True)
class Lesson:
    track_slug: str
    slug: str
    title: str
    order: int
    summary: str
    related: tuple[str, ...]  # "track/slug" keys, resolved by the catalog
    intro_html: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    faqs: tuple[FaqEntry, ...]
    sources: tuple[Source, ...] = ()
    draft: bool = False  # left out of the track; `lessons check` still reads it
    source: str = field(default="", compare=False)
    related_line: int = field(default=1, compare=False)
    order_line: int = field(default=1, compare=False)

    @property
    def key(self) -> str:
        return f"{self.track_slug}/{self.slug}"

    @property
    def head(self) -> LessonHead:
        return LessonHead(self.track_slug, self.slug, self.order, self.related, self.source,
                          self.order_line, self.related_line, self.draft)

    @property
    def seconds(self) -> int:
        """Time to read every section and answer every question."""
        return (sum(section.seconds for section in self.sections)
                + SECONDS_PER_QUESTION * len(self.questions))

    @property
    def work_seconds(self) -> int:
        """What progress weighs: the reading time, and each task's time to do it. Tasks
        stay out of "N min read": they are optional work, not text."""
        return self.seconds + SECONDS_PER_TASK * len(self.tasks)

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))

    @property
    def has_presets(self) -> bool:
        return any(section.presets for section in self.sections)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for section in self.sections for task in section.tasks)

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def faq(self, faq_id: str) -> FaqEntry | None:
        return next((f for f in self.faqs if f.id == faq_id), None)


@dataclass(frozen=True)
class Track:
    slug: str
    title: str
    description: str
    order: int
    lessons: tuple[Lesson, ...]

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        index = self.lessons.index(lesson)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following
