"""Counts read as English: "1 lesson", "1 question", "2 sections"."""

from __future__ import annotations

import shutil

import pytest

from hyperlesson.wording import counted
from tests.conftest import make_app
from tests.unit.lesson_files import VALID


@pytest.mark.parametrize(("number", "expected"), [
    (0, "0 lessons"), (1, "1 lesson"), (2, "2 lessons"), (21, "21 lessons")])
def test_counted(number, expected):
    assert counted(number, "lesson") == expected


def test_an_irregular_plural():
    assert counted(2, "quiz", "quizzes") == "2 quizzes" and counted(1, "quiz") == "1 quiz"


def test_a_track_of_one_lesson_with_one_question(tmp_path, migrated_db):
    track = tmp_path / "lessons" / "tiny"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text("title: Tiny\ndescription: One lesson.\norder: 1\n")
    (track / "sample.md").write_text(VALID)
    shutil.copy(migrated_db, tmp_path / "w.db")
    client = make_app(tmp_path / "w.db", LESSONS_DIR=str(tmp_path / "lessons"),
                      LESSON_CACHE=False).test_client()
    track_page = client.get("/learn/tiny/").get_data(as_text=True)
    assert "1 lesson ·" in track_page and "1 lessons" not in track_page
    lesson_page = client.get("/learn/tiny/sample").get_data(as_text=True)
    assert "<span>2 sections</span> · <span>1 question</span>" in lesson_page
