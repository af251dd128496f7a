"""Reading pages through the Flask test client: home, track, lesson, 404s, /healthz."""

from __future__ import annotations

import re
import shutil

LESSON = "/learn/python-backend/http-basics"


def test_home_lists_tracks_with_lessons_and_minutes(client):
    page = client.get("/").get_data(as_text=True)
    assert "Python backend" in page
    for title in ("Package management", "HTTP basics", "REST"):
        assert title.lower() in page.lower()
    assert re.search(r"\d+ min", page)


def test_track_page_lists_lessons_in_order(client, app):
    response = client.get("/learn/python-backend/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    slugs = re.findall(r'href="/learn/python-backend/([a-z-]+)"', page)
    track = app.extensions["catalog"].track("python-backend")
    # In the track's order, whatever lessons a teacher adds among the shipped ones.
    assert slugs[:len(track.lessons)] == [lesson.slug for lesson in track.lessons]
    shipped = ["package-management", "http-basics", "rest-api"]
    assert [slug for slug in slugs if slug in shipped] == shipped
    for lesson in track.lessons:
        assert lesson.summary in page


def test_lesson_page_has_everything_a_learner_reads(client):
    response = client.get(LESSON)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="/learn/python-backend/">Python backend</a>' in page  # breadcrumb
    assert re.search(r"\d+ min read", page)
    assert "0%" in page and "min left" in page
    assert "On this page" in page
    for anchor in ("#status-codes", "#url-anatomy", "#quiz", "#faq"):
        assert f'href="{anchor}"' in page
    assert 'id="status-codes"' in page
    assert "Test your knowledge" in page
    assert "Question 1 of" in page
    assert re.search(r'option-letter[^>]*>A<', page) and re.search(r'option-letter[^>]*>D<',
                                                                     page)
    assert "Frequently asked questions" in page
    assert "Previous</span> Package management" in page
    assert "Next</span> Designing a REST API" in page
    assert "Related lessons" in page


def test_pages_are_served_under_a_strict_csp(client):
    response = client.get(LESSON)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "hx-on" not in page
    assert 'name="htmx-config"' in page and '"includeIndicatorCSS": false' in page
    assert "/static/vendor/htmx-4.0.1.min.js" in page


def test_unknown_track_is_a_helpful_404(client):
    response = client.get("/learn/nope/")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "no such track" in page and 'href="/"' in page


def test_unknown_lesson_links_back_to_its_track(client):
    response = client.get("/learn/python-backend/nope")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert 'href="/learn/python-backend/"' in page and "no such lesson" in page


def test_error_pages_link_back_to_where_the_learner_was(client):
    page = client.get("/tryit/send", headers={"Referer": "http://localhost/tryit"})
    assert page.status_code == 405
    assert '<a href="http://localhost/tryit">Go back</a>' in page.get_data(as_text=True)
    # htmx names the page it sent from; a stale form's message reloads that page.
    stale = client.post("/tryit/send", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/learn/python-backend/",
        "Referer": "http://localhost/elsewhere"})
    assert stale.status_code == 400
    assert '<a href="http://localhost/learn/python-backend/">Reload the page</a>' \
        in stale.get_data(as_text=True)
    # Anything but a web address gives the list of tracks.
    odd = client.get("/tryit/send", headers={"Referer": "javascript:alert(1)"})
    assert '<a href="/">Go back</a>' in odd.get_data(as_text=True)


def test_healthz_counts_lessons(tmp_path, migrated_db):
    # Its own lessons, not the shipped folder: a teacher who adds a lesson there must not
    # break this test, which is about counting, not about what we ship.
    from tests.conftest import make_app
    from tests.unit.lesson_files import VALID, edit

    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "one.md").write_text(VALID)
    (track / "two.md").write_text(edit("order: 1", "order: 2"))
    (track / "draft.md").write_text(edit("order: 1", "order: 3\ndraft: true"))
    shutil.copy(migrated_db, tmp_path / "h.db")
    app = make_app(tmp_path / "h.db", LESSONS_DIR=str(tmp_path / "lessons"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "lessons": 2}  # a draft is not served
    assert app.test_client().get("/learn/t/draft").status_code == 404


def test_lesson_images_are_served_and_nothing_else(client, app, tmp_path):
    assert client.get("/learn/python-backend/assets/track.yaml").status_code == 404
    assert client.get("/learn/python-backend/assets/http-basics.md").status_code == 404
    assert client.get("/learn/python-backend/assets/..%2F..%2Fapp.py").status_code == 404


def test_images_with_spaces_and_any_alphabet_in_their_names_are_served(tmp_path, migrated_db):
    from tests.conftest import make_app

    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    cyrillic = "\u0441\u0445\u0435\u043c\u0430.png"
    for name in ("My diagram.png", cyrillic):
        (track / name).write_bytes(b"\x89PNG\r\n")
    (track / "a.md").write_text("---\ntitle: A\norder: 1\nsummary: S\n---\n\n## Pictures\n\n"
                                f"![one](My%20diagram.png) ![two]({cyrillic})\n",
                                encoding="utf-8")
    shutil.copy(migrated_db, tmp_path / "w.db")
    app = make_app(tmp_path / "w.db", LESSONS_DIR=str(tmp_path / "lessons"))
    assert app.extensions["catalog"].problems == []
    client = app.test_client()
    sources = re.findall(r'<img src="([^"]+)"', client.get("/learn/t/a").get_data(as_text=True))
    assert len(sources) == 2
    for source in sources:
        assert client.get(source.replace("&amp;", "&")).status_code == 200, source


def test_lessons_check_command(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "t"
    bad.mkdir()
    (bad / "track.yaml").write_text("title: T\ndescription: D\n")
    (bad / "x.md").write_text("---\ntitle: X\norder: 1\nsummary: S\nwhat: 1\n---\n## A\ntext\n")
    result = runner.invoke(args=["lessons", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad / 'x.md'}:5: unknown key 'what'" in result.output


def test_inline_markdown_in_a_section_heading_is_rendered(tmp_path, migrated_db):
    """`## The `Accept` header` showed its backticks on the page. The heading renders
    its inline Markdown; its id stays the one made from the text, and the contents list,
    inside a link, shows the plain words. FAQ questions, `##` headings too, likewise."""
    from tests.conftest import make_app
    from tests.unit.lesson_files import edit

    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "l.md").write_text(edit("## First section",
                                     "## The `Accept` header, *briefly* & [why](https://x.example)",
                                     edit("## Second part {#second}",
                                          "## A `<b>` tag {#second}",
                                          edit("## Why numbers?",
                                               "## Why `numbers`, [really](https://x.example)?"))))
    shutil.copy(migrated_db, tmp_path / "w.db")
    app = make_app(tmp_path / "w.db", LESSONS_DIR=str(tmp_path / "lessons"))
    page = app.test_client().get("/learn/t/l").get_data(as_text=True)
    first = "the-accept-header-briefly-why-https-x-example"  # as before: links keep theirs
    assert (f'<h2 id="{first}-title">The <code>Accept</code> header, <em>briefly</em> '
            '&amp; <a href="https://x.example" rel="noopener noreferrer">why</a></h2>') in page
    assert f'<a href="#{first}">The Accept header, briefly &amp; why</a>' in page
    assert '<h2 id="second-title">A <code>&lt;b&gt;</code> tag</h2>' in page
    assert '<a href="#second">A &lt;b&gt; tag</a>' in page
    assert "`" not in page.split('<article')[1].split("</h2>")[0]
    # An FAQ question is a button's label: no link may sit in a button.
    assert '<span class="faq-question">Why <code>numbers</code>, really?</span>' in page
