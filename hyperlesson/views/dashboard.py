"""The class dashboard: a teacher sees what the class's learners did, live.

Every route is the class's teacher's only (`teach.own_class`: another teacher's class is
a 404; a learner's account a 403). The class table and a lesson's stats poll with htmx
every few seconds at the version they were rendered at: an unchanged class answers 204
(htmx 4 swaps nothing) after one aggregate query; a changed one, the fragment with the
new version in its poll URL. Without JavaScript a reload shows the same data."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from ..records import class_stats
from ..web.catalog import current_catalog, find_lesson
from ..web.class_csv import ATTEMPTS_HEADER, attempt_rows, csv_download, csv_text, progress_csv_text
from ..web.dashboard import class_board
from ..web.htmx import fragment, is_htmx, render, see_other, shows_version, unchanged
from ..web.learner_report import learner_report
from ..web.lesson_stats import lesson_stats
from .teach import own_class, own_member, teacher_only

bp = Blueprint("dashboard", __name__, url_prefix="/teach/classes/<int:class_id>")


@bp.after_request
def private(response):
    # Learners' records: never kept by a shared cache, and a poll never answered by one.
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


@bp.get("/progress")
@teacher_only
def progress(class_id: int):
    """Fragment for htmx: the class table, replacing #class-progress; 204 when nothing
    changed since `v`. Without htmx: 303 to the class page, which shows the table."""
    classroom = own_class(class_id)
    if not is_htmx():
        return see_other(url_for("teach.show", class_id=classroom.id,
                                 _anchor="class-progress"))
    version = class_stats.class_version(classroom)
    if shows_version(version):
        return unchanged()
    return fragment("teach/_class_progress.html", board=class_board(classroom, version))


@bp.get("/lessons/<track_slug>/<lesson_slug>")
@teacher_only
def lesson(class_id: int, track_slug: str, lesson_slug: str):
    """Page: how the class did in one lesson (`?projector=1`: without names or the right
    answers). For htmx, the fragment replacing #lesson-stats, or 204 when unchanged."""
    classroom = own_class(class_id)
    _, found = find_lesson(track_slug, lesson_slug)
    version = class_stats.class_version(classroom)
    if shows_version(version):
        return unchanged()
    stats = lesson_stats(classroom, found, version, request.args.get("projector") == "1")
    return render("teach/lesson_stats.html", "teach/_lesson_stats.html", stats=stats)


@bp.get("/learners/<int:learner_id>")
@teacher_only
def learner(class_id: int, learner_id: int):
    """Page: one learner of the class: answers in order, sections, FAQ, try-it runs."""
    classroom = own_class(class_id)
    member = own_member(classroom, learner_id)
    lessons, runs = learner_report(classroom, current_catalog(),
                                   class_stats.member_history(classroom, member))
    return render_template("teach/learner.html", classroom=classroom, member=member,
                           lessons=lessons, runs=runs)


@bp.get("/progress.csv")
@teacher_only
def progress_csv(class_id: int):
    """A download: a row per learner and lesson of the class table, with its tasks."""
    classroom = own_class(class_id)
    return csv_download(progress_csv_text(class_board(classroom)), classroom, "progress")


@bp.get("/attempts.csv")
@teacher_only
def attempts_csv(class_id: int):
    """A download: every answer of every learner of the class, in time order."""
    classroom = own_class(class_id)
    return csv_download(
        csv_text(ATTEMPTS_HEADER, attempt_rows(class_stats.class_attempts(classroom))),
        classroom, "attempts")
