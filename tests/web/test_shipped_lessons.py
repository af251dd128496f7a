"""The lessons we ship, held to our own editorial rules, and their promises checked.

These rules are ours, not the lesson format's: a teacher's own lesson may be shorter or
have no quiz, so only the lessons listed in SHIPPED are checked here, by name. A lesson
a teacher adds beside them is checked by `lessons check` alone.
"""

from __future__ import annotations

import re
import types
from html import unescape
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from hyperlesson.config import SHIPPED_LESSONS
from hyperlesson.content import load_catalog

from .helpers import HTMX, csrf_token

LESSONS = SHIPPED_LESSONS
SHIPPED = {"python-backend": ("package-management", "http-basics", "rest-api", "caching",
                              "authentication")}
NEW_IN_2026 = {"python-backend/caching", "python-backend/authentication"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(LESSONS)


def shipped(catalog):
    for track_slug, slugs in SHIPPED.items():
        for slug in slugs:
            lesson = catalog.lesson(track_slug, slug)
            assert lesson is not None, f"{track_slug}/{slug} is not served"
            yield lesson


def test_the_shipped_track_validates_in_order(catalog):
    files = {str(p) for lesson in shipped(catalog) for p in [lesson.source]}
    assert [str(p) for p in catalog.problems if p.path in files] == []
    for track_slug, slugs in SHIPPED.items():
        served = [lesson.slug for lesson in catalog.track(track_slug).lessons]
        assert [slug for slug in served if slug in slugs] == list(slugs)


def test_shipped_lessons_meet_our_editorial_rules(catalog):
    for lesson in shipped(catalog):
        assert 5 <= lesson.minutes <= 10, (lesson.key, lesson.minutes)
        assert len(lesson.questions) >= 4 and len(lesson.faqs) >= 3, lesson.key
        assert lesson.sources, f"{lesson.key} cites nothing"
        for related in lesson.related:  # linked both ways
            assert lesson.key in catalog.lesson_by_key(related).related, (lesson.key, related)
        if lesson.key in NEW_IN_2026:
            assert lesson.minutes >= 6 and len(lesson.questions) >= 5, lesson.key
            assert len(lesson.faqs) == 3, lesson.key


def test_every_shipped_preset_states_the_status_it_promises(catalog):
    for lesson in shipped(catalog):
        for section in lesson.sections:
            for preset in section.presets:
                assert preset.expect is not None, (lesson.key, preset.request_line)


class _PresetForms(HTMLParser):
    """The hidden fields of every preset form on a page, in page order."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("class") == "preset":
            self._inside = True
            self.forms.append([])
        elif tag == "input" and self._inside:
            self.forms[-1].append((attributes["name"], attributes.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def _cases():
    catalog = load_catalog(LESSONS)
    for track_slug, slugs in SHIPPED.items():  # a missing lesson fails the tests above
        lessons = [catalog.lesson(track_slug, slug) for slug in slugs]
        yield from _lesson_cases([lesson for lesson in lessons if lesson is not None])


def _lesson_cases(lessons):
    for lesson in lessons:
        presets = [preset for section in lesson.sections for preset in section.presets]
        for number, preset in enumerate(presets):
            yield pytest.param(lesson.key, number, preset,
                               id=f"{lesson.slug}-{number + 1}-{preset.request_line}")


@pytest.mark.parametrize(("key", "number", "preset"), list(_cases()))
def test_each_preset_sent_alone_through_the_panel_gets_the_promised_status(
        app, key, number, preset):
    # A new client is a new learner: fresh sandbox data and no cookies, as on a first
    # visit. The form is the one the lesson page renders, sent as the learner's click.
    client = app.test_client()
    page = client.get(f"/learn/{key}").get_data(as_text=True)
    parser = _PresetForms()
    parser.feed(page)
    form = parser.forms[number]
    fields = dict(form)
    assert f"{fields['method']} {fields['path']}" == preset.request_line
    data: dict[str, list[str]] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    data["csrf_token"] = [csrf_token(client, f"/learn/{key}")]
    response = client.post("/tryit/send", data=data, headers=HTMX)
    shown = re.search(r'<span class="status-code">(\d{3}) ', unescape(
        response.get_data(as_text=True)))
    assert shown is not None, response.get_data(as_text=True)[:2000]
    assert int(shown.group(1)) == preset.expect, (key, preset.request_line)


def _code_block(text: str, marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    (block,) = [b for b in blocks if marker in b]
    return block


@pytest.fixture
def example_app():
    """The Flask example of the rest-api lesson, run exactly as a learner would copy it."""
    text = (LESSONS / "python-backend" / "rest-api.md").read_text(encoding="utf-8")
    module = types.ModuleType("lesson_example")
    exec(compile(_code_block(text, '@app.post("/users")'), "rest-api.md", "exec"),
         module.__dict__)
    return module.app


@pytest.mark.parametrize("body", ['{"email": 5}', '{"email": null}', '{"name": "Mary"}',
                                  '{"email": "no-at-sign"}', "[]", '"text"', "7", "null",
                                  '{"email": ["a@b"]}', '{"name": 5, "email": "m@example.com"}'])
def test_the_rest_api_example_answers_bad_json_values_with_a_problem_422(example_app, body):
    response = example_app.test_client().post("/users", data=body,
                                              content_type="application/json")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    assert problem["status"] == 422 and problem["title"]


def test_the_rest_api_example_creates_and_refuses_what_it_cannot_read(example_app):
    client = example_app.test_client()
    created = client.post("/users", json={"name": "Mary Jackson", "email": "mary@example.com"})
    assert created.status_code == 201 and created.headers["Location"] == "/users/2"
    assert created.get_json()["email"] == "mary@example.com"
    assert client.post("/users", data="{broken", content_type="application/json"
                       ).status_code == 400
    assert client.post("/users", data="email=x", content_type="text/plain"
                       ).status_code == 415


def test_sources_close_each_shipped_lesson_as_links(client, catalog):
    for lesson in shipped(catalog):
        page = client.get(f"/learn/{lesson.key}").get_data(as_text=True)
        sources = page.index('<h2 id="sources-title">Sources</h2>')
        assert page.index('id="faq"') < sources < page.index("</article>")
        for source in lesson.sources:
            assert (f'<a href="{escape(source.url)}" rel="noopener noreferrer">'
                    f'{escape(source.title)}</a>') in page[sources:]


def test_a_lesson_without_sources_shows_no_sources_heading(tmp_path, migrated_db):
    import shutil

    from tests.conftest import make_app
    from tests.unit.lesson_files import VALID

    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "a.md").write_text(VALID)
    shutil.copy(migrated_db, tmp_path / "a.db")
    app = make_app(tmp_path / "a.db", LESSONS_DIR=str(tmp_path / "lessons"))
    page = app.test_client().get("/learn/t/a").get_data(as_text=True)
    assert "Sample lesson" in page and "sources-title" not in page
