"""Accessible names beyond axe (issue "Accessibility beyond axe", Names): what a screen
reader's heading list and a voice user's "click A" find, by exact role and name."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LESSON = "/learn/python-backend/http-basics"
REST = "/learn/python-backend/rest-api"
FAQS = ("What is the difference between HTTP and HTTPS?", "What exactly are headers?",
        "When should I use POST and when PUT?", "Why does my browser never show me a 301?")


def test_faq_headings_are_named_by_their_question(js_page, assert_accessible):
    js_page.goto(LESSON)
    faq = js_page.locator("#faq")
    for question in FAQS:
        expect(faq.get_by_role("heading", name=question, exact=True, level=3)).to_have_count(1)
        # The +/− glyph is decoration: not part of the button's name.
        expect(faq.get_by_role("button", name=question, exact=True)).to_have_count(1)
    expect(faq.get_by_role("heading", level=3)).to_have_count(len(FAQS))
    toggle = faq.get_by_role("button", name=FAQS[0], exact=True)
    toggle.click()
    toggle = faq.get_by_role("button", name=FAQS[0], exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(faq.get_by_role("heading", name=FAQS[0], exact=True)).to_have_count(1)
    expect(js_page.locator("#faq-1-answer")).to_contain_text("TLS")
    assert_accessible(js_page)


def test_faq_without_javascript_opens_by_get(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    page = context.new_page()
    page.goto(LESSON)
    page.get_by_role("button", name=FAQS[1], exact=True).click()
    expect(page).to_have_url(re.compile(r"\?faq=faq-2#faq-2$"))
    expect(page.get_by_role("button", name=FAQS[1], exact=True)).to_have_attribute(
        "aria-expanded", "true")
    context.close()


def test_options_are_named_with_their_letter(js_page, catalog_lesson, assert_accessible):
    question = catalog_lesson.question("q1")
    wrong = next(o for o in question.options if not o.correct)
    right = next(o for o in question.options if o.correct)
    js_page.goto(LESSON)
    q1 = js_page.locator("#q1")
    for option in question.options:
        expect(q1.get_by_role("button", name=f"{option.letter} {option.label_text}",
                              exact=True)).to_have_count(1)
    q1.get_by_role("button", name=f"{wrong.letter} {wrong.label_text}", exact=True).click()
    verdict = q1.locator(".verdict")
    expect(verdict).to_have_text(
        f"Incorrect: {wrong.letter}, {wrong.label_text}, is not the right answer. Try again.")
    # The chosen option keeps its visible name; being the answer is its description.
    chosen = q1.get_by_role("button", name=f"{wrong.letter} {wrong.label_text}", exact=True)
    expect(chosen).to_be_focused()
    expect(chosen).to_have_accessible_description("Your answer, incorrect")
    assert_accessible(js_page)
    q1.get_by_role("button", name=f"{right.letter} {right.label_text}", exact=True).click()
    expect(verdict).to_have_text(f"Correct: {right.letter}, {right.label_text}, "
                                 "is the right answer.")
    expect(js_page.locator("#quiz-announcer")).to_have_text(
        f"Question 1: Correct: {right.letter}, {right.label_text}, is the right answer.")


def test_tables_and_code_blocks_have_names(js_page, assert_accessible):
    js_page.goto(REST)
    for name in ("Table: Good, Avoid",
                 "Table: Method, On the collection /users, On an item /users/42",
                 "Table: Code, When to use it"):
        region = js_page.get_by_role("region", name=name, exact=True)
        expect(region).to_have_count(1)
        expect(region.get_by_role("table")).to_have_count(1)
    expect(js_page.get_by_role("region", name=re.compile(r"^Table \d+$"))).to_have_count(0)
    expect(js_page.get_by_role("group", name="Code: python", exact=True)).to_have_count(1)
    expect(js_page.get_by_role("group", name="Code: http", exact=True)).to_have_count(1)
    # Every focusable block of code has a name.
    unnamed = js_page.evaluate("""() => [...document.querySelectorAll('pre[tabindex]')]
        .filter(p => !(p.getAttribute('aria-label') || '').trim()).length""")
    assert unnamed == 0
    expect(js_page.get_by_role("group", name=re.compile(r"^Try-it request: (GET|POST) \S"))
           .first).to_be_attached()
    assert_accessible(js_page)
    js_page.goto(LESSON)
    expect(js_page.get_by_role("region", name="Table: Code, Name, Meaning",
                               exact=True)).to_have_count(1)
    expect(js_page.get_by_role("group", name="Code example", exact=True)).to_have_count(1)
    assert_accessible(js_page)
