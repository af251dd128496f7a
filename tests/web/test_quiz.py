"""Answering quiz questions: fragments for htmx, 303 for plain forms, one row per answer."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.models import QuizAttempt

from .helpers import HTMX, LESSON, correct_choice, csrf_token, post, wrong_choice

ANSWER = f"{LESSON}/quiz/q1"


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


def test_htmx_answer_is_a_fragment_with_feedback_and_oob_updates(client, app):
    response = post(client, ANSWER, {"choice": wrong_choice(app)}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert 'class="verdict">Incorrect' in body
    assert 'id="quiz-score" class="quiz-score" hx-swap-oob="true">0 of ' in body
    # A wrong answer moves no progress, so the progress card does not travel.
    assert 'id="progress"' not in body
    assert 'id="quiz-announcer" hx-swap-oob="innerHTML">Question 1: Incorrect' in body
    right = post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True)
    assert 'id="progress" class="progress-card" hx-swap-oob="true"' in right.get_data(
        as_text=True)
    # The feedback fragment stays small; `make bench` reports its exact size.
    assert len(response.data) < 2048 and len(right.data) < 2048 + 256


def test_wrong_then_right_marks_the_question_done(client, app):
    post(client, ANSWER, {"choice": wrong_choice(app)}, htmx=True)
    body = post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True).get_data(
        as_text=True)
    assert 'class="verdict">Correct' in body
    assert 'class="question is-done"' in body
    assert body.count("disabled") >= 2
    # the first try was wrong, so the score does not count it
    assert ">0 of 6 correct on the first try · 5 to go<" in body


def test_right_first_time_counts_in_the_score(client, app):
    body = post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True).get_data(
        as_text=True)
    assert ">1 of 6 correct on the first try · 5 to go<" in body


def test_plain_form_post_redirects_to_the_question_and_shows_feedback(client, app):
    response = post(client, ANSWER, {"choice": wrong_choice(app)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{LESSON}#q1")
    page = client.get(LESSON).get_data(as_text=True)
    assert "<html" in page and 'class="verdict">Incorrect' in page


def test_double_submit_stores_one_attempt(client, app):
    token = csrf_token(client)
    for _ in range(3):
        post(client, ANSWER, {"choice": wrong_choice(app)}, htmx=True, token=token)
    assert attempts(app) == 1


def live_attempts(app) -> int:
    """The attempts the learner still sees: "Start over" clears, it does not delete."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt)
                                 .where(QuizAttempt.cleared_at.is_(None)))


def test_start_over_clears_this_lessons_answers(client, app):
    post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True)
    other = "/learn/python-backend/rest-api/quiz/q1"
    post(client, other, {"choice": correct_choice(app, lesson=("python-backend", "rest-api"))})
    response = post(client, f"{LESSON}/quiz/start-over", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and '<section id="quiz"' in body
    assert ">0 of 6 correct on the first try<" in body
    assert live_attempts(app) == 1  # the other lesson's answer stays
    assert attempts(app) == 2  # this one's too, cleared: the teacher's first try
    response = post(client, f"{LESSON}/quiz/start-over")
    assert response.status_code == 303 and response.headers["Location"].endswith("#quiz")


def test_unknown_option_is_422_and_stores_nothing(client, app):
    response = post(client, ANSWER, {"choice": "z"}, htmx=True)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "has no option" in body and "<html" not in body
    assert response.headers["HX-Reswap"] == "beforeend"
    page_response = post(client, ANSWER, {})
    assert page_response.status_code == 422 and "<html" in page_response.get_data(as_text=True)
    assert attempts(app) == 0


def test_unknown_question_or_lesson_is_404(client, app):
    assert post(client, f"{LESSON}/quiz/q99", {"choice": "a"}).status_code == 404
    assert post(client, "/learn/python-backend/nope/quiz/q1", {"choice": "a"}).status_code == 404
    assert attempts(app) == 0


def test_missing_or_stale_csrf_token_is_refused_readably(client, app):
    client.get(LESSON)
    response = client.post(ANSWER, data={"choice": "a"}, headers=HTMX)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Reload the page" in body and "<html" not in body
    response = client.post(ANSWER, data={"choice": "a", "csrf_token": "forged"})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert attempts(app) == 0


def test_htmx_header_token_is_accepted(client, app):
    token = csrf_token(client)
    response = client.post(ANSWER, data={"choice": "a"}, headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200


def test_answers_are_private_to_each_learner(app):
    alice, bob = app.test_client(), app.test_client()
    post(alice, ANSWER, {"choice": wrong_choice(app)})
    assert 'class="verdict"' in alice.get(LESSON).get_data(as_text=True)
    assert 'class="verdict"' not in bob.get(LESSON).get_data(as_text=True)


def test_options_are_named_by_letter_and_label_and_the_verdict_says_both(client, app):
    question = app.extensions["catalog"].lesson("python-backend", "http-basics").question("q1")
    wrong = next(o for o in question.options if not o.correct)
    page = client.get(LESSON).get_data(as_text=True)
    # The letter is part of the name ("A 200"), so "click A" works by voice.
    assert 'class="option-letter">A</span> <span class="option-label">' in page
    assert 'option-letter" aria-hidden' not in page
    body = post(client, ANSWER, {"choice": wrong.key}, htmx=True).get_data(as_text=True)
    verdict = (f"Incorrect: {wrong.letter}, {wrong.label_text}, is not the right answer. "
               "Try again.")
    assert f'class="verdict">{verdict}</p>' in body
    assert f"Question 1: {verdict}</p>" in body
    # The chosen option keeps its visible name; "your answer" is its description.
    assert "aria-label" not in body.split('class="feedback')[0]
    assert (f'aria-describedby="q1-{wrong.key}-state"' in body
            and f'<span id="q1-{wrong.key}-state" hidden>Your answer, incorrect</span>' in body)


def lesson_percent(client, url: str = "/learn/python-backend/") -> str | None:
    """What the track page (the home page's list too) shows after HTTP basics."""
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'>HTTP basics</a>\s*<span class="meta">[^<]*</span>\s*'
                      r'<span class="meta lesson-percent">(\d+)%', page)
    return found.group(1) if found else None


def test_after_start_over_the_learner_sees_none_of_the_cleared_answers(client, app):
    post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True)
    assert lesson_percent(client) not in (None, "0") and lesson_percent(client, "/")
    post(client, f"{LESSON}/quiz/start-over", htmx=True)
    page = client.get(LESSON).get_data(as_text=True)
    assert 'class="verdict"' not in page and ">0 of 6 correct on the first try<" in page
    assert '<span class="progress-percent">0%</span>' in page
    assert lesson_percent(client) is None and lesson_percent(client, "/") is None
    # The same choice again is a new answer (the cleared one does not stop it), and the
    # learner's own first try now: a double click is still one row.
    token = csrf_token(client)
    for _ in range(2):
        again = post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True, token=token)
    assert 'class="verdict">Correct' in again.get_data(as_text=True)
    assert ">1 of 6 correct on the first try · 5 to go<" in again.get_data(as_text=True)
    assert live_attempts(app) == 1 and attempts(app) == 2


def test_my_progress_forgets_a_quiz_started_over(client, app):
    client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                 "username": "Ada", "password": "correct horse battery",
                                 "confirm": "correct horse battery"})
    post(client, ANSWER, {"choice": correct_choice(app)}, htmx=True)
    assert "HTTP basics" in client.get("/me").get_data(as_text=True)
    post(client, f"{LESSON}/quiz/start-over", htmx=True)
    # Nothing else was done in the lesson: as before the answers were kept, it is gone.
    assert "HTTP basics" not in client.get("/me").get_data(as_text=True)
