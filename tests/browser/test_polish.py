"""What screenshots showed, checked in Chromium: frames, wrapping, gaps, scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_contrast import contrast

LESSON = "/learn/python-backend/http-basics"
# The lines an element's text takes: one rectangle per line it wraps onto.
LINES = """el => { const range = document.createRange(); range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size; }"""


@pytest.fixture(params=["light", "dark"])
def phone(request, browser, live_server):
    context = browser.new_context(base_url=live_server, color_scheme=request.param,
                                  viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


def test_a_quiz_question_has_no_fieldset_frame(js_page):
    js_page.goto(LESSON)
    frame = js_page.locator("#q1 fieldset").evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderTopStyle, s.paddingLeft]; }")
    assert frame == ["none", "0px"]


def test_the_first_paragraph_follows_the_summary_closely(js_page):
    js_page.goto(LESSON)
    summary = js_page.locator(".lesson-head .lede").bounding_box()
    first = js_page.locator(".lesson-body > p").first.bounding_box()
    gap = first["y"] - (summary["y"] + summary["height"])
    assert 0 < gap <= 32, f"{gap}px between the summary and the first paragraph"


def test_the_progress_track_shows_at_zero(phone):
    phone.goto(LESSON)
    bar = phone.locator(".progress-card progress")
    assert bar.evaluate("el => el.value") == 0
    track = bar.evaluate("el => getComputedStyle(el).backgroundColor")
    card = phone.locator(".progress-card").evaluate("el => getComputedStyle(el).backgroundColor")
    assert contrast(track, card) >= 1.25, f"track {track} on card {card}"


def test_header_names_do_not_break_mid_word_on_a_phone(phone):
    phone.goto("/tryit")
    phone.get_by_label("Path and query").fill("/sandbox/etag/lesson-1")
    phone.get_by_role("button", name="Send", exact=True).click()
    names = phone.locator("#tryit .header-table td:first-child code")
    expect(names.first).to_be_visible()
    for index in range(names.count()):
        rects = names.nth(index).evaluate(LINES)
        assert rects == 1, f"{names.nth(index).inner_text()} wraps onto {rects} lines"


def test_send_again_leaves_no_orphan_words_on_a_phone(phone):
    phone.goto("/tryit")
    phone.get_by_label("Path and query").fill("/sandbox/etag/lesson-1")
    phone.get_by_role("button", name="Send", exact=True).click()
    button = phone.get_by_role("button", name="Send again with If-None-Match")
    expect(button).to_be_visible()
    assert button.evaluate(LINES) == 1, "the button's label wraps"
    # Nothing of the sentence is left after the button on a line of its own.
    after = button.evaluate("el => el.nextSibling ? el.nextSibling.textContent.trim() : ''")
    assert after == ""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_page_that_loads_at_an_anchor_is_there_at_once(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{LESSON}#faq")
    top = page.locator("#faq").evaluate("el => el.getBoundingClientRect().top")
    assert abs(top) < 40, f"the FAQ is {top}px away: the page is still scrolling"
    context.close()


def test_no_smooth_scrolling_for_reduced_motion(browser, live_server):
    context = browser.new_context(base_url=live_server, reduced_motion="reduce")
    page = context.new_page()
    page.goto(LESSON)
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Frequently asked questions").click()
    top = page.locator("#faq").evaluate("el => el.getBoundingClientRect().top")
    assert abs(top) < 40, f"the FAQ is {top}px away: the page is still scrolling"
    context.close()


def test_a_contents_link_still_scrolls_smoothly(js_page):
    js_page.goto(LESSON)
    js_page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Frequently asked questions").click()
    top = js_page.locator("#faq").evaluate("el => el.getBoundingClientRect().top")
    assert top > 200, "the jump was instant: no smooth scrolling for a clicked link"
    expect(js_page.locator("#faq")).to_be_in_viewport()
