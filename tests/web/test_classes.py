"""Classes from the teacher's side and the learner's: codes, joining, settings, members."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records import classrooms
from hyperlesson.records.classroom_models import ClassMember
from tests.conftest import PROJECT_LESSONS, make_app

from .helpers import csrf_token

PASSWORD = "correct horse battery"


def make_account(app, kind: str, name: str) -> None:
    result = app.test_cli_runner().invoke(args=["users", f"create-{kind}", name],
                                          env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output


def logged_in(app, name: str, kind: str = "learner"):
    make_account(app, kind, name)
    client = app.test_client()
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "username": name, "password": PASSWORD})
    assert response.status_code == 303
    return client


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/me"), **data})


def new_class(teacher, name: str = "7B") -> tuple[str, str]:
    """(the class page's URL, its join code)."""
    made = post(teacher, "/teach/classes", name=name)
    assert made.status_code == 303
    return made.headers["Location"], join_code(teacher, made.headers["Location"])


def join_code(teacher, url: str) -> str:
    found = re.search(r'class="join-code">([A-Z0-9-]+)<', teacher.get(url).get_data(as_text=True))
    return found.group(1) if found else ""


def test_a_teacher_logs_in_to_my_classes_and_a_learner_to_the_home_page(app):
    make_account(app, "teacher", "Ms-Hopper")
    make_account(app, "learner", "Ada")

    def log_in(name: str, **extra) -> str:
        client = app.test_client()
        return client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "username": name, "password": PASSWORD, **extra}
                           ).headers["Location"]

    assert log_in("Ms-Hopper") == "/teach/"
    assert log_in("Ada") == "/"
    # A `next` is where both were going: it wins.
    lesson = "/learn/python-backend/http-basics"
    assert log_in("Ms-Hopper", next=lesson) == lesson
    assert log_in("Ada", next=lesson) == lesson


def test_codes_are_readable():
    for _ in range(200):
        code = classrooms.new_code()
        assert len(code) == 8 and not set(code) & set("0O1IL")
    assert classrooms.normalize_code(" abcd-efgh ") == "ABCDEFGH"
    assert classrooms.shown_code("ABCDEFGH") == "ABCD-EFGH"


def test_a_learner_joins_with_the_code_in_any_case(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    learner = logged_in(app, "Ada")
    joined = post(learner, "/join", code=code.lower().replace("-", " "))
    assert joined.status_code == 303 and joined.headers["Location"] == "/me"
    assert "You joined 7B" in learner.get("/me").get_data(as_text=True)
    again = post(learner, "/join", code=code)
    assert again.status_code == 303
    assert "You are in 7B already" in learner.get("/me").get_data(as_text=True)
    assert "Ada" in teacher.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ClassMember.id))) == 1


def test_a_new_code_or_joining_off_stops_the_old_code(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, old = new_class(teacher)
    post(teacher, f"{url}/settings", action="new-code")
    new = join_code(teacher, url)
    assert new and new != old
    learner = logged_in(app, "Ada")
    refused = post(learner, "/join", code=old)
    assert refused.status_code == 422 and "No open class" in refused.get_data(as_text=True)
    post(teacher, f"{url}/settings", action="code-off")
    assert join_code(teacher, url) == ""
    assert post(learner, "/join", code=new).status_code == 422
    post(teacher, f"{url}/settings", action="new-code")
    post(teacher, f"{url}/settings", action="archive")
    assert post(learner, "/join", code=join_code(teacher, url)).status_code == 422


def test_rename_archive_restore_and_bad_settings(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, _code = new_class(teacher)
    assert post(teacher, f"{url}/settings", action="rename", name="  8A   Web ").status_code == 303
    assert "<h1>8A Web" in teacher.get(url).get_data(as_text=True)
    for data in ({"action": "rename", "name": ""}, {"action": "rename", "name": "x" * 101},
                 {"action": "explode"}):
        assert post(teacher, f"{url}/settings", **data).status_code == 422, data
    assert post(teacher, "/teach/classes", name="   ").status_code == 422
    post(teacher, f"{url}/settings", action="archive")
    assert "(archived)" in teacher.get("/teach/").get_data(as_text=True)
    post(teacher, f"{url}/settings", action="restore")
    assert "(archived)" not in teacher.get("/teach/").get_data(as_text=True)


def test_an_archived_class_offers_no_join_code(app):
    """"New code" on an archived class answered "The new join code is ABCD-EFGH", a code
    that no learner could use: the join form refuses every archived class."""
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, _code = new_class(teacher)
    post(teacher, f"{url}/settings", action="archive")
    page = teacher.get(url).get_data(as_text=True)
    assert 'value="new-code"' not in page and 'value="code-off"' not in page
    for action in ("new-code", "code-off"):
        refused = post(teacher, f"{url}/settings", action=action)
        assert refused.status_code == 422, action
        assert "make it active again" in refused.get_data(as_text=True)
    post(teacher, f"{url}/settings", action="restore")
    assert 'value="new-code"' in teacher.get(url).get_data(as_text=True)


def test_guessing_codes_is_limited_per_network(tmp_path, migrated_db):
    path = tmp_path / "guess.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, JOIN_FAILURES_PER_NETWORK=3)
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    _url, code = new_class(teacher)
    learner = logged_in(app, "Ada")
    assert [post(learner, "/join", code=f"WRONG{n:03}").status_code for n in range(3)] \
        == [422, 422, 422]
    refused = post(learner, "/join", code=code)  # even the right one, for a while
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_sign_up_with_a_code_joins_the_class(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    client = app.test_client()
    made = client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                        "username": "Ada", "password": PASSWORD,
                                        "confirm": PASSWORD, "code": code})
    assert made.status_code == 303
    assert "You are in 7B" in client.get("/me").get_data(as_text=True)
    assert "Ada" in teacher.get(url).get_data(as_text=True)


@pytest.fixture
def code_app(tmp_path, migrated_db):
    path = tmp_path / "code.db"
    shutil.copy(migrated_db, path)
    return make_app(path, SIGNUP="code")


def test_sign_up_can_require_a_code(code_app):
    teacher = logged_in(code_app, "Ms-Hopper", "teacher")
    _url, code = new_class(teacher)
    client = code_app.test_client()
    form = {"username": "Ada", "password": PASSWORD, "confirm": PASSWORD}
    for wrong in ("", "ABCD-EFGH"):
        refused = client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                               **form, "code": wrong})
        assert refused.status_code == 422
        assert "code" in refused.get_data(as_text=True).lower()
    made = client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                        **form, "code": code})
    assert made.status_code == 303


def test_a_teacher_removes_a_learner_and_sets_their_password(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    learner = logged_in(app, "Ada")
    post(learner, "/join", code=code)
    with app.app_context():
        learner_id = db.session.scalar(select(ClassMember.learner_id))
    weak = post(teacher, f"{url}/learners/{learner_id}/password", password="short")
    assert weak.status_code == 422 and "8 to 256" in weak.get_data(as_text=True)
    assert post(teacher, f"{url}/learners/{learner_id}/password",
                password="a fresh secret").status_code == 303
    assert learner.get("/me").status_code == 303  # logged out by the new password
    again = app.test_client()
    assert again.post("/login", data={"csrf_token": csrf_token(again, "/login"),
                                      "username": "Ada",
                                      "password": "a fresh secret"}).status_code == 303
    assert post(teacher, f"{url}/learners/{learner_id}/remove").status_code == 303
    assert "Nobody has joined yet" in teacher.get(url).get_data(as_text=True)
    assert post(teacher, f"{url}/learners/{learner_id}/remove").status_code == 404


def test_a_teacher_cannot_reset_another_teachers_password(app):
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    other = logged_in(app, "Mr-Turing", "teacher")
    post(other, "/join", code=code)
    with app.app_context():
        other_id = db.session.scalar(select(ClassMember.learner_id))
    assert post(teacher, f"{url}/learners/{other_id}/password",
                password="a fresh secret").status_code == 403


def test_class_tracks_come_first_on_the_home_page(tmp_path, migrated_db):
    lessons = tmp_path / "lessons"
    shutil.copytree(PROJECT_LESSONS / "python-backend", lessons / "python-backend")
    shutil.copytree(PROJECT_LESSONS / "python-backend", lessons / "web-basics")
    (lessons / "web-basics" / "track.yaml").write_text(
        "title: Web basics\ndescription: The same lessons again, for this test.\norder: 2\n")
    path = tmp_path / "tracks.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LESSONS_DIR=str(lessons), LESSON_CACHE=False)
    teacher = logged_in(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    post(teacher, f"{url}/settings", action="tracks", track=["web-basics", "no-such-track"])
    learner = logged_in(app, "Ada")

    def order(client) -> list[str]:
        return re.findall(r'<h2 id="track-([a-z-]+)"', client.get("/").get_data(as_text=True))

    assert order(learner) == ["python-backend", "web-basics"]
    post(learner, "/join", code=code)
    assert order(learner) == ["web-basics", "python-backend"]
    assert "Your class works on this track" in learner.get("/").get_data(as_text=True)
