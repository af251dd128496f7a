"""Browser tests: the app (live_server, tests/conftest.py) driven in the system Chromium.

Never `playwright install`: the tests use Debian's /usr/bin/chromium. Without it they skip
with a message, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hyperlesson.config import SHIPPED_LESSONS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
INSTALL_HINT = ("Chromium was not found at /usr/bin/chromium; install it with "
                "`sudo apt-get install chromium` to run the browser tests")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


# Reported from inside each page; a page without JavaScript runs no script, and then
# Chromium's console (which logs every refused style or script) is what tells.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportViolation(`${event.violatedDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.href}:${event.lineNumber}: ${event.sample || ""}`);
});
"""


@pytest.fixture(autouse=True)
def no_page_errors(monkeypatch):
    """Every page any fixture or test opens fails the test on a Content-Security-Policy
    violation (the event, or Chromium's console line for it) and on an uncaught error."""
    from playwright.sync_api import Browser

    problems: list[str] = []
    open_context = Browser.new_context

    def watch_page(page) -> None:
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(f"console: {message.text}")
                if "Content Security Policy" in message.text else None)

    def new_context(self, *args, **kwargs):
        context = open_context(self, *args, **kwargs)
        context.expose_function("__reportViolation",
                                lambda text: problems.append(f"CSP violation: {text}"))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", watch_page)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield problems
    assert problems == [], "the pages reported problems:\n" + "\n".join(problems)


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def learner(request, browser, live_server):
    """A fresh learner's page, once with JavaScript and once without."""
    context = browser.new_context(java_script_enabled=request.param, base_url=live_server)
    page = context.new_page()
    page.javascript = request.param
    yield page
    context.close()


@pytest.fixture
def reading_share(live_app):
    """Set READING_SHARE (the share of a section's reading time it must be on screen)
    for this test's pages; put back afterwards. Lesson pages are prepared once with the
    configuration of the moment (web/prepared_page.py): they are prepared again."""
    def set_share(share: float) -> None:
        live_app.config["READING_SHARE"] = share
        live_app.extensions["prepared_pages"].clear()

    before = live_app.config["READING_SHARE"]
    yield set_share
    set_share(before)


@pytest.fixture
def quick_reading(reading_share):
    """Sections count after a few hundred milliseconds on screen: for tests that are
    about what happens once a section is read, not about the rule itself."""
    reading_share(0.003)


@pytest.fixture
def js_page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; returns its violations (none is the goal)."""
    page.evaluate(AXE_SOURCE)
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


@pytest.fixture
def assert_accessible(browser):
    """axe-core on the page as it is now. axe needs timers, which a page without
    JavaScript does not run: then the same URL is checked in a JavaScript context that
    carries the same cookies, so the server renders the same learner state."""
    def check(page):
        if getattr(page, "javascript", True):
            violations = axe_violations(page)
        else:
            context = browser.new_context(storage_state=page.context.storage_state())
            twin = context.new_page()
            twin.goto(page.url)
            violations = axe_violations(twin)
            context.close()
        assert violations == [], violations
    return check


@pytest.fixture(scope="session")
def catalog_lesson():
    """The http-basics lesson as the server parsed it, to know the right answers."""
    from hyperlesson.content import load_catalog

    root = SHIPPED_LESSONS
    return load_catalog(root).lesson("python-backend", "http-basics")
