"""Reading pages through the Flask test client: home, track, lesson, 404s, /healthz."""

from __future__ import annotations

import re
import shutil

from hyperlesson.config import SHIPPED_LESSONS

from .helpers import captured_log

LESSON = "/learn/python-backend/http-basics"


def served_copy(tmp_path, migrated_db):
    """(app, lessons folder): the app serving a copy of the shipped tracks and reloading
    the catalog when one of its files changes, as `hyperlesson serve` does."""
    from hyperlesson.web.catalog import watch_lessons
    from tests.conftest import make_app

    lessons = tmp_path / "lessons"
    shutil.copytree(SHIPPED_LESSONS, lessons)
    shutil.copy(migrated_db, tmp_path / "w.db")
    app = make_app(tmp_path / "w.db", LESSONS_DIR=str(lessons))
    watch_lessons(app, every_s=0)
    return app, lessons


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


def test_lesson_edits_show_on_refresh_in_development(tmp_path, migrated_db):
    app, lessons = served_copy(tmp_path, migrated_db)
    client = app.test_client()
    shipped = client.get("/healthz").get_json()["lessons"]
    source = (lessons / "python-backend" / "http-basics.md").read_text()
    (lessons / "python-backend" / "again.md").write_text(
        source.replace("order: 2", "order: 9").replace("title: HTTP basics", "title: Again"))
    assert client.get("/healthz").get_json()["lessons"] == shipped + 1
    assert "Again" in client.get("/learn/python-backend/").get_data(as_text=True)


def test_editing_a_live_lesson_keeps_it_live_beside_a_file_that_takes_its_order(
        tmp_path, migrated_db):
    """A new file that takes a served lesson's order is left out; a typo fixed in the
    served lesson afterwards made it the newer edit, and the newcomer took its place:
    the page learners were reading answered 404."""
    import os

    app, lessons = served_copy(tmp_path, migrated_db)
    client = app.test_client()
    live = lessons / "python-backend" / "http-basics.md"
    source = live.read_text()
    newcomer = lessons / "python-backend" / "newcomer.md"
    newcomer.write_text(source.replace("title: HTTP basics", "title: Newcomer"))
    os.utime(newcomer, (2_000_000, 2_000_000))
    assert client.get(LESSON).status_code == 200
    assert client.get("/learn/python-backend/newcomer").status_code == 404
    live.write_text(source.replace("title: HTTP basics", "title: HTTP basics, fixed"))
    os.utime(live, (3_000_000, 3_000_000))  # now the newer edit of the two
    page = client.get(LESSON)
    assert page.status_code == 200 and "HTTP basics, fixed" in page.get_data(as_text=True)
    assert client.get("/learn/python-backend/newcomer").status_code == 404


def test_a_mistake_in_track_yaml_keeps_the_served_track_online(tmp_path, migrated_db):
    """The README's promise: a mistake in one file never takes another file's lesson
    offline. A typo in track.yaml while the server ran answered 404 on every lesson of
    the track, to learners in the middle of one."""
    app, lessons = served_copy(tmp_path, migrated_db)
    client = app.test_client()
    track_yaml = lessons / "python-backend" / "track.yaml"
    track_yaml.write_text(track_yaml.read_text() + "colour: blue\n")
    assert client.get(LESSON).status_code == 200
    assert "Python backend" in client.get("/").get_data(as_text=True)
    problems = [str(p) for p in app.extensions["catalog"].problems]
    assert any("track.yaml" in p and "colour" in p for p in problems), problems


def test_the_data_folder_beside_the_tracks_never_reloads_the_catalog(tmp_path, migrated_db):
    """`hyperlesson serve` keeps ./hyperlesson-data beside the teacher's tracks, and its
    database changes with every answer: only track folders are watched."""
    from hyperlesson.web.catalog import watch_lessons
    from tests.conftest import make_app

    lessons = tmp_path / "lessons"
    shutil.copytree(SHIPPED_LESSONS, lessons)
    data = lessons / "hyperlesson-data"
    data.mkdir()
    shutil.copy(migrated_db, data / "hyperlesson.db")
    app = make_app(data / "hyperlesson.db", LESSONS_DIR=str(lessons))
    watch_lessons(app, every_s=0)
    client = app.test_client()
    catalog = app.extensions["catalog"]
    client.get("/healthz")
    (data / "hyperlesson.db-wal").write_bytes(b"x" * 100)  # what every answer does
    (data / "lesson-cache").mkdir()
    client.get("/healthz")
    assert app.extensions["catalog"] is catalog
    (lessons / "python-backend" / "track.yaml").write_text(
        "title: Renamed\ndescription: Still a track.\n")
    client.get("/healthz")
    assert app.extensions["catalog"] is not catalog
    assert app.extensions["catalog"].track("python-backend").title == "Renamed"


def test_a_live_lesson_edited_into_a_mistake_keeps_its_last_good_version(
        tmp_path, migrated_db, monkeypatch):
    """A YAML typo or a quiz with no right answer saved into a lesson while the server
    ran took it offline: learners in the middle of it got 404. The last good version
    stays served, the problem is logged saying so, and the fixed file is served."""
    from tests.conftest import make_app

    app, lessons = served_copy(tmp_path, migrated_db)
    client = app.test_client()
    with captured_log(monkeypatch) as records:
        live = lessons / "python-backend" / "http-basics.md"
        source = live.read_text()
        for broken in (source.replace("title: HTTP basics", "title: [HTTP basics"),
                       source.replace("- [x]", "- [ ]"),
                       source.replace("rest-api,", "rest-apii,")):
            records.clear()
            live.write_text(broken)
            page = client.get(LESSON)
            assert page.status_code == 200 and "HTTP basics" in page.get_data(as_text=True)
            assert LESSON in client.get("/learn/python-backend/").get_data(as_text=True)
            logged = [r.getMessage() for r in records]
            assert any("http-basics.md" in m and "last good version" in m for m in logged)
            assert not any("http-basics.md" in m and "left out" in m for m in logged), logged
        live.write_text(source.replace("title: HTTP basics", "title: HTTP basics, fixed"))
        page = client.get(LESSON)
        assert page.status_code == 200 and "HTTP basics, fixed" in page.get_data(as_text=True)
        assert not any("http-basics.md" in str(p) for p in app.extensions["catalog"].problems)
        # A lesson that was never good stays out.
        (lessons / "python-backend" / "new.md").write_text(
            source.replace("order: 2", "order: 9").replace("title: HTTP basics", "title: ["))
        assert client.get("/learn/python-backend/new").status_code == 404
        # The last good version lives in memory only: a restart leaves a broken lesson out.
        live.write_text(source.replace("- [x]", "- [ ]"))
        restarted = make_app(tmp_path / "w.db", LESSONS_DIR=str(lessons))
        assert restarted.test_client().get(LESSON).status_code == 404


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


def test_a_question_with_an_id_of_its_own_keeps_its_answers_when_one_is_inserted_before(
        tmp_path, migrated_db):
    """Answers are stored under the question's id. By position (q1, q2, ...), a question
    inserted at the top of a live lesson moved every learner's answers to the question
    after theirs; with `{#q-...}` they stay with their question."""
    from .helpers import HTMX, csrf_token

    app, lessons = served_copy(tmp_path, migrated_db)
    live = lessons / "python-backend" / "http-basics.md"
    first = "## Which status code means the server could not find the resource?"
    source = live.read_text().replace(first, first + " {#q-not-found}")
    live.write_text(source)  # the watcher reloads it before the next request
    client = app.test_client()
    answered = client.post(f"{LESSON}/quiz/q-not-found", headers=HTMX, data={
        "choice": "c", "csrf_token": csrf_token(client, LESSON)})
    assert answered.status_code == 200 and "is-correct" in answered.get_data(as_text=True)
    live.write_text(source.replace("# Quiz\n", "# Quiz\n\n## Which method asks for a resource "
                                   "without changing it?\n\n- [x] GET\n  GET only reads.\n"
                                   "- [ ] DELETE\n  DELETE removes the resource.\n", 1))
    page = client.get(LESSON).get_data(as_text=True)
    inserted = page[page.index('id="q1"'):page.index('id="q-not-found"')]
    kept = page[page.index('id="q-not-found"'):]
    assert "is-chosen" not in inserted  # the new question starts unanswered
    assert "Question 2 of" in kept and "is-chosen is-correct" in kept.split('id="q2"')[0]
