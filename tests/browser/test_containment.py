"""Links a stranger could send a learner, opened in Chromium: none of them reaches the
lesson server's session, its pages or its stylesheets (issue "Contain the sandbox")."""

from __future__ import annotations

from urllib.parse import quote

LESSON = "/learn/python-backend/http-basics"
ELSEWHERE = "/learn/python-backend/"  # on our origin, so a followed Refresh is visible


def session_cookie(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "session")


def test_a_link_cannot_replace_or_delete_the_session(learner):
    learner.goto(LESSON)
    before = session_cookie(learner)
    for cookie in ("session=forged; Path=/", "session=; Max-Age=0; Path=/",
                   "session=forged; Path=/sandbox"):
        learner.goto("/sandbox/response-headers?Set-Cookie=" + quote(cookie)
                     + "&Refresh=" + quote(f"0;url={LESSON}"))
        learner.wait_for_timeout(300)  # long enough for a Refresh of 0 to fire
        assert "/sandbox/response-headers" in learner.url
        assert [c["value"] for c in learner.context.cookies() if c["name"] == "session"] \
            == [before]


def test_a_link_cannot_redirect_outside_the_sandbox(learner):
    for header in ("Refresh=" + quote(f"0;url={ELSEWHERE}"),
                   "Refresh=" + quote(f"0, {ELSEWHERE}"),
                   "Location=" + quote(ELSEWHERE)):
        learner.goto("/sandbox/response-headers?" + header)
        learner.wait_for_timeout(300)
        assert "/sandbox/response-headers" in learner.url, header
    # Inside the sandbox a Refresh still works, which is what the lesson shows.
    learner.goto("/sandbox/response-headers?Refresh=" + quote("0;url=/sandbox/uuid"))
    learner.wait_for_url("**/sandbox/uuid")


def test_the_sandbox_never_sees_the_session_cookie(learner):
    learner.goto(LESSON)
    assert session_cookie(learner)
    learner.goto("/sandbox/cookies/set?flavour=oat")
    assert '"flavour": "oat"' in learner.content() or '"flavour":"oat"' in learner.content()
    assert "session" not in learner.locator("body").inner_text()
    flavour = [c for c in learner.context.cookies() if c["name"] == "flavour"]
    assert [c["path"] for c in flavour] == ["/sandbox"]


def test_the_sandbox_cannot_serve_a_stylesheet_to_our_pages(js_page):
    js_page.goto(LESSON)
    load = """async (href) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        const outcome = new Promise(done => {
            link.onload = () => done('load');
            link.onerror = () => done('error');
        });
        document.head.append(link);
        return await outcome;
    }"""
    before = js_page.evaluate("getComputedStyle(document.body).backgroundColor")
    gadget = ("/sandbox/response-headers?Content-Type=text/css&x="
              + quote("}body{background:rgb(255,0,0)}"))
    assert js_page.evaluate(load, gadget) == "error"
    assert js_page.evaluate("getComputedStyle(document.body).backgroundColor") == before
    # The same call with our own stylesheet loads: the test would see a load.
    assert js_page.evaluate(load, js_page.evaluate(
        "document.querySelector('link[rel=stylesheet]').href")) == "load"
