"""The lesson page, rendered once per lesson and filled in per request.

Most of a lesson page is the same for every learner: the text, the questions, the FAQ.
Templates mark each part that depends on the learner with `learner_part(template, ...)`.
Rendered with `prepare()`, each such call leaves a slot; a request then only fills the
slots from its learner's state and joins strings. A part whose HTML depends on a small
key (a question: the option chosen, whether it is done) keeps each variant it rendered,
so most requests render no template at all. Anywhere else, and for a part without a
key, `learner_part` renders its template as `{% include %}` would: the fragments htmx
swaps in and the page are drawn by the same templates.

Every CSRF token on the page is CSRF_PLACEHOLDER until the last step, so variants are
shared between learners; `tests/web/test_prepared_page.py` checks the prepared page
against a plain render for learners in many states.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import Flask, current_app, render_template, request, session
from flask_login import current_user
from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .catalog import CSRF_PLACEHOLDER
from .signed_cookies import csrf_token

MAX_VARIANTS = 256  # per slot: a part keyed by a username cannot grow without bound

# What a part's HTML depends on, besides what is the same for the whole page. A part
# not listed here is rendered on every request.
VariantKey = Callable[[dict, dict], Hashable]


def _faq_key(context: dict, values: dict) -> Hashable:
    return values["faq"].id == context.get("open_faq")


def _question_key(context: dict, values: dict) -> Hashable:
    state = context["quiz"].of(values["question"].id)
    return state.chosen, state.done


def _section_key(context: dict, values: dict) -> Hashable:
    return values["section"].id in context["progress"].reached


def _score_key(context: dict, _values: dict) -> Hashable:
    quiz = context["quiz"]
    return quiz.first_try_correct, quiz.started, quiz.to_go


def _progress_key(context: dict, _values: dict) -> Hashable:
    progress, resume = context["progress"], context.get("continue_at")
    return (progress.percent, progress.minutes_left, len(progress.tasks_done),
            resume.id if resume else None)


def _answer_progress_key(context: dict, values: dict) -> Hashable:
    return context["quiz"].of(values["question"].id).done, _progress_key(context, values)


def _task_state_key(context: dict, values: dict) -> Hashable:
    state = context["tasks"].of(values["task"].id)
    return None if state.diagnosis else state.done  # a diagnosis is this learner's own


def _task_command_key(context: dict, values: dict) -> Hashable:
    # The command carries the learner's own sandbox key: a variant per learner (as the
    # header's per username), never shown to another.
    return bool(context["task_key"]), context["task_commands"][values["task"].id]


def _verdict_key(context: dict, values: dict) -> Hashable:
    return context["quiz"].of(values["question"].id).chosen


def _sync_key(context: dict, _values: dict) -> Hashable:
    return None if context.get("sync") else "not yet"  # a time: shown once


def _nav_key(_context: dict, _values: dict) -> Hashable:
    if not current_user.is_authenticated:
        return "anonymous"
    return current_user.username, current_user.is_teacher


def _flashes_key(_context: dict, _values: dict) -> Hashable:
    return None if "_flashes" in session else "none"  # rendering them takes them


def _panel_key(context: dict, _values: dict) -> Hashable:
    """Only the blank panel is shared: a result, a notice or a history is the learner's."""
    blank = not (context["exchange"] or context["panel_error"] or context["panel_notice"]
                 or context["history"] or context["cookies"]) \
        and context["panel"] == context["blank_panel"]
    return "blank" if blank else None


def _help_key(context: dict, _values: dict) -> Hashable:
    help_ = context["help_section"]
    if help_.requests or help_.can_ask or help_.notice:
        return None
    return help_.logged_in, help_.is_teacher


VARIANT_KEYS: dict[str, VariantKey] = {
    "_site_nav.html": _nav_key,
    "_flashes.html": _flashes_key,
    "lessons/_progress.html": _progress_key,
    "lessons/_sync_status.html": _sync_key,
    "lessons/_toc_entry.html": _section_key,
    "lessons/_mark_read.html": _section_key,
    "lessons/_quiz_score.html": _score_key,
    "lessons/_question.html": _question_key,
    "lessons/_answer_progress.html": _answer_progress_key,
    "lessons/_verdict.html": _verdict_key,
    "lessons/_faq.html": _faq_key,
    "lessons/_task_state.html": _task_state_key,
    "lessons/_task_command.html": _task_command_key,
    "help/_section.html": _help_key,
    "tryit/_panel.html": _panel_key,
}


@dataclass
class Slot:
    template: Template
    values: dict
    key: VariantKey | None
    variants: dict = field(default_factory=dict)

    def fill(self, context: dict) -> str:
        variant = self.key(context, self.values) if self.key is not None else None
        if variant is not None:
            html = self.variants.get(variant)
            if html is not None:
                return html
        html = self.template.render({**context, **self.values})
        if variant is not None and len(self.variants) < MAX_VARIANTS:
            self.variants[variant] = html
        return html


@dataclass
class PreparedPage:
    pieces: list[str]  # the shared HTML between the slots: one more than slots
    slots: list[Slot]
    shared: dict  # what the page was prepared with: the parts render with it too

    def render(self, learner_values: dict) -> str:
        # Flask's context processors run, as for any rendered template.
        context = {**self.shared, **learner_values, "csrf_token": _placeholder}
        current_app.update_template_context(context)
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(slot.fill(context))
            out.append(piece)
        return _with_token("".join(out))


def _placeholder() -> str:
    return CSRF_PLACEHOLDER


class _Recorder:
    """Collects the slots while a page is prepared, leaving a marker for each."""

    def __init__(self) -> None:
        self.marker = f"\x00{secrets.token_hex(8)}\x00"  # nothing in a lesson can match
        self.slots: list[Slot] = []

    def add(self, template: Template, values: dict) -> Markup:
        self.slots.append(Slot(template, values, VARIANT_KEYS.get(template.name)))
        return Markup(self.marker)


@pass_context
def learner_part(context: Context, name: str, **values) -> Markup:
    """A part of a page that depends on the learner: a slot while a page is prepared,
    the rendered template otherwise."""
    template = context.environment.get_template(name)
    recorder = context.get("_prepared_slots")
    if recorder is not None:
        return recorder.add(template, values)
    return Markup(template.render({**context.get_all(), **values}))


def prepare(template_name: str, shared: dict) -> PreparedPage:
    """Render a page once, with a slot wherever a learner's part goes. Needs a request
    context: URLs carry its path prefix, so pages are kept per prefix (pages_for)."""
    recorder = _Recorder()
    values = {**shared, "_prepared_slots": recorder, "csrf_token": _placeholder}
    current_app.update_template_context(values)
    html = current_app.jinja_env.get_template(template_name).render(values)
    pieces = html.split(recorder.marker)
    assert len(pieces) == len(recorder.slots) + 1, "a slot marker was lost"
    return PreparedPage(pieces, recorder.slots, shared)


def prepared_page(key: Hashable, template_name: str, shared: Callable[[], dict]) -> PreparedPage:
    """The page prepared for `key` under this request's path prefix, prepared now if it
    is the first request for it since the lessons were loaded."""
    pages = current_app.extensions["prepared_pages"]  # emptied when lessons load
    full_key = (key, request.script_root)
    page = pages.get(full_key)
    if page is None:
        page = pages[full_key] = prepare(template_name, shared())
    return page


def render_prepared(key: Hashable, template_name: str, shared: Callable[[], dict],
                    learner_values: dict) -> str:
    """A page or fragment prepared once for `key`, filled in for this request; with
    PREPARED_PAGES off, rendered whole (the tests compare the two)."""
    if not current_app.config["PREPARED_PAGES"]:
        return _with_token(render_template(template_name, **shared(), **learner_values))
    return prepared_page(key, template_name, shared).render(learner_values)


def _with_token(html: str) -> str:
    """The learner's CSRF token in place of the placeholders (the presets' too)."""
    return html.replace(CSRF_PLACEHOLDER, csrf_token()) if CSRF_PLACEHOLDER in html else html


def init_app(app: Flask) -> None:
    app.jinja_env.globals["learner_part"] = learner_part
