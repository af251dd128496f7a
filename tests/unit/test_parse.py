"""The lesson parser: a valid file becomes a Lesson; each mistake is named with its line."""

from __future__ import annotations

import pytest

from hyperlesson.content.parse import LessonContext, parse_lesson

from .lesson_files import VALID, edit, line_of


def parse(text: str, **ctx):
    return parse_lesson(text, "lessons/t/sample.md", LessonContext(track_slug="t", **ctx))


def messages(text: str, **ctx) -> list[str]:
    lesson, problems = parse(text, **ctx)
    assert lesson is None, "a file with problems must not become a lesson"
    return [f"{p.line}: {p.message}" for p in problems]


def test_valid_lesson_has_sections_quiz_faq_and_presets():
    lesson, problems = parse(VALID)
    assert problems == []
    assert (lesson.slug, lesson.title, lesson.order) == ("sample", "Sample lesson", 1)
    assert [s.id for s in lesson.sections] == ["first-section", "second"]
    assert [s.title for s in lesson.sections] == ["First section", "Second part"]
    assert lesson.intro_html.strip() == "<p>An introduction.</p>"
    assert '<span class="tok-nb">print</span>' in lesson.sections[0].html  # Pygments ran
    assert "<table>" in lesson.sections[1].html
    (preset,) = lesson.sections[1].presets
    assert (preset.method, preset.path, preset.body) == ("POST", "/sandbox/users",
                                                        '{"name": "Ada"}')
    assert preset.headers == (("Content-Type", "application/json"),)
    (question,) = lesson.questions
    assert question.id == "q1" and question.correct_key == "b"
    assert [o.letter for o in question.options] == ["A", "B"]
    assert "remainder" in question.option("a").explanation_html
    assert lesson.faqs[0].question == "Why numbers?"
    assert "easy to check" in lesson.faqs[0].answer_html


def test_raw_html_is_shown_as_text_not_markup():
    lesson, _ = parse(edit("Some words in the first section.",
                           "Some <script>alert(1)</script> words."))
    assert "<script>" not in lesson.sections[0].html
    assert "&lt;script&gt;" in lesson.sections[0].html


def test_reading_time_counts_words_and_code():
    words = " ".join(["word"] * 400)
    lesson, _ = parse(edit("Some words in the first section.", words))
    assert lesson.sections[0].seconds >= 120  # 400 words at 200 a minute
    assert lesson.minutes >= 2


def test_images_resolve_next_to_the_lesson():
    text = edit("An introduction.", "![A diagram](diagram.png)")
    lesson, problems = parse(text, resolve_image=lambda src: f"/assets/{src}")
    assert problems == []
    assert 'src="/assets/diagram.png"' in lesson.intro_html


@pytest.mark.parametrize(("text", "needle", "message"), [
    (edit("title: Sample lesson\n", ""), "---", "missing title"),
    (edit("summary: A lesson used by the tests.\n",
          "summary: A lesson used by the tests.\ncolour: blue\n"), "colour",
     "unknown key 'colour'"),
    (edit("order: 1", "order: first"), "order:", "order must be a whole number"),
    (edit("title: Sample lesson", "title: [unclosed"), "order:", "bad YAML"),
    (edit("## Second part {#second}", "## Again {#first-section}"), "{#first-section}",
     "duplicate section id 'first-section'"),
    (edit("- [x] 4", "- [ ] 4"), "## Which number", "has no correct answer"),
    (edit("- [ ] 3\n  Three leaves a remainder of one when divided by two.\n", ""),
     "## Which number", "fewer than two options"),
    (edit("- [ ] 3", "- 3"), "- 3", "option A: start it with '[x] '"),
    (edit("  Four divides by two with nothing left over.\n", ""), "- [x] 4",
     "option B has no explanation"),
    (edit("POST /sandbox/users", "FETCH /sandbox/users"), "FETCH", "unknown method 'FETCH'"),
    (edit("POST /sandbox/users", "POST http://example.com/"), "POST http",
     "the path must start with /sandbox/"),
    (edit("Content-Type: application/json", "Content Type = json"), "Content Type",
     "expected a header line"),
    # A preset is checked by the panel's own rules, so a learner never gets a refusal.
    (edit("Content-Type: application/json", "Content-Type: application/json\nX_Sandbox_Key: a"),
     "X_Sandbox_Key", "the try-it panel would refuse it: X_Sandbox_Key has an underscore"),
    (edit("Content-Type: application/json", "Host: intranet"), "Host: intranet",
     "Host is set by the server"),
    (edit("POST /sandbox/users", "POST /sandbox/../admin"), "POST /sandbox/..",
     "would refuse it: The path contains a '..' segment"),
    (edit("POST /sandbox/users", "HEAD /sandbox/users"), '{"name": "Ada"}',
     "would refuse it: A HEAD request has no body"),
    (edit("# Quiz", "# Exercises"), "# Exercises", "only for '# Quiz' or '# FAQ'"),
    (edit("POST /sandbox/users", "# expect: 2O1\nPOST /sandbox/users"), "# expect",
     "a line before the request line can only be '# expect: NNN'"),
    (edit("POST /sandbox/users", "# expect: 700\nPOST /sandbox/users"), "# expect",
     "from 100 to 599"),
    (edit("POST /sandbox/users", "# expect: 201\n# expect: 200\nPOST /sandbox/users"),
     "# expect: 200", "write '# expect: NNN' once"),
    (edit("Content-Type: application/json", "# expect: 201\nContent-Type: json"),
     "# expect: 201", "expected a header line"),
    (edit("order: 1", "order: 1\ndraft: yes please"), "draft:", "draft must be true or false"),
    (edit("order: 1", "order: 1\nsources: RFC 9110"), "sources:", "sources must be a list"),
    (edit("order: 1", "order: 1\nsources:\n  - title: RFC 9110\n    url: javascript:alert(1)"),
     "sources:", "source 1: url must be a web address"),
    (edit("order: 1", "order: 1\nsources:\n  - url: https://www.rfc-editor.org/rfc/rfc9110"),
     "sources:", "source 1: missing title"),
    (edit("order: 1", "order: 1\nsources:\n  - title: A\n    url: https://a.example/\n"
                      "  - title: B\n    link: https://b.example/"),
     "sources:", "source 2: unknown key 'link'"),
    (edit("order: 1", "order: 1\nsources:\n  - title: A\n    url: https://a.example/<x>"),
     "sources:", "has characters a web address cannot have"),
    (edit("Because they are easy to check.", ""), "## Why numbers?", "has no answer"),
])
def test_each_mistake_is_reported_with_its_line(text, needle, message):
    found = messages(text)
    expected_line = line_of(needle, text)
    assert any(m.startswith(f"{expected_line}: ") and message in m for m in found), found


def test_sources_draft_and_expected_status_are_read():
    text = edit("order: 1", "order: 1\ndraft: true\nsources:\n"
                "  - title: RFC 9110, section 15.5.5\n"
                "    url: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
                edit("POST /sandbox/users", "# expect: 201\nPOST /sandbox/users"))
    lesson, problems = parse(text)
    assert problems == []
    assert lesson.draft is True
    assert [(s.title, s.url) for s in lesson.sources] == [
        ("RFC 9110, section 15.5.5", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5")]
    (preset,) = lesson.sections[1].presets
    assert (preset.expect, preset.request_line) == (201, "POST /sandbox/users")
    assert "expect" not in lesson.sections[1].html  # a note for the tests, not the learner
    plain, _ = parse(VALID)
    assert plain.draft is False and plain.sources == ()
    assert plain.sections[1].presets[0].expect is None


def test_missing_front_matter_is_line_one():
    assert messages("# Just markdown\n") == [
        "1: missing front matter: start the file with a '---' line, then title, order and "
        "summary, then another '---' line"]


@pytest.mark.parametrize(("written", "name"), [
    ("My%20diagram.png", "My diagram.png"),  # a space, as Markdown URLs write it
    ("<My diagram.png>", "My diagram.png"),
    ("\u0441\u0445\u0435\u043c\u0430.png", "\u0441\u0445\u0435\u043c\u0430.png"),
    ("caf%C3%A9.png", "caf\u00e9.png"),
])
def test_image_names_are_looked_up_as_files_are_named(written, name):
    """markdown-it hands over the URL percent-encoded: a file 'My diagram.png', or one
    named in Cyrillic, was reported "not found" although it sat next to the lesson."""
    text = edit("An introduction.", f"![A diagram]({written})")
    looked_up = []
    lesson, problems = parse(text, image_exists=lambda src: looked_up.append(src) or True,
                             resolve_image=lambda src: f"/assets/{src}")
    assert problems == [] and looked_up == [name]
    assert f'src="/assets/{name}"' in lesson.intro_html


SCHEME = "\u0441\u0445\u0435\u043c\u0430.png"  # "scheme" in Russian


def test_a_missing_image_with_an_encoded_name_is_reported_on_its_line():
    text = edit("An introduction.", f"Some text.\n\n![A diagram]({SCHEME})")
    found = messages(text, image_exists=lambda src: False)
    assert f"{line_of(SCHEME, text)}: image '{SCHEME}' not found next to the lesson" in found


def test_missing_image_is_reported():
    text = edit("An introduction.", "![A diagram](missing.png)")
    found = messages(text, image_exists=lambda src: False)
    assert f"{line_of('missing.png', text)}: image 'missing.png' not found next to the lesson" \
        in found


@pytest.mark.parametrize("heading", ["## Second part {#quiz}", "## Help", "## Help requests"])
def test_section_may_not_take_an_id_the_page_uses(heading):
    text = edit("## Second part {#second}", heading)
    assert any("used by the page itself" in m for m in messages(text))


def test_tables_and_code_blocks_are_named_for_assistive_technology():
    third = ("## Third\n\n| `Code` | *Meaning* |\n|---|---|\n| 1 | 2 |\n\n"
             "| a | b |\n|---|---|\n| 3 | 4 |\n\n```\nplain\n```\n\n")
    text = VALID.replace("# Quiz", third + "# Quiz", 1)
    lesson, problems = parse(text)
    assert problems == [], problems
    first, second, third = lesson.sections
    # The scroll region is named by the table's header row, numbered only if repeated.
    assert 'role="region" aria-label="Table: a, b"' in second.html
    assert 'aria-label="Table: Code, Meaning"' in third.html
    assert 'aria-label="Table 3: a, b"' in third.html
    # A focusable block of code is a named group.
    assert '<pre tabindex="0" role="group" aria-label="Code: python">' in first.html
    assert '<pre tabindex="0" role="group" aria-label="Code example">' in third.html


def test_each_language_is_looked_up_once_and_an_unknown_one_is_plain_text(monkeypatch):
    from hyperlesson.content import render

    render._lexer.cache_clear()
    looked_up = []
    real = render.get_lexer_by_name
    monkeypatch.setattr(render, "get_lexer_by_name",
                        lambda name: looked_up.append(name) or real(name))
    text = edit('```python\nprint("hello")\n```',
                "```python\nprint(1)\n```\n\n```python\nprint(2)\n```\n\n"
                "```nosuchlang\n<b>bold?</b>\n```\n\n```nosuchlang\nagain\n```")
    lesson, problems = parse(text)
    assert problems == [] and sorted(looked_up) == ["nosuchlang", "python"]
    html = lesson.sections[0].html
    assert html.count('<span class="tok-nb">print</span>') == 2
    assert '<code class="language-nosuchlang">&lt;b&gt;bold?&lt;/b&gt;\n</code>' in html


# Answers are stored under a question's id, FAQ answers opened under an entry's: an id of
# its own keeps them with their question when the author inserts or reorders questions.

def test_a_question_and_an_faq_entry_may_have_an_id_of_their_own():
    text = edit("## Which number is even?", "## Which number is `even`? {#q-even}")
    text = edit("## Why numbers?", "## Why numbers? {#faq-why-numbers}", text)
    lesson, problems = parse(text)
    assert problems == []
    assert lesson.questions[0].id == "q-even" and lesson.questions[0].number == 1
    assert lesson.questions[0].prompt_html == "<p>Which number is <code>even</code>?</p>"
    assert (lesson.faqs[0].id, lesson.faqs[0].question) == ("faq-why-numbers", "Why numbers?")


def test_inserting_a_question_before_one_with_its_own_id_leaves_that_id():
    text = edit("## Which number is even?", "## Which number is even? {#q-even}")
    text = edit("# Quiz\n", "# Quiz\n\n## Which number is odd?\n\n- [x] 3\n  Three is odd."
                "\n- [ ] 4\n  Four is even.\n", text)
    lesson, _ = parse(text)
    assert [(q.id, q.number) for q in lesson.questions] == [("q1", 1), ("q-even", 2)]


@pytest.mark.parametrize(("heading", "message"), [
    ("## Which number is even? {#even}", "a question's id starts with 'q-'"),
    ("## Which number is even? {#q-Even}", "a question's id starts with 'q-'"),
    ("## Which number is even? {#q-second}", "already the id of"),
    ("## Which number is even? {#q-" + "x" * 80 + "}", "at most 60 characters"),
])
def test_a_question_id_that_could_clash_is_named(heading, message):
    text = edit("## Which number is even?", heading)
    text = edit("## Second part {#second}", "## Second part {#q-second}", text)
    found = messages(text)
    assert any(message in m for m in found), found


def test_two_entries_with_one_id_are_named():
    text = edit("## Why numbers?", "## Why numbers? {#faq-2}")
    text += "\n## Why not letters?\n\nThey are harder to check.\n"  # faq-2 by position
    assert any("duplicate id 'faq-2': already the id of FAQ 'Why numbers?'" in m
               for m in messages(text))
    assert any("an FAQ entry's id starts with 'faq-'" in m
               for m in messages(edit("## Why numbers?", "## Why numbers? {#faq_x}")))
