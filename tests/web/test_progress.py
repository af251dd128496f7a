"""Reading progress and the FAQ: stored per learner, restored on return."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.models import FaqOpened, Learner

from .helpers import HTMX, LESSON, correct_choice, post

REACHED = f"{LESSON}/sections/what-is-http/reached"


def percent(page: str) -> int:
    return int(re.search(r'class="progress-percent">(\d+)%', page).group(1))


def test_reaching_a_section_returns_oob_updates(client):
    response = post(client, REACHED, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert 'id="progress" class="progress-card" hx-swap-oob="true"' in body
    assert percent(body) > 0
    assert 'id="toc-what-is-http" class="is-reached" hx-swap-oob="true"' in body
    assert 'id="read-what-is-http"' in body and "✓ Read" in body
    # Without JavaScript, the same moment shows in UTC.
    synced = re.search(r'data-synced-at="\d{4}-\d\d-\d\dT(\d\d:\d\d):\d\d\+00:00"', body)
    assert synced and f">Synced {synced.group(1)} UTC</p>" in body


def section_ids(app) -> list[str]:
    """The shipped lesson's sections in order, so an edit of the lesson moves the test too."""
    lesson = app.extensions["catalog"].lesson("python-backend", "http-basics")
    return [section.id for section in lesson.sections]


def test_mark_as_read_without_javascript_goes_to_the_next_section(client, app):
    first, second, *_, last_id = section_ids(app)
    assert REACHED.endswith(f"/sections/{first}/reached")
    response = post(client, REACHED)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#{second}")
    last = post(client, f"{LESSON}/sections/{last_id}/reached")
    assert last.headers["Location"].endswith("#quiz")


def test_progress_is_restored_and_continue_points_at_the_first_unread(client, app):
    post(client, REACHED)
    post(client, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)})
    page = client.get(LESSON).get_data(as_text=True)
    assert percent(page) > 0
    assert f'href="#{section_ids(app)[1]}">Continue where you left off' in page
    assert "1 of 6 correct on the first try" in page
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'lesson-percent">\d+%', home)


def test_reading_everything_shows_done(client, app):
    lesson = app.extensions["catalog"].lesson("python-backend", "http-basics")
    for section in lesson.sections:
        post(client, f"{LESSON}/sections/{section.id}/reached")
    for question in lesson.questions:
        post(client, f"{LESSON}/quiz/{question.id}", {"choice": question.correct_key})
    page = client.get(LESSON).get_data(as_text=True)
    assert percent(page) < 100 and "tasks to do" in page  # the lesson's tasks are left
    key = re.search(r"X-Sandbox-Key: ([\w-]+)", page)[1]
    client.get("/sandbox/get?sort=desc", headers={"X-Sandbox-Key": key})
    client.get("/sandbox/users/99", headers={"X-Sandbox-Key": key})
    page = client.get(LESSON).get_data(as_text=True)
    assert percent(page) == 100 and "done" in page
    assert "✓ Done" in client.get("/learn/python-backend/").get_data(as_text=True)


def test_progress_is_invisible_to_another_learner(app):
    alice, bob = app.test_client(), app.test_client()
    post(alice, REACHED)
    assert percent(alice.get(LESSON).get_data(as_text=True)) > 0
    assert percent(bob.get(LESSON).get_data(as_text=True)) == 0


def test_unknown_section_is_404_and_stores_nothing(client):
    response = post(client, f"{LESSON}/sections/nope/reached", htmx=True)
    assert response.status_code == 404 and "no such section" in response.get_data(as_text=True)
    assert percent(client.get(LESSON).get_data(as_text=True)) == 0


def test_faq_opens_and_closes_as_fragments_and_is_recorded(client, app):
    post(client, REACHED, htmx=True)  # the learner exists: a GET never creates one
    opened = client.get(f"{LESSON}/faq/faq-1?open=1", headers=HTMX)
    body = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "<html" not in body
    assert "HX-Request" in opened.headers["Vary"]
    assert 'aria-expanded="true"' in body and "TLS" in body
    closed = client.get(f"{LESSON}/faq/faq-1?open=0", headers=HTMX).get_data(as_text=True)
    assert 'aria-expanded="false"' in closed and "TLS" not in closed
    with app.app_context():
        assert db.session.scalars(select(FaqOpened.faq_id)).all() == ["faq-1"]


def test_opening_faqs_without_a_learner_creates_none(client, app):
    for _ in range(5):
        fresh = app.test_client()  # no cookie, as a stranger's loop would send
        assert fresh.get(f"{LESSON}?faq=faq-1").status_code == 200
        assert fresh.get(f"{LESSON}/faq/faq-1?open=1", headers=HTMX).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Learner.id))) == 0
        assert db.session.scalars(select(FaqOpened.faq_id)).all() == []


def test_faq_without_javascript_is_the_page_with_the_answer_open(client):
    response = client.get(f"{LESSON}/faq/faq-1?open=1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{LESSON}?faq=faq-1#faq-1")
    page = client.get(f"{LESSON}?faq=faq-1").get_data(as_text=True)
    assert re.search(r'aria-expanded="true"\s+aria-controls="faq-1-answer"', page)
    assert client.get(f"{LESSON}?faq=nope").status_code == 404
    assert client.get(f"{LESSON}/faq/nope?open=1", headers=HTMX).status_code == 404


def test_faq_heading_holds_its_button_and_the_glyph_is_hidden(client):
    page = client.get(LESSON).get_data(as_text=True)
    entry = page[page.index('<div class="faq-entry" id="faq-1">'):]
    entry = entry[:entry.index('<div class="faq-answer"')]
    # The form wraps the heading, so the heading's name is the button's: the question.
    assert re.search(r'<form method="get" action="[^"]*#faq-1">\s*'
                     r'<input type="hidden" name="faq" value="faq-1">\s*<h3><button ', entry)
    assert re.search(r'<span class="faq-question">What is the difference between HTTP and '
                     r'HTTPS\?</span><span class="faq-glyph" aria-hidden="true">\+</span>'
                     r'</button></h3>\s*</form>', entry)
    opened = client.get(f"{LESSON}?faq=faq-1").get_data(as_text=True)
    assert '<span class="faq-glyph" aria-hidden="true">−</span></button></h3>' in opened


def continue_link(body: str) -> str | None:
    card = re.search(r'<div id="progress".*?</div>', body, re.S).group(0)
    found = re.search(r'class="continue-link" href="#([^"]+)"', card)
    return found.group(1) if found else None


def test_the_progress_card_keeps_where_to_continue_after_each_swap(client, app):
    """The card swapped in after an answer, a section read or "Start over" dropped
    "Continue where you left off", which the page had shown (task updates kept it)."""
    first, second, third = section_ids(app)[:3]
    post(client, f"{LESSON}/sections/{second}/reached")
    assert continue_link(client.get(LESSON).get_data(as_text=True)) == first
    answered = post(client, f"{LESSON}/quiz/q1", {"choice": correct_choice(app)}, htmx=True)
    assert continue_link(answered.get_data(as_text=True)) == first
    reached = post(client, f"{LESSON}/sections/{first}/reached", htmx=True)
    assert continue_link(reached.get_data(as_text=True)) == third
    cleared = post(client, f"{LESSON}/quiz/start-over", htmx=True)
    assert continue_link(cleared.get_data(as_text=True)) == third
