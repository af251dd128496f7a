"""Reading a lesson in Chromium: the table of contents jumps, pages pass axe-core."""

from __future__ import annotations

import re

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


def percent(page) -> int:
    return int(page.locator("#progress .progress-percent").inner_text().rstrip("%"))


def assert_nothing_read(page, after_ms: int = 2000) -> None:
    page.wait_for_timeout(after_ms)  # time enough for any read to be sent
    assert percent(page) == 0
    expect(page.locator(".read-note")).to_have_count(0)
    expect(page.locator("#toc li.is-reached")).to_have_count(0)


def test_a_jump_through_the_contents_counts_nothing(js_page):
    js_page.goto(LESSON)
    js_page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Frequently asked questions").click()
    expect(js_page.locator("#faq")).to_be_in_viewport()
    assert_nothing_read(js_page)


def test_a_preset_click_counts_nothing(js_page):
    js_page.goto(LESSON)
    js_page.locator("form.preset").first.get_by_role("button").click()
    expect(js_page.locator("#tryit .status-line")).to_have_text("200 OK")
    assert_nothing_read(js_page)


def test_a_fast_fling_counts_nothing(js_page, reading_share):
    reading_share(0.02)  # about a second or two per section
    js_page.goto(LESSON)
    js_page.mouse.move(640, 400)
    for _ in range(40):
        js_page.mouse.wheel(0, 600)
        js_page.wait_for_timeout(30)
    assert js_page.evaluate("window.scrollY") > 5000
    assert_nothing_read(js_page, after_ms=1500)


def test_reading_at_a_normal_pace_counts_each_section(js_page, reading_share):
    reading_share(0.02)  # 1.2 to 2.4 seconds for http-basics' sections
    js_page.goto(LESSON)
    sections = js_page.locator(".lesson-section")
    for index in range(sections.count()):
        section = sections.nth(index)
        section.locator("h2").evaluate("h => h.scrollIntoView({block: 'start'})")
        # Scroll down a little every half second, as a reader does, to the section's end,
        # and read its last lines there.
        mark = section.locator(".mark-read")
        js_page.mouse.move(400, 400)
        for _ in range(40):
            if mark.evaluate("el => el.getBoundingClientRect().bottom < innerHeight"):
                break
            js_page.mouse.wheel(0, 120)
            js_page.wait_for_timeout(500)
        expect(mark).to_contain_text("✓ Read", timeout=10_000)
    assert percent(js_page) > 60
    expect(js_page.locator("#toc li.is-reached")).to_have_count(sections.count())


def test_after_a_reload_the_synced_line_shows_the_last_sync(learner):
    learner.goto(LESSON)
    expect(learner.locator("#sync-status")).to_have_text("")  # nothing stored yet
    learner.locator("#read-what-is-http").get_by_role("button", name="Mark as read").click()
    expect(learner.locator("#read-what-is-http")).to_contain_text("✓ Read")
    learner.reload()
    expect(learner.locator("#sync-status")).to_have_text(re.compile(r"^Synced \d"))
    if not learner.javascript:
        expect(learner.locator("#sync-status")).to_contain_text("UTC")
