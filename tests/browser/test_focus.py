"""Keyboard only, with JavaScript: a swap never drops the focus to <body>, the focused
element shows its ring, and what a swap says reaches the page's one live region."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LESSON = "/learn/python-backend/http-basics"

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {body: element === document.body || element === null, id: element.id,
            className: element.className, text: element.textContent.trim(),
            outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
            boxShadow: style.boxShadow};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def assert_ring(state: dict) -> None:
    assert not state["body"], state
    ring = state["outlineStyle"] != "none" and state["outlineWidth"] != "0px"
    assert ring or state["boxShadow"] != "none", state


def wait_for_focus(page, selector: str) -> dict:
    page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)",
                           arg=selector, timeout=5_000)
    return focused(page)


def test_mark_as_read_by_keyboard_moves_the_focus_to_read(js_page):
    page = js_page
    page.goto(LESSON)
    # Tab through the lesson until the focus reaches a section's end; pressing "Mark as
    # read" records the section (tabbing past is not reading), and it becomes "✓ Read".
    for _ in range(400):
        page.keyboard.press("Tab")
        mark = page.evaluate("document.activeElement.closest('.mark-read')?.id || ''")
        if mark:
            break
    else:
        raise AssertionError("Tab never reached a 'Mark as read' button")
    page.keyboard.press("Enter")
    state = wait_for_focus(page, f"#{mark} .read-note")
    assert state["text"] == "✓ Read"
    assert_ring(state)
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    page.wait_for_timeout(300)  # nothing later takes the focus away
    assert page.evaluate(f"document.activeElement.matches('#{mark} .read-note')")
    # The next Tab goes on from there, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(f"""() => {{
        const note = document.querySelector('#{mark} .read-note');
        return Boolean(note.compareDocumentPosition(document.activeElement)
                       & Node.DOCUMENT_POSITION_FOLLOWING);
    }}""")
    assert_ring(focused(page))


def test_keyboard_answer_and_start_over_keep_the_focus_and_announce(js_page):
    page = js_page
    page.goto(LESSON)
    page.locator("#q1 .option-button").first.focus()
    page.keyboard.press("Space")
    expect(page.locator("#q1 .verdict")).to_have_count(1)
    expect(page.locator("#announcer")).to_contain_text(re.compile("^Question 1: "))
    assert not focused(page)["body"]
    start_over = page.get_by_role("button", name="Start over")
    start_over.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q1 .verdict")).to_have_count(0)
    state = wait_for_focus(page, "#quiz-title")
    assert state["text"] == "Test your knowledge"
    assert_ring(state)
    expect(page.locator("#announcer")).to_have_text("Your answers were cleared.")
    expect(page.locator("#network-status")).to_have_text("")
    # The page keeps one live region: the quiz's own line is not one.
    assert page.locator("#quiz [aria-live], #quiz [role=status]").count() == 0
    # Start over twice: the same words are announced again.
    page.keyboard.press("Shift+Tab")
    page.get_by_role("button", name="Start over").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("")
    expect(page.locator("#announcer")).to_have_text("Your answers were cleared.")
    assert_ring(wait_for_focus(page, "#quiz-title"))


def test_keyboard_sandbox_reset_focuses_and_announces_the_notice(js_page):
    page = js_page
    page.goto("/tryit")
    page.get_by_role("button", name="Reset my sandbox data").focus()
    page.keyboard.press("Space")
    state = wait_for_focus(page, "#tryit .notice")
    assert state["text"] == "Your sandbox data is back to the sample users."
    assert_ring(state)
    expect(page.locator("#announcer")).to_have_text(
        "Your sandbox data is back to the sample users.")
    assert page.locator("#tryit [aria-live], #tryit [role=status]").count() == 0


def test_keyboard_send_focuses_the_result_with_its_status(js_page):
    page = js_page
    page.goto("/tryit")
    path = page.get_by_label("Path and query")
    path.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("/sandbox/users/1")
    page.keyboard.press("Enter")
    expect(page.locator("#tryit .status-line")).to_have_text("200 OK")
    state = wait_for_focus(page, "#tryit-result")
    assert_ring(state)
    result = page.locator("#tryit-result")
    expect(result).to_have_accessible_name("Response")
    expect(result).to_have_accessible_description("200 OK")


def test_keyboard_refused_request_keeps_the_focus_in_the_field(js_page):
    page = js_page
    page.goto("/tryit")
    page.get_by_label("Path and query").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("http://10.0.0.1/admin")
    page.keyboard.press("Enter")
    expect(page.locator("#tryit [role=alert]")).to_contain_text("/sandbox/")
    # The field is in the new panel too: the focus stays there, to correct the path.
    assert_ring(wait_for_focus(page, "#tryit-path"))
    expect(page.locator("#tryit-path")).to_have_value("http://10.0.0.1/admin")


def test_an_faq_answer_opens_and_closes_from_the_keyboard(js_page):
    page = js_page
    page.goto(LESSON)
    toggle = page.locator("#faq-1 .faq-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#faq-1 .faq-toggle")).to_have_attribute("aria-expanded", "true")
    assert_ring(wait_for_focus(page, "#faq-1 .faq-toggle"))
    page.keyboard.press("Space")
    expect(page.locator("#faq-1 .faq-toggle")).to_have_attribute("aria-expanded", "false")
    assert_ring(wait_for_focus(page, "#faq-1 .faq-toggle"))


def test_a_wrong_then_right_answer_keeps_the_focus_in_the_question(js_page, catalog_lesson):
    page = js_page
    page.goto(LESSON)
    question = catalog_lesson.question("q4")
    wrong = next(o for o in question.options if not o.correct)
    page.locator("#q4 .option-button").nth(question.options.index(wrong)).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q4 .verdict")).to_contain_text("Incorrect")
    assert_ring(wait_for_focus(page, "#q4 *"))
    right = question.options.index(next(o for o in question.options if o.correct))
    page.locator("#q4 .option-button").nth(right).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q4 .verdict")).to_contain_text("Correct")
    assert_ring(wait_for_focus(page, "#q4 *"))
