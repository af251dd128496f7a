"""The class features attacked as a hostile or careless user would: odd Unicode in what
people type, forged forms, guessing passwords. Each answer is a 4xx with a message or a
correct result, and nothing of another user's is read or changed.

Run on PostgreSQL too (`make test-postgres`): a NUL there was a 500."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records import accounts
from hyperlesson.records.classroom_models import ClassMember, Classroom, ClassTrack, HelpRequest
from hyperlesson.records.classrooms import normalize_code
from hyperlesson.records.models import Account, RateCounter
from tests.conftest import make_app

from .helpers import LESSON, csrf_token, page_text

PASSWORD = "correct horse battery"


def account(app, name: str, kind: str = "learner"):
    """A logged-in client of a new account made as a school would (the command line)."""
    made = app.test_cli_runner().invoke(args=["users", f"create-{kind}", name],
                                        env={"HYPERLESSON_NEW_PASSWORD": PASSWORD})
    assert made.exit_code == 0, made.output
    client = app.test_client()
    assert login(client, name).status_code == 303
    return client


def login(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                       "username": username, "password": password})


def signup(client, username: str, code: str = ""):
    return client.post("/signup", data={"csrf_token": csrf_token(client, "/signup"),
                                        "username": username, "password": PASSWORD,
                                        "confirm": PASSWORD, "code": code})


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/login"), **data})


def count(app, what) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(what))


@pytest.fixture
def room(app):
    """A teacher's class 7B, its page and join code, and the learner Ada in it."""
    teacher = account(app, "Ms-Hopper", "teacher")
    url = post(teacher, "/teach/classes", name="7B").headers["Location"]
    code = re.search(r'class="join-code">([A-Z0-9-]+)<',
                     teacher.get(url).get_data(as_text=True)).group(1)
    ada = account(app, "Ada")
    assert post(ada, "/join", code=code).status_code == 303
    return teacher, url, code, ada


# PostgreSQL refuses a NUL in any text value, so each of these was a 500 there (the
# login's failure counter is keyed by the username; a code or a name is looked up).
def test_a_nul_in_any_class_form_is_a_400_that_names_it(app, room):
    teacher, url, code, ada = room
    stranger = app.test_client()
    attempts = [
        (stranger, "/login", {"username": "Ad\x00a", "password": PASSWORD}),
        (stranger, "/signup", {"username": "Bob", "password": PASSWORD,
                               "confirm": PASSWORD, "code": code[:4] + "\x00" + code[5:]}),
        (ada, "/join", {"code": code[:4] + "\x00" + code[5:]}),
        (ada, f"{LESSON}/help", {"question": "why\x00?"}),
        (ada, f"{LESSON}/help", {"question": "why?", "section": "what\x00"}),
        (teacher, "/teach/classes", {"name": "8\x00C"}),
        (teacher, f"{url}/settings", {"action": "rename", "name": "7\x00B"}),
        (teacher, f"{url}/settings", {"action": "tracks", "track": "python\x00"}),
    ]
    for client, target, form in attempts:
        response = post(client, target, **form)
        assert response.status_code == 400, (target, form, response.status_code)
        assert "NUL character" in page_text(response), target
    assert count(app, Classroom) == 1 and count(app, HelpRequest) == 0
    assert count(app, Account) == 2 and count(app, RateCounter) == 0
    with app.app_context():
        assert db.session.scalar(select(Classroom.name)) == "7B"


def test_a_nul_in_a_query_string_is_a_400_too(app, room):
    teacher, url, _code, _ada = room
    response = teacher.get(f"{url}/lessons/python-backend/http-basics?v=1%00")
    assert response.status_code == 400 and "NUL character" in page_text(response)


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@pytest.mark.parametrize("typed", [
    full_width,  # a Japanese or Chinese keyboard in full-width mode: ＡＢＣＤ－ＥＦＧＨ
    lambda code: code.replace("-", "\u2013"),  # copied from a document: an en dash
    lambda code: code.replace("-", "\u00a0"),  # a no-break space
    lambda code: code.replace("-", "\u200b"),  # a zero-width space, pasted along
], ids=["full-width", "en-dash", "no-break-space", "zero-width-space"])
def test_the_right_code_typed_another_way_joins(app, room, typed):
    _teacher, _url, code, _ada = room
    bob = account(app, "Bob")
    joined = post(bob, "/join", code=typed(code))
    assert joined.status_code == 303, page_text(joined)
    assert count(app, ClassMember) == 2 and count(app, RateCounter) == 0  # not a wrong guess


def test_a_code_is_read_in_any_digits_and_width():
    assert normalize_code("\u0664\u0665ab\u2010cdef") == "45ABCDEF"  # Arabic-Indic 4, 5
    assert normalize_code("\u0968\u0969ABCDEF") == "23ABCDEF"  # Devanagari 2, 3
    assert normalize_code("ａｂｃｄ－ｅｆｇｈ") == "ABCDEFGH"


@pytest.mark.parametrize("form", ["/me/password", "/me/delete"])
def test_guessing_the_password_from_a_left_open_session_is_limited_too(tmp_path, migrated_db,
                                                                       form):
    """A browser left logged in on a school computer: /me/password and /me/delete check
    the password, so they count failures as the login does, against the same limits."""
    path = tmp_path / "guess.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3)
    ada = account(app, "Ada")
    field = "current" if form == "/me/password" else "password"
    guesses = [post(ada, form, **{field: f"guess number {n}", "password": "a new secret!",
                                  "confirm": "a new secret!"}).status_code for n in range(3)]
    assert guesses == [422] * 3
    refused = post(ada, form, **{field: PASSWORD})  # even the right one, for a while
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many" in page_text(refused) and count(app, Account) == 1
    # The guesses were this browser's (it logged in to Ada: web/trusted_devices.py), so
    # another browser is not locked out by them, and this one gets in no sooner.
    assert login(ada, "Ada").status_code == 429
    assert login(app.test_client(), "Ada").status_code == 303


# Names that look like "Ada" on the class page, the help queue and the CSV, each a
# different account: a learner could pass for another.
@pytest.mark.parametrize("look_alike", [
    "\u0410da",  # a Cyrillic А
    "\u0391da",  # a Greek Α
    "Ada\u3164",  # a Hangul filler: a letter that shows nothing
    "Ada\uffa0",  # the same, half-width
    "\u115fAda",  # a Hangul initial filler
    "Ada\u0661",  # an Arabic-Indic one, ١, after Latin letters
    "Ada\u0301\u0302\u0303",  # combining marks stacked on the last letter
    "Ada\u034f",  # a combining grapheme joiner: invisible
    "Ada\u200d",  # a zero-width joiner (a format character)
    "\u202eadA",  # a right-to-left override: shows "Ada"
])
def test_a_name_that_passes_for_another_is_refused(app, room, look_alike):
    response = signup(app.test_client(), look_alike)
    assert response.status_code == 422, look_alike
    assert count(app, Account) == 2  # Ms-Hopper and Ada


@pytest.mark.parametrize("name", [
    "राम", "श्रीनिवास",  # Devanagari: vowel signs and a virama are marks
    "สมชาย", "วิชัย",  # Thai: vowels above are marks
    "محمد", "Ольга", "Αλέξης", "Zoë", "Nguyễn", "Łukasz",
    "田中さくら", "김민준", "Yuki田中",  # Han with kana, Hangul, or Latin (UTS #39)
    "ada_lovelace-1815", "Ahmed12", "محمد١٢",
    "Hawai\u02bbi", "Мар\u02bcяна",  # modifier letters go with any script
    "བསྒྲུབས", "ကြည့်", "ស្រី",  # Tibetan, Myanmar, Khmer: up to three marks on a letter
    "Ad\u00e9\u1e63\u1ecd\u0301l\u00e1", "Ak\u1eb9\u0301",  # Yoruba: no precomposed ọ́, ẹ́
    "Ma\u0328\u0303",  # Lithuanian ą̃
])
def test_names_in_any_one_script_are_welcome(app, name):
    response = signup(app.test_client(), name)
    assert response.status_code == 303, (name, page_text(response))


def test_the_same_name_in_nfd_is_the_same_account(app):
    assert signup(app.test_client(), "Jos\u00e9").status_code == 303
    again = signup(app.test_client(), "Jose\u0301")  # decomposed: looks the same
    assert again.status_code == 422 and "taken" in page_text(again)


@pytest.mark.parametrize("name", ["\u200b", "\u200b \u2060\u200d", "\u3164",
                                  "7B\u202e", "\u2067B7", "7\x07B"])
def test_a_class_name_that_shows_nothing_or_turns_text_around_is_refused(app, room, name):
    teacher, url, _code, _ada = room
    assert post(teacher, "/teach/classes", name=name).status_code == 422, name
    renamed = post(teacher, f"{url}/settings", action="rename", name=name)
    assert renamed.status_code == 422 and "class name" in page_text(renamed)
    with app.app_context():
        assert db.session.scalars(select(Classroom.name)).all() == ["7B"]


@pytest.mark.parametrize("name", ["7B 🙂", "٧ب عربي", "Klasse 7b – Web", "7B\u200f"])
def test_class_names_in_any_script_with_emoji_are_kept(app, room, name):
    teacher, _url, _code, _ada = room
    made = post(teacher, "/teach/classes", name=name)
    assert made.status_code == 303
    assert name in page_text(teacher.get(made.headers["Location"]))


def test_a_help_question_or_answer_that_shows_nothing_is_empty(app, room):
    teacher, url, _code, ada = room
    for invisible in ("\u200b\u200b", "\u2060 \u200d", "\u3164"):
        refused = post(ada, f"{LESSON}/help", question=invisible)
        assert refused.status_code == 422 and "it is empty" in page_text(refused)
    assert count(app, HelpRequest) == 0
    assert post(ada, f"{LESSON}/help", question="Why 404?").status_code == 303
    with app.app_context():
        help_id = db.session.scalar(select(HelpRequest.id))
    refused = post(teacher, f"{url}/help/{help_id}/answer", answer="\u200b")
    assert refused.status_code == 422 and "it is empty" in page_text(refused)
    with app.app_context():
        assert db.session.scalar(select(HelpRequest.answer)) is None


def test_sign_ups_past_the_budget_cost_no_password_hash(tmp_path, migrated_db, monkeypatch):
    """Fresh cookies in a loop, each signing up with a new name: past the network's
    budget for new learners each is a 429 before the password is hashed (a tenth of a
    second of a core), not after, so the loop cannot keep the cores busy."""
    path = tmp_path / "flood.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, NEW_LEARNERS_PER_NETWORK_PER_HOUR=2)
    hashes = []
    original = accounts.generate_password_hash
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: hashes.append(1) or original(password))
    answers = [signup(app.test_client(), f"learner{n}").status_code for n in range(6)]
    assert answers == [303, 303, 429, 429, 429, 429]
    assert len(hashes) == 2 and count(app, Account) == 2
    refused = signup(app.test_client(), "learner9")
    assert "new learners started from your network" in page_text(refused)


def test_a_new_password_from_the_teacher_lifts_the_lock_it_promises_to(tmp_path, migrated_db):
    """Someone guessed Ada's password until the login said "Too many wrong passwords
    ... A teacher can set a new password." The teacher does: the guesses were against
    the old password, so Ada logs in with the new one at once."""
    path = tmp_path / "lock.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3)
    teacher = account(app, "Ms-Hopper", "teacher")
    url = post(teacher, "/teach/classes", name="7B").headers["Location"]
    code = re.search(r'class="join-code">([A-Z0-9-]+)<', page_text(teacher.get(url))).group(1)
    ada = account(app, "Ada")
    post(ada, "/join", code=code)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert [login(guesser, "Ada", f"guess {n}").status_code for n in range(4)] \
        == [422, 422, 422, 429]
    locked = login(app.test_client(), "Ada")
    assert locked.status_code == 429 and "A teacher can set a new password" in page_text(locked)
    with app.app_context():
        learner_id = db.session.scalar(select(ClassMember.learner_id))
    assert post(teacher, f"{url}/learners/{learner_id}/password",
                password="a fresh secret").status_code == 303
    assert login(app.test_client(), "Ada", "a fresh secret").status_code == 303


def test_a_session_cookie_from_before_the_login_is_never_logged_in(app):
    """Session fixation: the cookie a browser had before logging in (one an attacker
    planted, say) names nobody afterwards, nor does the logged-in one after logout."""
    account(app, "Ada")
    browser = app.test_client()
    browser.get("/login")
    planted = browser.get_cookie("session").value
    assert login(browser, "Ada").status_code == 303 and browser.get("/me").status_code == 200
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/me").status_code == 303
    logged_in = browser.get_cookie("session").value
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/me")})
    attacker.set_cookie("session", logged_in)
    assert attacker.get("/me").status_code == 303


def test_forged_ids_reach_nothing_of_anyone_elses(app, room):
    teacher, url, _code, ada = room
    other = account(app, "Mr-Turing", "teacher")
    other_url = post(other, "/teach/classes", name="8C").headers["Location"]
    other_id = other_url.rsplit("/", 1)[1]
    # Ada asks "in" a class she is not in: refused, nothing stored.
    forged = post(ada, f"{LESSON}/help", question="Why?", **{"class": other_id})
    assert forged.status_code == 422 and count(app, HelpRequest) == 0
    assert post(ada, f"{LESSON}/help", question="Why?").status_code == 303
    with app.app_context():
        help_id = db.session.scalar(select(HelpRequest.id))
    # The other teacher, through their own class's URL, with Ada's request id.
    for action, form in (("answer", {"answer": "Mine now"}), ("resolve", {})):
        assert post(other, f"{other_url}/help/{help_id}/{action}", **form).status_code == 404
    assert post(other, f"{url}/settings", action="rename", name="Taken").status_code == 404
    with app.app_context():
        request = db.session.get(HelpRequest, help_id)
        assert request.answer is None and not request.resolved
        assert db.session.scalars(select(Classroom.name).order_by(Classroom.id)).all() \
            == ["7B", "8C"]
    # Tracks the catalog does not have, and one twice: the known one, once.
    saved = post(teacher, f"{url}/settings", action="tracks",
                 track=["python-backend", "no-such-track", "python-backend"])
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(ClassTrack.track_slug)).all() == ["python-backend"]


def test_a_teacher_deleting_the_account_is_told_the_classes_go_too(app, room):
    """The classes, their members lists and help requests go with the teacher's account
    (ON DELETE CASCADE): the page that asks for the password says so first."""
    teacher, _url, _code, _ada = room
    page = page_text(teacher.get("/me/delete"))
    assert "Your class <strong>7B</strong> goes with it" in page and "help request" in page
    assert "help request" not in page_text(account(app, "Bob").get("/me/delete"))


ODD_TEXT = st.text(max_size=60) | st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ODD_TEXT, password=ODD_TEXT, code=ODD_TEXT, text=ODD_TEXT, number=ODD_TEXT)
def test_class_forms_never_fail(app, room, name, password, code, text, number):
    teacher, url, _code, ada = room
    stranger = app.test_client()
    attempts = [
        (stranger, "/login", {"username": name, "password": password}),
        (stranger, "/signup", {"username": name, "password": password,
                               "confirm": password, "code": code}),
        (ada, "/join", {"code": code}),
        (ada, f"{LESSON}/help", {"question": text, "section": name, "class": number}),
        (ada, "/me/password", {"current": password, "password": text, "confirm": text}),
        (teacher, "/teach/classes", {"name": text}),
        (teacher, f"{url}/settings", {"action": name, "name": text, "track": code}),
        (teacher, f"{url}/help/{number.encode().hex()[:6] or 0}/answer", {"answer": text}),
    ]
    for client, target, form in attempts:
        response = post(client, target, **form)
        assert response.status_code < 500, (target, form, response.status_code)


def test_spaces_around_the_username_do_not_buy_more_guesses(tmp_path, migrated_db):
    """" Ada" and "Ada\t" log in as Ada (the name is stripped), so they are Ada's
    guesses too: each spelling had a counter of its own, ten guesses apiece."""
    path = tmp_path / "spaces.db"
    shutil.copy(migrated_db, path)
    app = make_app(path, LOGIN_FAILURES_PER_ACCOUNT=3)
    account(app, "Ada")
    guesser = app.test_client()
    spellings = [" Ada", "Ada\t", "\u3000ADA ", "ａｄａ"]
    assert [login(guesser, name, "a guess!").status_code for name in spellings] \
        == [422, 422, 422, 429]
