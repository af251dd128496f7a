"""Need help?: a learner in a class asks about a lesson, the teacher answers on the class
page, the learner's open page picks the answer up by polling; everyone else is told
where help is. Scoped: another teacher or learner sees nothing and gets 404s."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.classroom_models import HelpRequest
from hyperlesson.records.help import learner_version
from hyperlesson.records.models import Account
from tests.conftest import make_app

from .helpers import HTMX, LESSON, csrf_token

PASSWORD = "correct horse battery"
ASK = f"{LESSON}/help"


def account(app, name: str, kind: str = "learner"):
    result = app.test_cli_runner().invoke(args=["users", f"create-{kind}", name],
                                          env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                       "username": name, "password": PASSWORD}
                       ).status_code == 303
    return client


def post(client, url: str, htmx: bool = False, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/join"), **data},
                       headers=HTMX if htmx else {})


def new_class(teacher, name: str = "7B") -> tuple[str, str]:
    """(the class page's URL, its join code)."""
    url = post(teacher, "/teach/classes", name=name).headers["Location"]
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', teacher.get(url).get_data(as_text=True))
    return url, code.group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(HelpRequest.id)))


def poll_url(html: str) -> str | None:
    found = re.search(r'hx-get="([^"]*/help\?v=[^"]*)" hx-trigger="every 5s"', html)
    return unescape(found.group(1)) if found else None


@pytest.fixture
def room(app):
    """A teacher's class with the learner Ada in it."""
    teacher = account(app, "Ms-Hopper", "teacher")
    url, code = new_class(teacher)
    ada = account(app, "Ada")
    assert post(ada, "/join", code=code).status_code == 303
    return teacher, url, ada


def test_a_learner_in_a_class_asks_with_htmx(app, room):
    _teacher, _url, ada = room
    page = text(ada.get(LESSON))
    assert 'id="help"' in page and 'name="question"' in page and "The whole lesson" in page
    response = post(ada, ASK, htmx=True, question="Why 404?", section="status-codes")
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = text(response)
    assert "<html" not in fragment and fragment.lstrip().startswith("<section id=\"help\"")
    assert "Why 404?" in fragment and "Status codes" in fragment and "is sent" in fragment
    assert poll_url(fragment).startswith(f"{ASK}?v=")
    again = post(ada, ASK, htmx=True, question="Why 404?", section="status-codes")
    assert again.status_code == 200 and stored(app) == 1  # a double click is one question
    with app.app_context():
        asked = db.session.scalar(select(HelpRequest))
        assert asked.section_id == "status-codes"
        assert asked.lesson_key == "python-backend/http-basics"


def test_a_plain_form_asks_and_gets_a_303_back_to_help(app, room):
    _teacher, _url, ada = room
    response = post(ada, ASK, question="What is a header?")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{LESSON}#help")
    assert "HX-Request" in response.headers["Vary"]
    page = text(ada.get(LESSON))
    assert "What is a header?" in page and "Waiting for an answer" in page
    assert stored(app) == 1


@pytest.mark.parametrize("question", ["", "   \n ", "x" * 2001])
def test_an_empty_or_overlong_question_is_refused_and_nothing_stored(app, room, question):
    _teacher, _url, ada = room
    fragment = post(ada, ASK, htmx=True, question=question)
    assert fragment.status_code == 422 and "<html" not in text(fragment)
    assert "empty" in text(fragment) or "at most 2,000" in text(fragment)
    page = post(ada, ASK, question=question, section="status-codes")
    assert page.status_code == 422 and "<html" in text(page)
    assert 'value="status-codes" selected' in text(page)  # the form comes back as sent
    assert stored(app) == 0


def test_an_unknown_section_is_refused(app, room):
    response = post(room[2], ASK, htmx=True, question="Hm?", section="nope")
    assert response.status_code == 422 and "no such section" in text(response)
    assert stored(app) == 0


def test_a_5_mb_question_is_a_readable_413(app, room):
    _teacher, _url, ada = room
    response = post(ada, ASK, question="x" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than this server accepts" in text(response)
    assert stored(app) == 0


def test_the_teacher_answers_and_the_learners_poll_picks_it_up(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Why 404?", section="status-codes")
    old = poll_url(text(ada.get(LESSON)))
    unchanged = ada.get(old, headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    card = text(teacher.get(url))
    assert "Help requests" in card and "(1 waiting)" in card
    assert all(part in card for part in ("Ada", "HTTP basics", "Status codes", "Why 404?"))
    help_id = re.search(r'/help/(\d+)/answer', card).group(1)
    answered = post(teacher, f"{url}/help/{help_id}/answer", htmx=True,
                    answer="Nothing is there.\nCheck the path.")
    assert answered.status_code == 200 and "<html" not in text(answered)
    assert "No question is waiting" in text(answered) and "Check the path." in text(answered)
    # The learner's open page polls with what it shows: now changed, so the answer comes.
    polled = ada.get(old, headers=HTMX)
    assert polled.status_code == 200 and "HX-Request" in polled.headers["Vary"]
    assert "Nothing is there.\nCheck the path." in text(polled)
    assert poll_url(text(polled)) is None  # nothing waits: it stops polling
    # Polled again with the version it now shows (the fragment no longer polls, but a
    # second tab may): 204.
    with app.app_context():
        learner = db.session.scalar(select(Account).filter_by(username="Ada")).learner
        version = learner_version(learner, "python-backend/http-basics")
    assert ada.get(f"{ASK}?v={version}", headers=HTMX).status_code == 204
    assert ada.get(old).status_code == 303  # opened by hand: the lesson page
    assert "Check the path." in text(ada.get(LESSON))  # the answer stays
    # The page's version (counted from the rows it shows) is the poll's (one aggregate
    # query), answer times included: a new question's page polls to a 204.
    post(ada, ASK, question="And 410?")
    assert ada.get(poll_url(text(ada.get(LESSON))), headers=HTMX).status_code == 204


def test_answers_are_checked_and_plain_forms_get_a_303(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Why?")
    help_id = re.search(r'/help/(\d+)/answer', text(teacher.get(url))).group(1)
    empty = post(teacher, f"{url}/help/{help_id}/answer", htmx=True, answer="  ")
    assert empty.status_code == 422 and "empty" in text(empty)
    long = post(teacher, f"{url}/help/{help_id}/answer", answer="y" * 5001)
    assert long.status_code == 422 and "<html" in text(long) and "y" * 5001 in text(long)
    done = post(teacher, f"{url}/help/{help_id}/answer", answer="Because.")
    assert done.status_code == 303 and done.headers["Location"].endswith("#help")
    resolved = post(teacher, f"{url}/help/{help_id}/resolve")
    assert resolved.status_code == 303
    assert "Resolved" in text(teacher.get(url))


def test_the_teachers_card_polls_with_a_cheap_version(app, room):
    teacher, url, ada = room
    card_poll = poll_url(text(teacher.get(url)))
    assert card_poll.startswith(f"{url}/help?v=")
    assert teacher.get(card_poll, headers=HTMX).status_code == 204
    assert teacher.get(card_poll).status_code == 303
    post(ada, ASK, question="New one")
    changed = teacher.get(card_poll, headers=HTMX)
    assert changed.status_code == 200 and "New one" in text(changed)


def test_resolved_without_an_answer_stops_the_learners_poll(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Never mind")
    help_id = re.search(r'/help/(\d+)/resolve', text(teacher.get(url))).group(1)
    post(teacher, f"{url}/help/{help_id}/resolve", htmx=True)
    page = text(ada.get(LESSON))
    assert "marked this resolved" in page and poll_url(page) is None


def test_a_learner_in_no_class_is_told_where_help_is(app, client):
    page = text(client.get(LESSON))
    assert 'href="#faq"' in page and 'href="/join"' in page and 'name="question"' not in page
    loner = account(app, "Grace")
    page = text(loner.get(LESSON))
    assert 'href="#faq"' in page and 'name="question"' not in page
    assert post(loner, ASK, question="Hello?").status_code == 403
    assert stored(app) == 0


def test_the_contact_line_shows_when_configured(tmp_path, migrated_db):
    shutil.copy(migrated_db, tmp_path / "contact.db")
    app = make_app(tmp_path / "contact.db", HELP_CONTACT="Ask in room <12>")
    assert "Ask in room &lt;12&gt;" in text(app.test_client().get(LESSON))


def test_another_teacher_gets_404s(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Mine")
    help_id = re.search(r'/help/(\d+)/answer', text(teacher.get(url))).group(1)
    other = account(app, "Mr-Other", "teacher")
    other_url, _code = new_class(other, "8C")
    for action in ("answer", "resolve"):
        assert post(other, f"{url}/help/{help_id}/{action}", answer="x").status_code == 404
        # Their own class with this class's request id: no such request there either.
        assert post(other, f"{other_url}/help/{help_id}/{action}",
                    answer="x").status_code == 404
    assert other.get(f"{url}/help", headers=HTMX).status_code == 404
    assert "Mine" not in text(other.get(other_url))
    with app.app_context():
        assert db.session.scalar(select(HelpRequest)).answer is None


def test_another_learner_sees_only_their_own_requests(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Ada's secret question")
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', text(teacher.get(url))).group(1)
    bob = account(app, "Bob")
    post(bob, "/join", code=code)
    assert "secret" not in text(bob.get(LESSON))
    assert "secret" not in text(bob.get(f"{ASK}?v=0", headers=HTMX))
    help_id = re.search(r'/help/(\d+)/answer', text(teacher.get(url))).group(1)
    assert post(bob, f"{url}/help/{help_id}/answer", answer="x").status_code == 403


def test_learner_text_is_escaped_and_kept_as_plain_text(app, room):
    teacher, url, ada = room
    post(ada, ASK, question='<script>alert("x")</script>\n<b>bold</b>')
    card = text(teacher.get(url))
    assert "<script>alert" not in card and "&lt;script&gt;alert" in card
    assert "&lt;b&gt;bold&lt;/b&gt;" in card
    help_id = re.search(r'/help/(\d+)/answer', card).group(1)
    post(teacher, f"{url}/help/{help_id}/answer", answer="<img src=x onerror=alert(1)> **no**")
    page = text(ada.get(LESSON))
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; **no**" in page
    assert "<script>alert" not in page


def test_a_learner_in_several_classes_chooses_one(app, room):
    teacher, url, ada = room
    _other_url, code = new_class(teacher, "Evening")
    post(ada, "/join", code=code)
    page = text(ada.get(LESSON))
    assert 'name="class"' in page and "Evening" in page
    assert post(ada, ASK, htmx=True, question="Which?").status_code == 422
    class_id = re.search(r'<option value="(\d+)">Evening', page).group(1)
    assert post(ada, ASK, question="Which?", **{"class": class_id}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(HelpRequest.classroom_id)) == int(class_id)


def test_an_archived_classs_answers_stay_readable_and_nothing_new_is_asked(app, room):
    teacher, url, ada = room
    post(ada, ASK, question="Why 404?")
    help_id = re.search(r'/help/(\d+)/answer', text(teacher.get(url))).group(1)
    post(teacher, f"{url}/help/{help_id}/answer", answer="Nothing is there.")
    post(teacher, f"{url}/settings", action="archive")
    page = text(ada.get(LESSON))
    # The learner who asked still reads the question and the answer...
    assert "Why 404?" in page and "Nothing is there." in page
    # ...but the archived class takes no new question: no form, and a posted one is a 403.
    assert 'name="question"' not in page
    # She is told why, not invited to join a class as if she had never been in one.
    assert "has ended: it takes no new questions" in page and "join your class" not in page
    assert post(ada, ASK, question="And 410?").status_code == 403
    assert stored(app) == 1
    # Another learner of the class sees none of it.
    bob = account(app, "Bob")
    assert "Why 404?" not in text(bob.get(LESSON))
