"""Contrast and layout beyond axe (WCAG 1.4.11, 1.4.10, 1.4.12), measured in Chromium.

Colours come from getComputedStyle in the page; the contrast ratio is the WCAG
relative-luminance formula, written out here. Light and dark via color_scheme.
"""

from __future__ import annotations

import re

import pytest

LESSON = "/learn/python-backend/http-basics"
SCHEMES = ["light", "dark"]

# The colour an element shows and the background it sits on, both from computed styles:
# the first ancestor (or the element itself) whose background is not transparent.
COLOURS_JS = """(el) => {
    const opaque = (c) => !/^rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent';
    const backdrop = (node) => {
        for (; node; node = node.parentElement) {
            const bg = getComputedStyle(node).backgroundColor;
            if (opaque(bg)) return bg;
        }
        return 'rgb(255, 255, 255)';
    };
    const style = getComputedStyle(el);
    return {border: style.borderTopColor, borderWidth: parseFloat(style.borderTopWidth),
            borderStyle: style.borderTopStyle, appearance: style.appearance,
            background: style.backgroundColor, behind: backdrop(el.parentElement)};
}"""


def rgb(css: str) -> tuple[float, float, float]:
    match = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css)
    assert match, f"not an rgb() colour: {css}"
    assert match.group(4) in (None, "1"), f"translucent colour: {css}"
    return tuple(float(match.group(i)) for i in (1, 2, 3))


def luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


@pytest.fixture(params=SCHEMES)
def scheme_page(request, browser, live_server):
    context = browser.new_context(base_url=live_server, color_scheme=request.param)
    page = context.new_page()
    page.scheme = request.param
    yield page
    context.close()


def assert_border_contrast(page, selector: str, minimum: float = 3.0):
    fields = page.locator(selector)
    assert fields.count() > 0, f"nothing matches {selector}"
    for index in range(fields.count()):
        colours = fields.nth(index).evaluate(COLOURS_JS)
        assert colours["borderStyle"] != "none" and colours["borderWidth"] >= 1, colours
        ratio = contrast(colours["border"], colours["behind"])
        assert ratio >= minimum, (f"{selector} #{index} border {colours['border']} on "
                                  f"{colours['behind']}: {ratio:.2f}:1 ({page.scheme})")


def test_tryit_field_borders_stand_out_from_the_panel(scheme_page, assert_accessible):
    for path in ("/tryit", LESSON):
        scheme_page.goto(path)
        assert_border_contrast(scheme_page, "#tryit input:not([type=hidden]):not([type=checkbox]), "
                                            "#tryit select, #tryit textarea")
        assert_accessible(scheme_page)


def test_account_field_borders_stand_out(scheme_page, assert_accessible):
    for path in ("/login", "/signup"):
        scheme_page.goto(path)
        assert_border_contrast(scheme_page, ".account-form input[type=text], "
                                            ".account-form input[type=password]")
        assert_accessible(scheme_page)


def test_progress_track_is_visible_on_its_card(scheme_page):
    scheme_page.goto(LESSON)
    bar = scheme_page.locator(".progress-card progress")
    colours = bar.evaluate(COLOURS_JS)
    # A native bar paints its own track (1.07:1 on the card); the styled one has an outline.
    assert colours["appearance"] == "none", colours
    assert colours["borderStyle"] == "solid" and colours["borderWidth"] >= 1, colours
    card = scheme_page.locator(".progress-card").evaluate(
        "el => getComputedStyle(el).backgroundColor")
    ratio = contrast(colours["border"], card)
    assert ratio >= 3, f"progress track {colours['border']} on card {card}: {ratio:.2f}:1"
    # The filled part (currentColor) against the unfilled track.
    fill = bar.evaluate("el => getComputedStyle(el).color")
    assert contrast(fill, colours["background"]) >= 3


OUTLINE_FITS_JS = """(link) => {
    const box = link.closest('.lesson-aside');
    const style = getComputedStyle(link);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const r = link.getBoundingClientRect(), b = box.getBoundingClientRect();
    const view = {left: b.left + box.clientLeft, top: b.top + box.clientTop};
    view.right = view.left + box.clientWidth;
    view.bottom = view.top + box.clientHeight;
    return {focusVisible: link.matches(':focus-visible'), outline: style.outlineStyle, ring,
            overflowY: getComputedStyle(box).overflowY,
            fits: r.left - ring >= view.left - 0.5 && r.right + ring <= view.right + 0.5
                  && r.top - ring >= view.top - 0.5 && r.bottom + ring <= view.bottom + 0.5,
            link: [r.left - ring, r.top - ring, r.right + ring, r.bottom + ring],
            view: [view.left, view.top, view.right, view.bottom]};
}"""


@pytest.mark.parametrize("height", [900, 420])
def test_toc_focus_ring_is_not_clipped_by_the_sidebar(js_page, height):
    js_page.set_viewport_size({"width": 1280, "height": height})
    js_page.goto(LESSON)
    links = js_page.locator(".lesson-aside .toc a")
    assert links.count() > 2
    links.first.focus()
    for index in range(links.count()):
        if index:
            js_page.keyboard.press("Tab")
        link = links.nth(index)
        assert link.evaluate("el => el === document.activeElement"), index
        result = link.evaluate(OUTLINE_FITS_JS)
        assert result["overflowY"] == "auto", result  # the sidebar is the scroll container
        assert result["focusVisible"] and result["outline"] != "none", result
        assert result["ring"] > 0, result
        assert result["fits"], f"focus ring of TOC link {index} is clipped: {result}"


TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


# The page's width against the window's, and the first elements that stick out.
WIDTHS = """() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5).map(el => el.tagName + '.' + el.className);
    return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


@pytest.mark.parametrize("path", ["/tryit", LESSON])
def test_no_sideways_scroll_at_320px_with_text_spacing(browser, live_server, path):
    # The spacing is a user style sheet (a bookmarklet), which the page's CSP does not block.
    context = browser.new_context(base_url=live_server, bypass_csp=True,
                                  viewport={"width": 320, "height": 640})
    js_page = context.new_page()
    js_page.goto(path)
    js_page.add_style_tag(content=TEXT_SPACING)
    sizes = js_page.evaluate(WIDTHS)
    spaced = js_page.locator("main p").first.evaluate("el => getComputedStyle(el).letterSpacing")
    context.close()
    assert spaced != "normal", "the text-spacing style was not applied"
    assert sizes["scroll"] <= sizes["client"] + 1, sizes


LONG = "https://packaging.python.org/en/latest/guides/writing-pyproject-toml/"
LONG_LESSON = f"""---
title: Reading {LONG.replace("/", "")}
order: 1
summary: Where {LONG} says it.
---

## Sources {{#where}}

Read `{LONG}` first.

```tryit
GET /sandbox/anything/{"a" * 70}
```

# Quiz

## Which page is `{LONG}`?

- [x] `{LONG}`
  Right: `{LONG}`.
- [ ] Another
  No.

# FAQ

## Is `{LONG}` the guide?

Yes.
"""


@pytest.fixture(scope="module")
def long_words_server(tmp_path_factory, migrated_db):
    """A track whose lesson is full of long unbreakable words: URLs, identifiers."""
    import shutil

    from tests.conftest import make_app, served

    root = tmp_path_factory.mktemp("long")
    track = root / "lessons" / "long"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: Long\ndescription: Long words.\n")
    (track / "long.md").write_text(LONG_LESSON)
    shutil.copy(migrated_db, root / "app.db")
    app = make_app(root / "app.db", TESTING=False, LESSONS_DIR=str(root / "lessons"),
                   SHIPPED_TRACKS=False)
    assert app.extensions["catalog"].problems == []
    with served(app) as url:
        yield url


@pytest.mark.parametrize("path", ["/learn/long/long", "/learn/long/", "/", "/tryit"])
def test_long_words_in_a_teachers_lesson_never_scroll_sideways(browser, long_words_server,
                                                               path):
    """A URL in a quiz option, a title or a preset, or a long path in the panel's
    history, widened the page past a 320 px phone: the flex and grid items they sit in
    kept their longest word's width."""
    context = browser.new_context(base_url=long_words_server,
                                  viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto("/learn/long/long")
    page.locator(".option-button").first.click()
    page.locator(".question .feedback").wait_for()
    page.locator("form.preset button").click()
    page.locator(".tryit-history li").first.wait_for()
    if path != "/learn/long/long":
        page.goto(path)
    sizes = page.evaluate(WIDTHS)
    context.close()
    assert sizes["scroll"] <= sizes["client"] + 1, sizes
