"""A draft lesson (`draft: true`): in no track and served to nobody, but a teacher can
open it to preview it, from "My classes" or by its address."""

from __future__ import annotations

import shutil

import pytest

from hyperlesson.extensions import db
from hyperlesson.records import accounts
from tests.conftest import make_app
from tests.unit.lesson_files import VALID, edit

from .helpers import csrf_token, post

PASSWORD = "correct horse battery"
DRAFT = "/learn/t/draft"


@pytest.fixture
def app(tmp_path, migrated_db):
    track = tmp_path / "lessons" / "t"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: T\ndescription: D\n")
    (track / "live.md").write_text(VALID)
    (track / "draft.md").write_text(edit("order: 1", "order: 2\ndraft: true"))
    shutil.copy(migrated_db, tmp_path / "d.db")
    app = make_app(tmp_path / "d.db", LESSONS_DIR=str(tmp_path / "lessons"))
    with app.app_context():
        for name, role in (("Rivera", "teacher"), ("Sam", "learner")):
            accounts.create(name, accounts.hash_password(name, PASSWORD),
                            accounts.new_learner(), role)
        db.session.commit()
    return app


def logged_in(app, name: str):
    client = app.test_client()
    post(client, "/login", {"username": name, "password": PASSWORD},
         token=csrf_token(client, "/login"))
    return client


def test_a_draft_is_served_to_nobody_but_teachers(app):
    assert app.test_client().get(DRAFT).status_code == 404
    assert logged_in(app, "Sam").get(DRAFT).status_code == 404
    teacher = logged_in(app, "Rivera")
    page = teacher.get(DRAFT)
    assert page.status_code == 200
    assert "A draft: only teachers can open it" in page.get_data(as_text=True)
    assert "A draft" not in teacher.get("/learn/t/live").get_data(as_text=True)
    track = teacher.get("/learn/t/").get_data(as_text=True)
    assert DRAFT not in track  # still in no track's list, even for a teacher


def test_my_classes_lists_the_drafts_to_preview(app):
    home = logged_in(app, "Rivera").get("/teach/").get_data(as_text=True)
    assert "Draft lessons" in home and f'href="{DRAFT}"' in home
