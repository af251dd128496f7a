"""Lessons edited while the server runs: the catalog reloads, and what learners are
reading stays online (a mistake keeps the last good version, a newcomer never takes a
live lesson's place); answers stay with their questions."""

from __future__ import annotations

import shutil

from hyperlesson.config import SHIPPED_LESSONS

from .helpers import HTMX, captured_log, csrf_token

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


def test_a_question_with_an_id_of_its_own_keeps_its_answers_when_one_is_inserted_before(
        tmp_path, migrated_db):
    """Answers are stored under the question's id. By position (q1, q2, ...), a question
    inserted at the top of a live lesson moved every learner's answers to the question
    after theirs; with `{#q-...}` they stay with their question."""
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
