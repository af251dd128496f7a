"""The try-it panel in Chromium, with JavaScript and without."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LESSON = "/learn/python-backend/http-basics"


def fill_and_send(page, method: str, path: str, headers=(), body: str = "",
                  follow: bool = False):
    panel = page.locator("#tryit")
    panel.get_by_label("Method").select_option(method)
    panel.get_by_label("Path and query").fill(path)
    for index, (name, value) in enumerate(headers, start=1):
        panel.get_by_label(f"Header {index} name").fill(name)
        panel.get_by_label(f"Header {index} value").fill(value)
    panel.get_by_label("Body").fill(body)
    if follow:
        panel.get_by_label("Follow redirects").check()
    panel.get_by_role("button", name="Send", exact=True).click()


def status_line(page):
    return page.locator("#tryit .status-line")


def test_requests_from_the_panel(learner, assert_accessible):
    learner.goto("/tryit")
    fill_and_send(learner, "GET", "/sandbox/users/1", [("Accept", "application/json")])
    expect(status_line(learner)).to_have_text("200 OK")
    expect(learner.locator("#tryit .response-body")).to_contain_text('"name": "Ada Lovelace"')
    assert_accessible(learner)

    fill_and_send(learner, "POST", "/sandbox/users", [("Content-Type", "application/json")],
                  '{"name": "Katherine Johnson", "email": "kj@example.com"}')
    expect(status_line(learner)).to_have_text("201 Created")
    location = learner.locator("#tryit .header-table tr", has_text="Location")
    expect(location).to_contain_text(re.compile(r"/sandbox/users/\d+"))

    fill_and_send(learner, "GET", "/sandbox/users/999")
    expect(status_line(learner)).to_have_text("404 Not Found")

    fill_and_send(learner, "GET", "/sandbox/redirect/2", follow=True)
    expect(status_line(learner)).to_have_text("200 OK")
    hops = learner.locator("#tryit .hops li")
    expect(hops).to_have_count(3)
    expect(hops.nth(0)).to_contain_text("302 Found")
    expect(hops.nth(1)).to_contain_text("302 Found")

    fill_and_send(learner, "GET", "/sandbox/etag/lesson-1")
    expect(status_line(learner)).to_have_text("200 OK")
    learner.get_by_role("button", name="Send again with If-None-Match").click()
    expect(status_line(learner)).to_have_text("304 Not Modified")
    assert_accessible(learner)
    expect(learner.locator(".tryit-history li")).to_have_count(6)
    # The history is one form with a button per run: the run clicked is the one sent.
    learner.get_by_role("button", name="Send again: GET /sandbox/users/999").click()
    expect(status_line(learner)).to_have_text("404 Not Found")
    expect(learner.get_by_label("Path and query")).to_have_value("/sandbox/users/999")
    expect(learner.locator(".tryit-history li")).to_have_count(7)


def test_a_refused_path_is_explained_in_the_panel(learner):
    learner.goto("/tryit")
    fill_and_send(learner, "GET", "http://10.0.0.1/admin")
    expect(learner.locator("#tryit [role=alert]")).to_contain_text("/sandbox/")
    expect(learner.locator("#tryit .status-line")).to_have_count(0)


def test_a_lesson_preset_fills_and_sends_the_panel(learner):
    learner.goto(LESSON)
    preset = learner.locator("form.preset").filter(has_text="GET /sandbox/users/1").first
    preset.get_by_role("button").click()
    expect(learner.get_by_label("Path and query")).to_have_value("/sandbox/users/1")
    expect(status_line(learner)).to_have_text("200 OK")
    if learner.javascript:
        expect(learner.locator("#tryit-result")).to_be_focused()
    else:  # a plain post, then the lesson again with the stored result
        assert re.search(r"\?run=\d+&section=[a-z-]+#tryit$", learner.url)
    # The result leads back to the prose the preset stood in.
    back = learner.locator("#tryit .back-link a")
    back.click()
    expect(learner.locator(back.get_attribute("href"))).to_be_in_viewport()


def test_a_resized_body_box_survives_a_send_without_a_csp_violation(js_page):
    """Resizing a textarea gives it an inline style; htmx's settle step used to copy it
    onto the new panel with setAttribute, which style-src 'self' refuses."""
    js_page.goto("/tryit")
    body = js_page.get_by_label("Body")
    body.scroll_into_view_if_needed()
    box = body.bounding_box()
    # Drag the resize grip in the bottom right corner, as a learner would.
    js_page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    js_page.mouse.down()
    js_page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] + 80, steps=5)
    js_page.mouse.up()
    assert body.get_attribute("style"), "the drag did not resize the Body box"
    fill_and_send(js_page, "GET", "/sandbox/users/1")
    expect(status_line(js_page)).to_have_text("200 OK")
    js_page.wait_for_timeout(100)  # past the settle step


def test_the_panel_keeps_cookies_like_a_browser(learner, assert_accessible):
    learner.goto("/tryit")
    jar = learner.locator("#tryit-cookies")
    expect(jar).to_contain_text("None yet")
    fill_and_send(learner, "GET", "/sandbox/cookies/set?flavour=oat")
    expect(status_line(learner)).to_have_text("302 Found")
    expect(jar.locator("li")).to_have_text(re.compile(r"flavour=oat\s*to paths under /sandbox"))
    fill_and_send(learner, "GET", "/sandbox/cookies")
    expect(learner.locator("#tryit .response-body")).to_contain_text('"flavour": "oat"')
    assert_accessible(learner)
    jar.get_by_role("button", name="Clear the panel's cookies").click()
    expect(learner.locator("#tryit-notice")).to_contain_text("cookies are cleared")
    expect(jar).to_contain_text("None yet")
    fill_and_send(learner, "GET", "/sandbox/cookies")
    expect(learner.locator("#tryit .response-body")).to_contain_text('"cookies": {}')


def test_the_newest_send_wins_over_one_in_flight(js_page):
    js_page.goto("/tryit")
    fill_and_send(js_page, "GET", "/sandbox/delay/2")
    js_page.wait_for_timeout(300)  # the slow request is on its way
    panel = js_page.locator("#tryit")
    panel.get_by_label("Path and query").fill("/sandbox/users/1")
    panel.get_by_role("button", name="Send", exact=True).click(timeout=1000)
    expect(status_line(js_page)).to_have_text("200 OK")
    expect(panel.get_by_label("Path and query")).to_have_value("/sandbox/users/1")
    expect(js_page.locator("#tryit .response-body")).to_contain_text("Ada Lovelace")
    js_page.wait_for_timeout(2200)  # when the slow answer would have come
    expect(panel.get_by_label("Path and query")).to_have_value("/sandbox/users/1")
    expect(js_page.locator("#tryit .response-body")).to_contain_text("Ada Lovelace")
    expect(js_page.locator(".network-error")).to_have_count(0)
