"""The quiz and FAQ parts of a lesson file: `# Quiz` and `# FAQ` with their `##` entries.

A mixin of the lesson parser: it uses the parser's tokens, problem list and renderer.
"""

from __future__ import annotations

import re

from .model import FaqEntry, Option, Question
from .render import render_heading, render_tokens

_OPTION_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s+(.*)$")
# An id of its own keeps learners' answers (or FAQ answers opened) with their entry when
# the author inserts or reorders entries: the default id is the entry's position.
ENTRY_ID = {"question": re.compile(r"^q-[a-z0-9][a-z0-9-]*$"),
            "FAQ entry": re.compile(r"^faq-[a-z0-9][a-z0-9-]*$")}
ENTRY_ID_LENGTH = 60


class QuizParsing:
    def _questions(self, tokens, ranges) -> list[Question]:
        questions = []
        for heading, start, end in self._groups(tokens, ranges):
            if heading is None:
                if any(t.type != "hr" for t in tokens[start:end] if t.level == 0):
                    self.problem(self.line_of(tokens[start]),
                                 "under '# Quiz', start each question with a '## ' heading")
                continue
            question = self._question(tokens, heading, start, end, len(questions) + 1)
            if question is not None:
                questions.append(question)
        return questions

    def _question(self, tokens, heading, start, end, number) -> Question | None:
        line = self.line_of(tokens[heading])
        list_start = next((i for i in range(start, end) if tokens[i].level == 0
                           and tokens[i].type in ("bullet_list_open", "ordered_list_open")), None)
        if list_start is None:
            self.problem(line, f"question {number} has no options: add a list of '- [ ] ...'")
            return None
        list_end = next(i for i in range(list_start, end) if tokens[i].level == 0
                        and tokens[i].type in ("bullet_list_close", "ordered_list_close"))
        if list_end + 1 < end:
            self.problem(self.line_of(tokens[list_end + 1]), f"question {number}: only its "
                         "options may follow them; indent an explanation under its option")
        text, explicit = self._heading(tokens, heading)
        prompt, _ = render_heading(self.ctx.md, text, self.env())
        prompt_html = (f"<p>{prompt}</p>"
                       + render_tokens(self.ctx.md, tokens[start:list_start], self.env()))
        items = [i for i in range(list_start, list_end) if tokens[i].type == "list_item_open"
                 and tokens[i].level == 1]
        options = [o for k, i in enumerate(items) if (o := self._option(tokens, i, k)) is not None]
        if len(items) < 2:
            self.problem(line, f"question {number} has fewer than two options")
        correct = sum(option.correct for option in options)
        if options and len(options) == len(items) and correct == 0:
            self.problem(line, f"question {number} has no correct answer: mark one with [x]")
        if correct > 1:
            self.problem(line, f"question {number} has {correct} correct answers; mark only one")
        question_id = self._entry_id("question", explicit, line) or f"q{number}"
        self._claim(question_id, f"question {number}", line)
        return Question(question_id, number, prompt_html, tuple(options))

    def _option(self, tokens, start: int, index: int) -> Option | None:
        """The option whose list item opens at tokens[start], rendered from the tokens the
        body was parsed into (parsing each explanation again would double start-up)."""
        item = tokens[start]
        end = next(i for i in range(start + 1, len(tokens))
                   if tokens[i].type == "list_item_close" and tokens[i].level == item.level)
        line = self.offset + item.map[0] + 1
        letter = chr(ord("A") + index)
        match = _OPTION_MARK.match(self.body_lines[item.map[0]])
        first = tokens[start + 2] if start + 2 < end else None
        if match is None or first is None or first.type != "inline":
            self.problem(line, f"option {letter}: start it with '[x] ' (correct) or '[ ] '")
            return None
        # The label is the first line; lines under it, and blocks after, explain it.
        children = list(first.children or [])
        split = next((i for i, c in enumerate(children) if c.type in ("softbreak", "hardbreak")),
                     len(children))
        label_children, rest = children[:split], children[split + 1:]
        label_children[0] = label_children[0].copy(
            content=label_children[0].content.split("]", 1)[1].lstrip())
        blocks = tokens[start + 4:end]  # after the first paragraph's close
        for token in blocks:
            if token.type.startswith("paragraph_") and token.level == item.level + 1:
                token.hidden = False  # a tight list hides <p>; an explanation needs it
        env, render_inline = self.env(), self.ctx.md.renderer.renderInline
        explanation = ""
        if rest:
            explanation = f"<p>{render_inline(rest, self.ctx.md.options, env)}</p>\n"
        explanation += render_tokens(self.ctx.md, blocks, env)
        if not explanation.strip():
            self.problem(line, f"option {letter} has no explanation: indent one under it")
            return None
        label = match.group(2).strip()
        return Option(letter.lower(), render_inline(label_children, self.ctx.md.options, env),
                      explanation, match.group(1) != " ", _plain(label))

    def _faqs(self, tokens, ranges) -> list[FaqEntry]:
        faqs = []
        for heading, start, end in self._groups(tokens, ranges):
            if heading is None:
                if any(t.level == 0 and t.type != "hr" for t in tokens[start:end]):
                    self.problem(self.line_of(tokens[start]),
                                 "under '# FAQ', start each question with a '## ' heading")
                continue
            text, explicit = self._heading(tokens, heading)
            question_html, question = render_heading(self.ctx.md, text, self.env(),
                                                     links=False)
            answer = render_tokens(self.ctx.md, tokens[start:end], self.env())
            line = self.line_of(tokens[heading])
            if not answer.strip():
                self.problem(line, f"FAQ '{question}' has no answer")
                continue
            faq_id = self._entry_id("FAQ entry", explicit, line) or f"faq-{len(faqs) + 1}"
            self._claim(faq_id, f"FAQ '{question}'", line)
            faqs.append(FaqEntry(faq_id, question, answer, question_html))
        return faqs

    def _entry_id(self, kind: str, explicit: str | None, line: int) -> str | None:
        """The id the author gave the entry, if it is one the page can use."""
        if explicit is None:
            return None
        prefix, article = ("q-", "a") if kind == "question" else ("faq-", "an")
        if not ENTRY_ID[kind].match(explicit):
            self.problem(line, f"{article} {kind}'s id starts with '{prefix}' and has "
                         f"lowercase letters, digits and '-' only: {{#{prefix}your-id}}")
        elif len(explicit) > ENTRY_ID_LENGTH:
            self.problem(line, f"{article} {kind}'s id has at most {ENTRY_ID_LENGTH} "
                         "characters")
        return explicit

    def _claim(self, entry_id: str, what: str, line: int) -> None:
        """Every id is an element's id on the page (sections' too): no two the same."""
        taken = self.ids_taken.get(entry_id)
        if taken is not None:
            self.problem(line, f"duplicate id '{entry_id}': already the id of {taken}")
        else:
            self.ids_taken[entry_id] = what


def _plain(markdown_inline: str) -> str:
    """Inline Markdown as plain text: code spans and emphasis lose their marks."""
    return re.sub(r"[`*_]", "", markdown_inline).strip()


