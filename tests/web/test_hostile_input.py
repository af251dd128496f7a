"""Forged and odd requests get a 4xx with a message, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import HTMX, LESSON, csrf_token

ODD_TEXT = st.text(min_size=0, max_size=300)


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
