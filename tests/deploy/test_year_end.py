"""The end of a school year: each class's CSV files and a backup kept in a folder, every
class archived, and on request every learner but the teachers removed."""

from __future__ import annotations

from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.classroom_models import Classroom
from hyperlesson.records.models import Account, Learner, QuizAttempt
from tests.web.helpers import LESSON, correct_choice, wrong_choice
from tests.web.helpers import post as answer
from tests.web.test_classes import PASSWORD, logged_in, new_class, post

ANSWERED = 'class="question is-done"'


def a_year(app):
    """A teacher's class 7B that Ada joined and answered in, and an anonymous learner."""
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    ada = logged_in(app, "Ada")
    assert post(ada, "/join", code=code).status_code == 303
    answer(ada, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    stranger = app.test_client()
    answer(stranger, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    return teacher, ada, stranger, code


def year_end(app, *args: str, answer_with: str | None = None):
    return app.test_cli_runner().invoke(args=["year-end", *args], input=answer_with)


def can_log_in(app, name: str) -> bool:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"csrf_token": token, "username": name,
                                       "password": PASSWORD}).status_code == 303


def test_the_year_is_archived_and_learners_keep_their_work(app, tmp_path):
    teacher, ada, stranger, code = a_year(app)
    folder = tmp_path / "2026-27"
    done = year_end(app, str(folder))
    assert done.exit_code == 0, done.output
    assert "archived 1 class(es)" in done.output
    names = sorted(path.name for path in (folder / "classes").iterdir())
    class_id = names[0].split("-", 1)[0]
    assert names == [f"{class_id}-7B-attempts.csv", f"{class_id}-7B-progress.csv"]
    attempts = (folder / "classes" / names[0]).read_text(encoding="utf-8")
    assert attempts.startswith("\ufeffusername,lesson,question,choice,correct,time")
    assert "Ada,python-backend/http-basics,q1," in attempts
    progress = (folder / "classes" / names[1]).read_text(encoding="utf-8")
    assert "Ada,python-backend,http-basics," in progress
    [saved] = [path for path in folder.iterdir() if path.is_file()]
    assert saved.suffix in (".db", ".pgdump")
    # Last year's code no longer lets anyone in; nobody lost their work.
    assert post(ada, "/join", code=code).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Classroom.archived)) is True
    assert ANSWERED in ada.get(LESSON).get_data(as_text=True)
    assert ANSWERED in stranger.get(LESSON).get_data(as_text=True)
    # A second run never writes over the first one's folder.
    again = year_end(app, str(folder))
    assert again.exit_code == 1 and "not empty" in again.output


def test_removing_learners_keeps_the_teachers_and_the_archive(app, tmp_path):
    teacher, ada, stranger, _ = a_year(app)
    done = year_end(app, str(tmp_path / "year"), "--remove-learners", "--yes")
    assert done.exit_code == 0, done.output
    assert "Removed 2 learner(s)" in done.output
    assert "Ada," in next((tmp_path / "year" / "classes").glob("*-attempts.csv")).read_text(
        encoding="utf-8")
    assert ANSWERED not in ada.get(LESSON).get_data(as_text=True)
    assert ANSWERED not in stranger.get(LESSON).get_data(as_text=True)
    assert not can_log_in(app, "Ada")
    assert can_log_in(app, "Ms-Hopper")
    with app.app_context():
        assert db.session.scalars(select(Account.username)).all() == ["Ms-Hopper"]
        assert db.session.scalar(select(func.count(Learner.id))) == 1
        assert db.session.scalar(select(func.count(Classroom.id))) == 1


def test_answers_cleared_by_start_over_are_archived_and_go_with_the_learner(app, tmp_path):
    """"Start over" hides a first try from the learner, not from the year's archive; and
    removing the learners (as `flask purge` does, through the same cascade) takes the
    cleared answers too."""
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    _url, code = new_class(teacher)
    ada = logged_in(app, "Ada")
    assert post(ada, "/join", code=code).status_code == 303
    answer(ada, f"{LESSON}/quiz/q1", {"choice": wrong_choice(app)}, htmx=True)
    answer(ada, f"{LESSON}/quiz/start-over", htmx=True)
    answer(ada, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    done = year_end(app, str(tmp_path / "year"), "--remove-learners", "--yes")
    assert done.exit_code == 0, done.output
    rows = next((tmp_path / "year" / "classes").glob("*-attempts.csv")).read_text(
        encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[4] for row in rows] == ["no", "yes"]  # the wrong first try too
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0


def test_removing_learners_asks_first_and_a_no_changes_nothing(app, tmp_path):
    _, ada, _, code = a_year(app)
    declined = year_end(app, str(tmp_path / "year"), "--remove-learners", answer_with="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert not (tmp_path / "year").exists()
    assert ANSWERED in ada.get(LESSON).get_data(as_text=True)
    assert can_log_in(app, "Ada")
    with app.app_context():
        assert db.session.scalar(select(Classroom.archived)) is False


def test_a_class_name_too_long_for_a_file_name_is_cut_to_fit(app, tmp_path):
    """A hundred emoji are a valid class name of 400 bytes in UTF-8; a file name takes
    255 bytes on most file systems, so the archive stopped halfway (OSError)."""
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    assert post(teacher, "/teach/classes", name="🙂" * 100).status_code == 303
    assert post(teacher, "/teach/classes", name="é" * 100).status_code == 303
    done = year_end(app, str(tmp_path / "2026-27"))
    assert done.exit_code == 0, done.output
    names = sorted(path.name for path in (tmp_path / "2026-27" / "classes").iterdir())
    assert len(names) == 4 and all(len(name.encode()) <= 255 for name in names)
    assert names[0].endswith("-attempts.csv") and "🙂🙂" in names[0] + names[2]


def test_a_folder_that_cannot_be_made_is_a_message_not_a_traceback(app, tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    done = year_end(app, str(tmp_path / "notes.txt" / "2026-27"))
    assert done.exit_code == 1 and "Cannot make the folder" in done.output
    assert not isinstance(done.exception, OSError)
    with app.app_context():  # nothing archived when nothing could be written
        assert db.session.scalar(select(func.count(Classroom.id)).where(
            Classroom.archived.is_(True))) == 0
