"""Start-up with many lessons: an app whose lessons were parsed in forked children
serves them, and the rest of start-up, done meanwhile, runs once, outside a request."""

from __future__ import annotations

import os
import shutil

import pytest
from flask import has_app_context, has_request_context

from hyperlesson.content import lesson_files
from hyperlesson.web.catalog import init_catalog
from tests.conftest import make_app
from tests.unit.test_catalog_loading import many_lessons


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_an_app_whose_lessons_were_parsed_in_two_processes_serves_them(tmp_path, migrated_db,
                                                                       monkeypatch):
    lessons = many_lessons(tmp_path / "lessons")
    db_path = tmp_path / "test.db"
    shutil.copy(migrated_db, db_path)
    asked = []
    monkeypatch.setattr(lesson_files, "usable_processes",
                        lambda jobs: asked.append(jobs) or 2)
    app = make_app(db_path, LESSONS_DIR=str(lessons))
    catalog = app.extensions["catalog"]
    broken = {problem.path for problem in catalog.problems}
    # Every file without a problem is served, whichever shipped lessons were copied.
    assert asked == [40] and len(broken) >= 6 and catalog.lesson_count == 40 - len(broken)
    client = app.test_client()
    page = client.get("/learn/t/lesson-039").get_data(as_text=True)
    assert "Send POST /sandbox/users" in page  # a preset form, rendered in a child or here
    assert 'src="/learn/t/assets/flow.png"' in page
    assert client.get("/sandbox/get").status_code == 200  # mounted meanwhile


def test_the_rest_of_start_up_runs_once_outside_the_catalogs_request(app):
    seen = []
    init_catalog(app, meanwhile=lambda: seen.append((has_app_context(),
                                                     has_request_context())))
    assert seen == [(False, False)]
