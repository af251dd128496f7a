"""The check every browser test runs (conftest.no_page_errors) catches what it should."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_inline_style_is_caught(browser, live_server, no_page_errors, javascript):
    context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    # A style attribute in the HTML itself, refused by the page's style-src 'self'.
    page.route("**/guard-page", lambda route: route.fulfill(
        content_type="text/html", headers={"Content-Security-Policy": "style-src 'self'"},
        body='<!doctype html><title>x</title><p style="color: red">styled</p>'))
    page.goto("/guard-page")
    page.wait_for_timeout(200)
    context.close()
    assert any("style" in problem for problem in no_page_errors), no_page_errors
    no_page_errors.clear()


def test_an_uncaught_error_is_caught(js_page, no_page_errors):
    js_page.goto("/")
    js_page.evaluate("window.setTimeout(() => { throw new Error('boom'); }, 0)")
    js_page.wait_for_timeout(200)
    assert any("boom" in problem for problem in no_page_errors), no_page_errors
    no_page_errors.clear()
