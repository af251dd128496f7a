"""When the server cannot be reached, every action says so (JavaScript only: this is
app.js's behaviour; without JavaScript the browser shows its own error page)."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

LESSON = "/learn/python-backend/http-basics"
MESSAGE = "Could not reach the server. Check your connection and try again."
BAD_GATEWAY = "<html><body><h1>502 Bad Gateway</h1></body></html>"


def option_button(page, question: str, letter: str):
    return page.locator(f"#{question} .option-button").filter(
        has=page.locator(".option-letter", has_text=re.compile(f"^{letter}$")))


def expect_message(page, scope: str):
    """The message right at the control (inside `scope`) and in the live region."""
    expect(page.locator(f"{scope} .network-error")).to_have_text(MESSAGE)
    expect(page.locator(".network-error")).to_have_count(1)
    expect(page.locator("#network-status")).to_have_text(MESSAGE)


def expect_no_message(page):
    expect(page.locator(".network-error")).to_have_count(0)
    expect(page.locator("#network-status")).to_have_text("")


def attempts(live_app, question_id: str) -> int:
    from hyperlesson.extensions import db
    from hyperlesson.records.models import QuizAttempt

    with live_app.app_context():
        count = db.session.scalar(select(func.count()).select_from(QuizAttempt)
                                  .where(QuizAttempt.question_id == question_id))
        db.session.remove()
        return count


def reach_server_then_drop(route):
    """The request is stored by the server, but its answer never reaches the page."""
    route.fetch()
    route.abort()


def test_a_quiz_answer_that_fails_can_be_retried_and_is_stored_once(
        js_page, live_app, catalog_lesson, assert_accessible):
    page = js_page
    wrong = next(o for o in catalog_lesson.question("q2").options if not o.correct)
    page.goto(LESSON)
    before = attempts(live_app, "q2")
    button = option_button(page, "q2", wrong.letter)

    page.route("**/quiz/q2", lambda route: route.abort())
    button.click()
    expect_message(page, "#q2")
    expect(page.locator("#q2 .verdict")).to_have_count(0)
    expect(button).to_be_enabled()
    assert attempts(live_app, "q2") == before
    assert_accessible(page)
    page.unroute("**/quiz/q2")

    # Stored, but the answer is lost on the way back: the learner still sees the message.
    page.route("**/quiz/q2", reach_server_then_drop)
    button.click()
    expect_message(page, "#q2")
    expect(button).to_be_enabled()
    page.unroute("**/quiz/q2")
    assert attempts(live_app, "q2") == before + 1

    button.click()
    expect(page.locator("#q2 .verdict")).to_have_text(re.compile("^Incorrect"))
    expect_no_message(page)
    assert attempts(live_app, "q2") == before + 1


def test_a_bad_gateway_never_blanks_a_question(js_page, catalog_lesson):
    page = js_page
    right = catalog_lesson.question("q1").correct_key.upper()
    page.goto(LESSON)
    page.route("**/quiz/q1", lambda route: route.fulfill(
        status=502, body=BAD_GATEWAY, content_type="text/html"))
    option_button(page, "q1", right).click()
    expect_message(page, "#q1")
    expect(page.locator("#q1 .option-button")).to_have_count(
        len(catalog_lesson.question("q1").options))
    expect(page.locator("body")).not_to_contain_text("Bad Gateway")
    page.unroute("**/quiz/q1")
    option_button(page, "q1", right).click()
    expect(page.locator("#q1 .verdict")).to_have_text(re.compile("^Correct"))
    expect_no_message(page)


def test_an_faq_entry_says_so_and_opens_on_the_next_try(js_page, assert_accessible):
    page = js_page
    page.goto(LESSON)
    toggle = page.locator("#faq-1 .faq-toggle")
    page.route("**/faq/**", lambda route: route.abort())
    toggle.click()
    expect_message(page, "#faq-1")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_enabled()
    assert_accessible(page)
    page.unroute("**/faq/**")
    toggle.click()
    expect(page.locator("#faq-1 .faq-toggle")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#faq-1-answer")).to_contain_text("TLS")
    expect_no_message(page)

    # Closing meets a proxy's 502: the entry stays open, never blank.
    page.route("**/faq/**", lambda route: route.fulfill(status=502, body=BAD_GATEWAY))
    page.locator("#faq-1 .faq-toggle").click()
    expect_message(page, "#faq-1")
    expect(page.locator("#faq-1-answer")).to_contain_text("TLS")
    page.unroute("**/faq/**")
    page.locator("#faq-1 .faq-toggle").click()
    expect(page.locator("#faq-1 .faq-toggle")).to_have_attribute("aria-expanded", "false")
    expect_no_message(page)


def test_start_over_with_an_empty_502_keeps_the_answers(js_page, catalog_lesson):
    page = js_page
    wrong = next(o for o in catalog_lesson.question("q3").options if not o.correct)
    page.goto(LESSON)
    option_button(page, "q3", wrong.letter).click()
    expect(page.locator("#q3 .verdict")).to_have_text(re.compile("^Incorrect"))

    page.route("**/quiz/start-over", lambda route: route.fulfill(status=502, body=""))
    start_over = page.get_by_role("button", name="Start over")
    start_over.click()
    expect_message(page, "#quiz")
    expect(page.locator("#q3 .verdict")).to_have_count(1)
    expect(start_over).to_be_enabled()
    page.unroute("**/quiz/start-over")
    start_over.click()
    expect(page.locator("#q3 .verdict")).to_have_count(0)
    expect(page.locator("#quiz-score")).to_have_text("0 of 6 correct on the first try")
    expect_no_message(page)


def test_the_tryit_panel_keeps_what_was_typed(js_page, assert_accessible):
    page = js_page
    page.goto("/tryit")
    panel = page.locator("#tryit")
    panel.get_by_label("Method").select_option("POST")
    panel.get_by_label("Path and query").fill("/sandbox/anything?typed=1")
    panel.get_by_label("Body").fill('{"kept": true}')
    send = panel.get_by_role("button", name="Send", exact=True)

    page.route("**/tryit/send", lambda route: route.abort("internetdisconnected"))
    send.click()
    expect_message(page, "#tryit")
    expect(send).to_be_enabled()
    expect(panel.get_by_label("Path and query")).to_have_value("/sandbox/anything?typed=1")
    expect(panel.get_by_label("Body")).to_have_value('{"kept": true}')
    expect(panel.get_by_label("Method")).to_have_value("POST")
    assert_accessible(page)
    page.unroute("**/tryit/send")

    send.click()
    expect(page.locator("#tryit .status-line")).to_have_text("200 OK")
    expect(page.locator("#tryit .response-body")).to_contain_text("kept")
    expect_no_message(page)


def test_a_reset_that_times_out_says_so(js_page):
    page = js_page
    page.goto("/tryit")
    # The real timeout is 15 s; the same path, sooner. The request is never answered.
    page.evaluate("htmx.config.defaultTimeout = 500")
    page.route("**/tryit/reset", lambda route: None)
    reset = page.get_by_role("button", name="Reset my sandbox data")
    reset.click()
    expect_message(page, "#tryit")
    expect(reset).to_be_enabled()
    page.unroute_all(behavior="ignoreErrors")
    page.evaluate("htmx.config.defaultTimeout = 15000")
    reset.click()
    expect(page.locator("#tryit .notice")).to_have_text(
        "Your sandbox data is back to the sample users.")
    expect_no_message(page)


def test_reading_progress_keeps_its_own_message(js_page):
    page = js_page
    page.route("**/reached", lambda route: route.abort())
    page.goto(LESSON)
    page.locator(".mark-read button").first.click()
    expect(page.locator("#sync-status")).to_have_text("Not synced — retrying")
    expect(page.locator(".network-error")).to_have_count(0)
    expect(page.locator("#network-status")).to_have_text("")


def test_a_stopped_server_is_said_and_a_restarted_one_stores_the_answer_once(
        browser, live_app, catalog_lesson):
    """The real thing: the server goes away mid-lesson (no route trick), then comes
    back on the same address."""
    import threading

    from werkzeug.serving import make_server

    def serve(port: int = 0):
        server = make_server("127.0.0.1", port, live_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    server = serve()
    port = server.server_port
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    page = context.new_page()
    try:
        page.goto(LESSON)
        right = catalog_lesson.question("q3").correct_key.upper()
        before = attempts(live_app, "q3")
        server.shutdown()
        server.server_close()
        option_button(page, "q3", right).click()
        expect_message(page, "#q3")
        server = serve(port)
        option_button(page, "q3", right).click()
        expect(page.locator("#q3 .verdict")).to_contain_text("Correct")
        expect_no_message(page)
        assert attempts(live_app, "q3") == before + 1
    finally:
        server.shutdown()
        server.server_close()
        context.close()
