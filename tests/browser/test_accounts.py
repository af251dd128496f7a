"""Accounts in Chromium, with JavaScript and without: sign up keeps what the browser did,
logging in elsewhere brings it back, logging out, a wrong password; axe on every form."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

LESSON = "/learn/python-backend/http-basics"
PASSWORD = "correct horse battery"
SCORE = "1 of 6 correct on the first try"


def new_username() -> str:
    """The live server's database lives for the whole session: every account is new."""
    return f"ada-{uuid.uuid4().hex[:10]}"


def option_button(page, question: str, letter: str):
    return page.locator(f"#{question} .option-button").filter(
        has=page.locator(".option-letter", has_text=re.compile(f"^{letter}$")))


def answer_right_then_wrong(page, lesson) -> None:
    """q1 right and q2 wrong on the first try: a score of 1 of 6."""
    q1, q2 = lesson.question("q1"), lesson.question("q2")
    page.goto(LESSON)
    option_button(page, "q1", q1.correct_key.upper()).click()
    expect(page.locator("#q1 .verdict")).to_have_text(re.compile("^Correct"))
    option_button(page, "q2", next(o.letter for o in q2.options if not o.correct)).click()
    expect(page.locator("#q2 .verdict")).to_have_text(re.compile("^Incorrect"))
    expect(page.locator("#quiz-score")).to_contain_text(SCORE)


def fill_signup(page, username: str, confirm: str = PASSWORD) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(confirm)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()


def fill_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.locator(".site-header").get_by_role("button", name="Log out").click()
    expect(page.locator(".flashes")).to_have_text("You are logged out.")


def expect_lesson_row(page, lesson) -> None:
    row = page.get_by_role("row").filter(has_text=lesson.title)
    expect(row).to_contain_text(SCORE)
    expect(row.get_by_role("link", name=f"Continue {lesson.title}")).to_be_visible()


def test_sign_up_keeps_the_answers_from_before(learner, catalog_lesson):
    answer_right_then_wrong(learner, catalog_lesson)
    username = new_username()
    fill_signup(learner, username)
    expect(learner).to_have_url(re.compile(r"/me$"))
    expect(learner.locator(".flashes")).to_contain_text(f"Welcome, {username}")
    expect(learner.locator(".site-header .who")).to_have_text(username)
    expect(learner.get_by_role("main")).to_contain_text(f"Logged in as {username}")
    expect_lesson_row(learner, catalog_lesson)


def test_progress_comes_back_in_another_browser(learner, browser, live_server,
                                                 catalog_lesson):
    answer_right_then_wrong(learner, catalog_lesson)
    username = new_username()
    fill_signup(learner, username)
    expect(learner).to_have_url(re.compile(r"/me$"))
    other = browser.new_context(java_script_enabled=learner.javascript, base_url=live_server)
    elsewhere = other.new_page()
    fill_login(elsewhere, username)
    expect(elsewhere.locator(".flashes")).to_contain_text(f"You are logged in as {username}")
    elsewhere.goto("/me")
    expect_lesson_row(elsewhere, catalog_lesson)
    elsewhere.goto(LESSON)
    expect(elsewhere.locator("#q1 .verdict")).to_have_text(re.compile("^Correct"))
    expect(elsewhere.locator("#q2 .verdict")).to_have_text(re.compile("^Incorrect"))
    expect(elsewhere.locator("#quiz-score")).to_contain_text(SCORE)
    other.close()


def test_log_out_from_the_header(learner):
    fill_signup(learner, new_username())
    expect(learner.locator(".site-header")).not_to_contain_text("Log in")
    log_out(learner)
    header = learner.locator(".site-header")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_have_count(0)
    learner.goto("/me")
    expect(learner).to_have_url(re.compile(r"/login\?next=/me$"))
    expect(learner.get_by_role("heading", level=1)).to_have_text("Log in")


def test_a_wrong_password_is_said_in_the_form(learner):
    username = new_username()
    fill_signup(learner, username)
    log_out(learner)
    fill_login(learner, username, "not my password")
    expect(learner).to_have_url(re.compile(r"/login$"))
    expect(learner.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(learner.get_by_role("alert")).to_have_text(
        "That username and password do not match an account.")
    expect(learner.get_by_label("Username")).to_have_value(username)
    expect(learner.get_by_label("Password")).to_have_value("")
    expect(learner.locator(".site-header .who")).to_have_count(0)


def test_a_wrong_password_marks_and_focuses_the_field(learner):
    username = new_username()
    fill_signup(learner, username)
    log_out(learner)
    fill_login(learner, username, "not my password")
    password = learner.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", re.compile("form-error"))
    if learner.javascript:
        expect(password).to_be_focused()


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser, live_server):
    context = browser.new_context(base_url=live_server, color_scheme=request.param)
    yield context.new_page()
    context.close()


def test_every_account_page_passes_axe(scheme_page, catalog_lesson):
    page = scheme_page

    def check(state: str) -> None:
        assert axe_violations(page) == [], state

    page.goto("/signup")
    check("sign-up form")
    username = new_username()
    fill_signup(page, username, confirm="something else")
    expect(page.get_by_role("alert")).to_contain_text("differ")
    check("sign-up form with an error")
    fill_signup(page, username)
    expect(page.get_by_role("main")).to_contain_text("You have not started a lesson yet")
    check("/me without lessons")
    page.goto("/me/password")
    check("change password")
    page.goto("/me/delete")
    check("delete account")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("delete account with an error")
    answer_right_then_wrong(page, catalog_lesson)
    page.goto("/me")
    expect_lesson_row(page, catalog_lesson)
    check("/me with a lesson")
    log_out(page)
    fill_login(page, username, "not my password")
    expect(page.get_by_role("alert")).to_be_visible()
    check("login form with an error")


def test_no_sideways_scrolling_at_360px(browser, live_server, catalog_lesson):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    overflow = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    answer_right_then_wrong(page, catalog_lesson)
    fill_signup(page, new_username().ljust(40, "x"))  # the longest name, in the header too
    expect_lesson_row(page, catalog_lesson)
    assert page.evaluate(overflow) <= 1, "/me"
    log_out(page)
    fill_login(page, "nobody-here", "not my password")
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.evaluate(overflow) <= 1, "/login with an error"
    context.close()
