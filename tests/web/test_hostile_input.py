"""Forged and odd requests get a 4xx with a message, never a 500."""

from __future__ import annotations

import base64
import json
from html import unescape
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import HTMX, LESSON, csrf_token

ODD_TEXT = st.text(min_size=0, max_size=300)
# st.text() never yields lone surrogates; these strings mix them in.
SURROGATE_TEXT = st.lists(st.characters() | st.characters(categories=["Cs"]),
                          max_size=8).map("".join)


def examples(count: int) -> settings:
    """Hypothesis settings for these tests: one app per test, reused by every example."""
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=ODD_TEXT, path=ODD_TEXT, body=ODD_TEXT,
       headers=st.lists(st.tuples(ODD_TEXT, ODD_TEXT), max_size=4),
       replay=st.one_of(st.none(), ODD_TEXT), follow=ODD_TEXT, lesson=ODD_TEXT)
def test_tryit_send_never_fails(client, method, path, body, headers, replay, follow, lesson):
    token = csrf_token(client, "/tryit")
    form = {"csrf_token": token, "method": method, "path": path, "body": body,
            "header_name": [n for n, _ in headers], "header_value": [v for _, v in headers],
            "follow": follow, "lesson": lesson}
    if replay is not None:
        form["replay"] = replay
    response = client.post("/tryit/send", data=form, headers=HTMX)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s),
       choice=ODD_TEXT, section=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s))
def test_quiz_and_progress_never_fail(client, question, choice, section):
    token = csrf_token(client)
    for url, data in ((f"{LESSON}/quiz/{question}", {"choice": choice}),
                      (f"{LESSON}/quiz/q1", {"choice": choice}),
                      (f"{LESSON}/sections/{section}/reached", {})):
        for headers in (HTMX, {}):
            response = client.post(url, data={"csrf_token": token, **data}, headers=headers)
            assert response.status_code < 500, (url, response.status_code)


def test_odd_query_strings_on_pages(client):
    for url in (f"{LESSON}?faq=", f"{LESSON}?run=abc", f"{LESSON}?run=999999",
                f"/tryit?run={'9' * 30}", f"{LESSON}?run=-{'9' * 30}",
                f"{LESSON}?method=NOPE&path=%00", "/tryit?run=-1", "/tryit?path=//x&method=",
                f"{LESSON}/faq/faq-1?open=maybe", "/learn/%ff/", "/learn/python-backend/%00"):
        assert client.get(url).status_code < 500, url


def test_a_replay_id_beyond_any_integer_is_a_404(client):
    token = csrf_token(client, "/tryit")
    response = client.post("/tryit/send", data={"csrf_token": token, "replay": "9" * 30},
                           headers=HTMX)
    assert response.status_code == 404


def test_a_body_over_the_server_limit_is_413(client):
    token = csrf_token(client, "/tryit")
    response = client.post("/tryit/send", data={"csrf_token": token, "method": "POST",
                                                "path": "/sandbox/post", "body": "x" * 300_000},
                           headers=HTMX)
    assert response.status_code == 413


def test_a_hostile_host_header_is_a_400_not_a_500(client):
    token = csrf_token(client, "/tryit")
    for host in ("exa mple", "a:99999", "user@host", "h/x", "ünï.com", "a:b:c", ""):
        response = client.post("/tryit/send", headers={**HTMX, "Host": host},
                               data={"csrf_token": token, "method": "GET",
                                     "path": "/sandbox/get"})
        assert response.status_code == 400, host
        assert "cannot use" in response.get_data(as_text=True), host


# --- regressions: each of these was a 500 ------------------------------------------------

def test_status_weights_that_sum_to_infinity_still_choose(client):
    response = client.get("/sandbox/status/200:1e308,201:1e308")
    assert response.status_code in (200, 201)


@pytest.mark.parametrize("name", ["%00", "a%00.png", "a" * 300 + ".png", "%ED%A0%80.png"])
def test_asset_names_the_file_system_refuses_are_404(client, name):
    assert client.get(f"/learn/python-backend/assets/{name}").status_code == 404


LONG_LABEL_HOSTS = ("a" * 64 + ".example", "a" * 70, "x." + "b" * 64 + ":5000")


@pytest.mark.parametrize("host", LONG_LABEL_HOSTS)
def test_a_host_with_a_label_over_63_characters_is_a_readable_400(client, host):
    token = csrf_token(client, "/tryit")
    for url in ("/", LESSON, "/tryit"):
        for headers in ({}, HTMX):
            response = client.get(url, headers={**headers, "Host": host})
            assert response.status_code == 400, url
            assert "63 characters" in response.get_data(as_text=True), url
    response = client.post("/tryit/send", headers={**HTMX, "Host": host},
                           data={"csrf_token": token, "method": "GET", "path": "/sandbox/get"})
    assert response.status_code == 400
    sandbox = client.get("/sandbox/get", headers={"Host": host})
    assert sandbox.status_code == 400 and "63 characters" in sandbox.json["detail"]


def test_a_host_with_labels_of_63_characters_is_served(client):
    assert client.get("/", headers={"Host": "a" * 63 + ".example"}).status_code == 200


def _basic(credentials: str, encoding: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode(encoding)).decode("ascii")


@pytest.mark.parametrize("value", [
    "Basic ü", "Basic dTpw\u00fc", "Basic \udcff", "Basic dTpw\u20ac==", "Bearer \u00fc=x",
    _basic("\u00fc:\u00fc", "latin-1"), _basic("\u00fc:\u00fc", "utf-8"),
    _basic("u:p\u00fc", "utf-8"), "Basic " + base64.b64encode(b"\xed\xa0\x80:p").decode(),
])
def test_non_ascii_authorization_is_a_401_with_the_challenge(client, value):
    for url, challenge in (("/sandbox/basic-auth/u/p", 'Basic realm="Fake Realm"'),
                           ("/sandbox/bearer", "Bearer")):
        response = client.get(url, headers={"Authorization": value})
        assert response.status_code == 401, (url, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == challenge


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_basic_credentials_outside_ascii_match_in_utf8_or_latin1(client, encoding):
    # RFC 7617 leaves the charset open: browsers and curl send UTF-8, requests sends
    # Latin-1 for str credentials. Both mean the same user and password.
    response = client.get("/sandbox/basic-auth/j%C3%BCrgen/s%C3%BC%C3%9F",
                          headers={"Authorization": _basic("jürgen:süß", encoding)})
    assert response.status_code == 200 and response.json["user"] == "jürgen"


def test_a_bearer_token_outside_ascii_is_echoed(client):
    response = client.get("/sandbox/bearer", headers={"Authorization": "Bearer tökén"})
    assert response.status_code == 200 and response.json["token"] == "tökén"


def _send_form(client, token: str, body: str, headers=(("Content-Type", "application/json"),)):
    return {"csrf_token": token, "method": "POST", "path": "/sandbox/post", "body": body,
            "header_name": [n for n, _ in headers], "header_value": [v for _, v in headers]}


def test_a_json_body_with_a_lone_surrogate_escape_renders_and_reopens(client):
    token = csrf_token(client, "/tryit")
    form = _send_form(client, token, '{"a":"\\ud800"}')
    sent = client.post("/tryit/send", data=form, headers=HTMX)
    shown = '"a": "\\ud800"'  # the sandbox's echo, pretty-printed, the escape kept as text
    assert sent.status_code == 200 and shown in unescape(sent.get_data(as_text=True))
    stored = client.post("/tryit/send", data=form)
    assert stored.status_code == 303
    for _ in range(2):  # every time it is opened
        page = client.get(stored.headers["Location"])
        assert page.status_code == 200 and shown in unescape(page.get_data(as_text=True))


# --- properties: the same shapes, generated --------------------------------------------

WEIGHTS = st.one_of(st.sampled_from(["1e308", "1.7976931348623157e308", "9e307"]),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.sampled_from(["5e-324", "1e-400", "-0", "1_0", "", "nan", "١", "0x10"]))


@examples(40)
@given(st.lists(st.tuples(st.integers(200, 599), WEIGHTS), min_size=1, max_size=6))
def test_status_specs_with_odd_weights_answer_a_listed_code_or_400(client, entries):
    spec = ",".join(f"{code}:{weight}" if weight else str(code) for code, weight in entries)
    response = client.get("/sandbox/status/" + quote(spec, safe=""))
    if response.status_code not in {code for code, _ in entries}:
        assert response.status_code == 400 and response.json["detail"], spec


@examples(40)
@given(st.one_of(SURROGATE_TEXT, st.text(min_size=1, max_size=300),
                 st.builds(lambda a, b: a + "\x00" + b + ".png", st.text(max_size=5),
                           st.text(max_size=5))).filter(bool))
def test_odd_asset_names_are_404(client, name):
    url = "/learn/python-backend/assets/" + quote(name.encode("utf-8", "surrogatepass"), safe="")
    # %2F decodes to "/", and Werkzeug redirects a path with "//" to the single-slash one.
    assert client.get(url).status_code in (404, 308), name


LABELS = st.text("abcxyz019-", min_size=1, max_size=12) | st.integers(58, 90).map("x".__mul__)


@examples(30)
@given(st.lists(LABELS, min_size=1, max_size=3).map(".".join),
       st.one_of(st.none(), st.integers(1, 65535)))
def test_hosts_with_long_labels_are_400_and_short_ones_are_served(client, host, port):
    header = host if port is None else f"{host}:{port}"
    response = client.get("/", headers={"Host": header})
    if any(len(label) > 63 for label in host.split(".")):
        assert response.status_code == 400, header
    else:
        assert response.status_code == 200, header


AUTH_TEXT = st.text(st.characters(exclude_characters="\r\n"), max_size=20)


@examples(40)
@given(st.one_of(
    st.builds(lambda text: "Basic " + text, AUTH_TEXT),
    st.builds(lambda text: "Bearer " + text, AUTH_TEXT),
    st.builds(lambda user, password, encoding: _basic(f"{user}:{password}", encoding),
              st.text("u\u00fc\u00e9:", max_size=4), st.text("p\u00fc\u00df", max_size=4),
              st.sampled_from(["utf-8", "latin-1"])),
))
def test_any_authorization_is_200_or_a_401_challenge(client, value):
    for url in ("/sandbox/basic-auth/u%C3%BC/p%C3%BC", "/sandbox/bearer"):
        response = client.get(url, headers={"Authorization": value})
        assert response.status_code in (200, 401), (url, value)
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"].startswith(("Basic", "Bearer"))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | SURROGATE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SURROGATE_TEXT, inner,
                                                                 max_size=3), max_leaves=6)


@examples(20)
@given(JSON_VALUES)
def test_json_bodies_with_surrogate_escapes_send_and_reopen(app, client, value):
    app.config["TRYIT_RATE_LIMIT"] = 10_000
    token = csrf_token(client, "/tryit")
    form = _send_form(client, token, json.dumps(value))  # ASCII: surrogates as \udxxx
    assert client.post("/tryit/send", data=form, headers=HTMX).status_code == 200
    stored = client.post("/tryit/send", data=form)
    assert stored.status_code == 303
    assert client.get(stored.headers["Location"]).status_code == 200


@examples(30)
@given(st.text("Xabc-_", min_size=1, max_size=20).filter(lambda name: "_" in name)
       | st.sampled_from(["Content_Length", "X_Sandbox_Key", "Transfer_Encoding", "Host_"]))
def test_header_names_with_underscores_are_refused_in_the_panel(client, name):
    token = csrf_token(client, "/tryit")
    form = _send_form(client, token, "", headers=((name, "1"),))
    response = client.post("/tryit/send", data=form, headers=HTMX)
    assert response.status_code == 400, name
    assert "nginx" in response.get_data(as_text=True), name


ACCOUNT_TEXT = ODD_TEXT | st.sampled_from(["Ada", "ada", "ＡＤＡ", "a" * 41, "ß" * 40, "",
                                           "correct horse battery"])


@examples(40)
@given(username=ACCOUNT_TEXT, password=ACCOUNT_TEXT, confirm=ACCOUNT_TEXT,
       extra=st.dictionaries(st.sampled_from(["role", "next", "remember"]), ODD_TEXT,
                             max_size=2))
def test_sign_up_and_login_forms_never_fail(client, username, password, confirm, extra):
    token = csrf_token(client, "/login")
    for url, fields in (("/signup", {"username": username, "password": password,
                                     "confirm": confirm}),
                        ("/login", {"username": username, "password": password})):
        response = client.post(url, data={"csrf_token": token, **fields, **extra})
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 303:
            assert response.headers["Location"].startswith("/")
            client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
            token = csrf_token(client, "/login")
