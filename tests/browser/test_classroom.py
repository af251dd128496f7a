"""Classes in Chromium, with JavaScript and without: learners' answers reach the teacher's
class page and lesson stats (by themselves with JavaScript), projector mode hides names and
right answers, "Need help?" goes to the teacher and back; axe, dark mode and a 360px phone
on every dashboard view. Screenshots land in /tmp/cls-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

LESSON = "/learn/python-backend/http-basics"
STATS = "/lessons/python-backend/http-basics"
PASSWORD = "correct horse battery"
POLL = 12000  # ms: the live parts poll every 5 s


def unique(prefix: str) -> str:
    """The live server's database lives for the whole session: every name is new."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def new_page(browser, live_server):
    """A page in a browser context of its own: the teacher and each learner apart."""
    contexts = []

    def open_page(javascript: bool = True, **options):
        contexts.append(browser.new_context(base_url=live_server,
                                            java_script_enabled=javascript, **options))
        page = contexts[-1].new_page()
        page.javascript = javascript
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def new_teacher(live_app, new_page):
    """A new teacher (only the command line makes them), logged in on a page of their own."""
    def make(javascript: bool = True, **options):
        name = unique("teacher")
        made = live_app.test_cli_runner().invoke(args=["users", "create-teacher", name],
                                                 env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
        assert made.exit_code == 0, made.output
        page = new_page(javascript, **options)
        page.goto("/login")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Log in").click()
        expect(page.locator(".site-header .who")).to_have_text(name)
        return page
    return make


def sign_up(page, name: str, code: str = "") -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Class code").fill(code)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page.locator(".site-header .who")).to_have_text(name)


def join(page, code: str) -> None:
    page.goto("/join")
    page.get_by_label("Class code").fill(code)
    page.get_by_role("main").get_by_role("button", name="Join").click()
    expect(page.locator(".flashes")).to_contain_text("You joined")


def create_class(teacher) -> tuple[str, str]:
    """A new class from the form on /teach/: (its page's path, its join code)."""
    name = unique("7B")
    teacher.goto("/teach/")
    teacher.get_by_label("Class name").fill(name)
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(name)
    return re.sub(r"^https?://[^/]+", "", teacher.url), teacher.locator(".join-code").inner_text()


def letters(lesson) -> tuple[str, str]:
    """Question 1's right option's letter and a wrong one's."""
    q1 = lesson.question("q1")
    return q1.correct_key.upper(), next(o.letter for o in q1.options if not o.correct)


def with_letter(page, letter: str):
    return page.locator(".option-letter", has_text=re.compile(f"^{letter}$"))


def answer(page, letter: str) -> None:
    page.goto(LESSON)
    page.locator("#q1 .option-button").filter(has=with_letter(page, letter)).click()
    expect(page.locator("#q1 .verdict")).to_be_visible()


def first_answers(page, letter: str):
    """On the lesson stats: how many answered question 1 with this option first."""
    question = page.locator(".stats-question").filter(has=page.locator("#stats-q1"))
    return question.get_by_role("row").filter(has=with_letter(page, letter)).locator(
        ".stat-number")


def learner_row(page, name: str):
    return page.locator("#class-progress").get_by_role("row").filter(has_text=name)


def ask(page, question: str) -> None:
    page.goto(LESSON + "#help")
    page.get_by_label("Your question").fill(question)
    page.get_by_label("About").select_option(label="Status codes")
    page.get_by_role("button", name="Ask my teacher").click()
    expect(page.locator("#help-requests")).to_contain_text("Waiting for an answer")


def reply(teacher, name: str, text: str) -> None:
    """On the class page: the teacher answers `name`'s waiting question."""
    teacher.get_by_label(f"Answer to {name}").fill(text)
    teacher.get_by_role("button", name=f"Send answer to {name}").click()
    expect(teacher.locator("#help")).to_contain_text("No question is waiting")


def reload_without_js(page) -> None:
    """With JavaScript, the page's poll brings the change: expect(..., timeout=POLL)."""
    if not page.javascript:
        page.reload()


def shoot(target, name: str) -> None:
    """A screenshot to look at, of a whole page or of one element (a locator)."""
    whole = {"full_page": True} if hasattr(target, "goto") else {}
    target.screenshot(path=f"/tmp/cls-{name}.png", **whole)


@pytest.fixture
def answered_class(new_page, new_teacher, catalog_lesson):
    """A class whose two learners answered question 1, one right, then one wrong: the
    teacher's page (on the lesson stats), the class's path, the learners' pages by name."""
    def make(javascript: bool = True, **options):
        teacher = new_teacher(javascript, **options)
        url, code = create_class(teacher)
        learners = {unique("right"): new_page(javascript, **options),
                    unique("wrong"): new_page(javascript, **options)}
        for (name, page), letter in zip(learners.items(), letters(catalog_lesson), strict=True):
            sign_up(page, name, code)
            answer(page, letter)
        teacher.goto(url + STATS)
        return teacher, url, learners
    return make


def test_answers_reach_the_class_page_and_the_lesson_stats(learner, new_page, new_teacher,
                                                           catalog_lesson):
    js = learner.javascript
    teacher = new_teacher(js)
    url, code = create_class(teacher)
    right_name, wrong_name = unique("ada"), unique("bob")
    sign_up(learner, right_name, code)  # one joins as they sign up, the other on /join
    other = new_page(js)
    sign_up(other, wrong_name)
    join(other, code)
    teacher.reload()
    expect(learner_row(teacher, wrong_name)).to_be_visible()
    stats = teacher.context.new_page()  # the teacher's second tab
    stats.javascript = js
    stats.goto(url + STATS)
    right, wrong = letters(catalog_lesson)
    expect(first_answers(stats, right)).to_have_text("0")
    answer(learner, right)
    answer(other, wrong)
    reload_without_js(stats)
    expect(first_answers(stats, right)).to_have_text("1", timeout=POLL)
    expect(first_answers(stats, wrong)).to_have_text("1")
    expect(stats.locator(".stats-question").first).to_contain_text("2 answered")
    reload_without_js(teacher)
    expect(learner_row(teacher, right_name)).to_contain_text("Quiz 1/6", timeout=POLL)
    expect(learner_row(teacher, wrong_name)).to_contain_text("Quiz 0/6")
    expect(teacher.locator("#class-progress thead")).to_contain_text("2 started")
    shoot(teacher, f"class-{'js' if js else 'nojs'}")
    shoot(stats, f"stats-{'js' if js else 'nojs'}")


def test_projector_mode_hides_names_and_the_right_answer(learner, answered_class,
                                                         catalog_lesson):
    teacher, _url, learners = answered_class(learner.javascript)
    stats = teacher.locator("#lesson-stats")
    for name in learners:
        expect(stats).to_contain_text(name)
    expect(stats.locator(".right-mark")).not_to_have_count(0)
    teacher.get_by_role("link", name="Projector mode").click()
    expect(teacher.locator(".dashboard-mode")).to_contain_text("Projector mode: no names")
    for letter in letters(catalog_lesson):
        expect(first_answers(teacher, letter)).to_have_text("1")  # the counts stay
    for hidden in (*learners, "right answer"):
        expect(stats).not_to_contain_text(hidden)
    expect(stats.locator(".is-right, .right-mark, .names")).to_have_count(0)
    shoot(teacher, "projector")
    teacher.get_by_role("link", name="Leave projector mode").click()
    expect(stats.locator(".right-mark")).not_to_have_count(0)


def test_a_question_goes_to_the_teacher_and_the_answer_comes_back(learner, new_teacher):
    js = learner.javascript
    teacher = new_teacher(js)
    _url, code = create_class(teacher)
    name, question = unique("ada"), f"Why 404? {uuid.uuid4().hex[:6]}"
    sign_up(learner, name, code)
    queue = teacher.locator("#help")
    expect(queue).to_contain_text("No question is waiting")
    ask(learner, question)
    expect(learner.locator("#help-requests")).to_contain_text(question)
    reload_without_js(teacher)
    expect(queue).to_contain_text(question, timeout=POLL)
    expect(queue).to_contain_text("(1 waiting)")
    expect(queue).to_contain_text("Status codes")
    shoot(teacher, f"class-help-{'js' if js else 'nojs'}")
    reply(teacher, name, "Nothing is there.\nCheck the path.")
    expect(queue.locator(".help-done")).to_contain_text("Check the path.")
    answered = learner.locator("#help-requests .help-answer")
    reload_without_js(learner)
    expect(answered).to_contain_text("Check the path.", timeout=POLL)
    expect(answered.locator(".help-text")).to_have_text("Nothing is there.\nCheck the path.")
    expect(learner.locator("#help-requests")).to_contain_text("Answered")
    shoot(learner.locator("#help"), f"lesson-help-{'js' if js else 'nojs'}")


def test_every_dashboard_view_passes_axe(new_page, new_teacher, catalog_lesson):
    teacher, learner = new_teacher(), new_page()

    def check(page, state: str, path: str | None = None) -> None:
        if path:
            page.goto(path)
        assert axe_violations(page) == [], state
        shoot(page.locator("#help") if "help" in state else page, re.sub(r"\W+", "-", state))

    check(teacher, "teach with no class", "/teach/")
    url, code = create_class(teacher)
    check(teacher, "class with nobody")
    check(teacher, "teach with a class", "/teach/")
    check(learner, "join logged out", "/join")
    check(learner, "help logged out", LESSON + "#help")
    name = unique("ada")
    sign_up(learner, name)
    check(learner, "join logged in", "/join")
    check(learner, "help in no class", LESSON + "#help")
    join(learner, code)
    answer(learner, letters(catalog_lesson)[0])
    check(learner, "help in a class", LESSON + "#help")
    ask(learner, "What is a header?")
    check(learner, "help waiting")
    check(teacher, "class with a learner and a question", url)
    teacher.get_by_role("link", name=name).click()
    check(teacher, "learner page")
    check(teacher, "lesson stats", url + STATS)
    check(teacher, "projector mode", url + STATS + "?projector=1")
    teacher.goto(url)
    reply(teacher, name, "A line before the body.")
    check(teacher, "class answered")
    check(learner, "help answered", LESSON + "#help")


@pytest.mark.parametrize("scheme, width", [("dark", 1280), ("light", 360), ("dark", 360)])
def test_dark_mode_and_a_phone(answered_class, scheme, width):
    teacher, url, learners = answered_class(color_scheme=scheme,
                                            viewport={"width": width, "height": 800})
    name, learner = next(iter(learners.items()))
    ask(learner, "Why does 404 mean not found, and not 400?")

    def check(page, view: str, path: str | None = None) -> None:
        if path:
            page.goto(path)
        assert axe_violations(page) == [], (view, scheme, width)
        assert page.evaluate("document.scrollingElement.scrollWidth"
                             " <= document.scrollingElement.clientWidth + 1"), (view, width)
        shoot(page.locator("#help") if view.startswith("help") else page,
              f"{view}-{scheme}-{width}")

    check(teacher, "class", url)
    check(teacher, "stats", url + STATS)
    check(teacher, "projector", url + STATS + "?projector=1")
    check(learner, "help-waiting", LESSON + "#help")
    teacher.goto(url)
    reply(teacher, name, "Not found is about the path;\n400 is a bad request.")
    learner.reload()
    expect(learner.locator("#help-requests .help-answer")).to_contain_text("400 is a bad")
    check(learner, "help-answered")
