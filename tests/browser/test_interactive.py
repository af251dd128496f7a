"""A learner's flows in Chromium, with JavaScript and without: quiz, FAQ, progress."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LESSON = "/learn/python-backend/http-basics"


def option_button(page, question: str, letter: str):
    return page.locator(f"#{question} .option-button").filter(
        has=page.locator(".option-letter", has_text=re.compile(f"^{letter}$")))


def correct_and_wrong(live_app_lesson, question_id):
    question = live_app_lesson.question(question_id)
    wrong = next(o for o in question.options if not o.correct)
    return question.correct_key.upper(), wrong.letter


def test_quiz_wrong_then_right(learner, catalog_lesson, assert_accessible):
    right, wrong = correct_and_wrong(catalog_lesson, "q1")
    learner.goto(LESSON)
    expect(learner.locator("#quiz-score")).to_have_text("0 of 6 correct on the first try")
    option_button(learner, "q1", wrong).click()
    expect(learner.locator("#q1 .verdict")).to_have_text(re.compile("^Incorrect"))
    expect(learner.locator("#quiz-score")).to_contain_text("0 of 6 correct on the first try")
    if learner.javascript:
        expect(learner.locator("#quiz-announcer")).to_contain_text("Incorrect")
        assert learner.evaluate("document.activeElement.value") == wrong.lower()
    assert_accessible(learner)
    option_button(learner, "q1", right).click()
    expect(learner.locator("#q1 .verdict")).to_have_text(re.compile("^Correct"))
    expect(learner.locator("#q1")).to_have_class(re.compile("is-done"))
    expect(learner.locator("#quiz-score")).to_contain_text("5 to go")
    # A first-try right answer raises the score.
    right2, _ = correct_and_wrong(catalog_lesson, "q2")
    option_button(learner, "q2", right2).click()
    expect(learner.locator("#quiz-score")).to_contain_text("1 of 6 correct on the first try")
    assert_accessible(learner)
    learner.reload()
    expect(learner.locator("#q1 .verdict")).to_have_text(re.compile("^Correct"))
    expect(learner.locator("#quiz-score")).to_contain_text("1 of 6 correct on the first try")
    learner.get_by_role("button", name="Start over").click()
    expect(learner.locator("#quiz-score")).to_have_text("0 of 6 correct on the first try")
    expect(learner.locator("#q1 .verdict")).to_have_count(0)


def test_faq_opens_and_closes(learner, assert_accessible):
    learner.goto(LESSON)
    toggle = learner.locator("#faq-1 .faq-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    toggle = learner.locator("#faq-1 .faq-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(learner.locator("#faq-1-answer")).to_contain_text("TLS")
    assert_accessible(learner)
    toggle.click()
    expect(learner.locator("#faq-1 .faq-toggle")).to_have_attribute("aria-expanded", "false")
    expect(learner.locator("#faq-1-answer")).to_be_hidden()


def progress_percent(page) -> int:
    return int(page.locator("#progress .progress-percent").inner_text().rstrip("%"))


def test_reading_raises_progress_and_it_is_restored(learner, assert_accessible,
                                                    quick_reading):
    learner.goto(LESSON)
    assert progress_percent(learner) == 0
    if learner.javascript:
        # A section on screen long enough, its end in view, tells the server.
        for mark in learner.locator(".mark-read").all():
            mark.scroll_into_view_if_needed()
            expect(mark).to_contain_text("✓ Read")
        expect(learner.locator("#read-url-anatomy")).to_contain_text("Read")
        expect(learner.locator("#sync-status")).to_contain_text("Synced")
    else:
        for section in ("what-is-http", "the-request-response-cycle"):
            learner.locator(f"#read-{section}").get_by_role("button",
                                                            name="Mark as read").click()
            expect(learner.locator(f"#read-{section}")).to_contain_text("Read")
    reached = progress_percent(learner)
    assert reached > 0
    expect(learner.locator("#toc li.is-reached")).not_to_have_count(0)
    assert_accessible(learner)
    learner.reload()
    assert progress_percent(learner) == reached
    learner.goto("/learn/python-backend/")
    expect(learner.locator(".lesson-percent")).to_have_text(f"{reached}%")


def test_a_failed_save_says_so_and_retries(js_page, live_server, quick_reading):
    calls = {"count": 0}

    def flaky(route):
        calls["count"] += 1
        if calls["count"] == 1:
            route.abort()
        else:
            route.continue_()

    js_page.route(re.compile(r".*/sections/.*/reached$"), flaky)
    js_page.goto(LESSON)
    js_page.locator("#read-what-is-http").scroll_into_view_if_needed()
    expect(js_page.locator("#sync-status")).to_have_text("Not synced — retrying")
    expect(js_page.locator("#sync-status")).to_contain_text("Synced", timeout=10_000)
    expect(js_page.locator("#sync-status")).not_to_contain_text("Not synced")
