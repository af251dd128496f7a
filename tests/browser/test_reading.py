"""Reading a lesson in Chromium: the table of contents jumps, pages pass axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

LESSON = "/learn/python-backend/http-basics"


def test_toc_entry_scrolls_its_section_into_view(learner):
    learner.goto(LESSON)
    learner.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Status codes").click()
    expect(learner).to_have_url(f"{learner.context._impl_obj._options['baseURL']}"
                                f"{LESSON}#status-codes")
    expect(learner.locator("#status-codes")).to_be_in_viewport()


def test_pages_have_no_accessibility_violations(js_page, assert_accessible):
    for path in ("/", "/learn/python-backend/", LESSON, "/learn/python-backend/nope"):
        js_page.goto(path)
        assert_accessible(js_page)


def test_lesson_is_accessible_in_dark_mode_on_a_phone(js_page, assert_accessible):
    js_page.set_viewport_size({"width": 360, "height": 740})
    js_page.emulate_media(color_scheme="dark")
    js_page.goto(LESSON)
    assert_accessible(js_page)
    width = js_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"


def test_contents_fold_on_a_phone_and_open_with_a_tap(js_page):
    js_page.set_viewport_size({"width": 360, "height": 740})
    js_page.goto(LESSON)
    contents = js_page.get_by_role("navigation", name="On this page")
    link = contents.get_by_role("link", name="Anatomy of a URL")
    expect(link).to_be_hidden()
    contents.locator("summary").click()
    link.click()
    expect(js_page.locator("#url-anatomy")).to_be_in_viewport()
