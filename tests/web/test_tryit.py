"""The try-it panel through the real app: sends, refusals, history, reset, rate limit.
(Its cookie jar: test_tryit_cookies.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from html import unescape

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.records.models import TryItRun

from .helpers import HTMX, SEND, csrf_token, page_text, send_tryit, snippet


def runs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TryItRun))


def test_get_a_user_shows_status_headers_and_json(client):
    response = send_tryit(client, "/sandbox/users/1", headers=[("Accept", "application/json")])
    page = page_text(response)
    assert response.status_code == 200 and "<html" not in page
    assert "HX-Request" in response.headers["Vary"]
    assert re.search(r'status-2xx"><span class="status-code">200 OK<', page)
    assert "<code>ETag</code>" in page and "Send again with If-None-Match" in page
    assert '"name": "Ada Lovelace"' in page  # pretty-printed JSON
    assert "GET /sandbox/users/1 HTTP/1.1" in page and "X-Sandbox-Key:" in page
    assert re.search(r"\d+\.\d ms · \d+ bytes", page)


def test_post_creates_with_201_and_location(client):
    response = send_tryit(client, "/sandbox/users", "POST",
                    [("Content-Type", "application/json")],
                    json.dumps({"name": "Hedy Lamarr", "email": "hedy@example.com"}))
    page = page_text(response)
    assert "201 Created" in page
    assert re.search(r"<code>Location</code></td><td><code>/sandbox/users/4</code>", page)


def test_not_found_and_redirect_chain_and_304(client):
    assert "404 Not Found" in page_text(send_tryit(client, "/sandbox/users/999"))
    chain = page_text(send_tryit(client, "/sandbox/redirect/3", follow="1"))
    assert chain.count("302 Found</strong>") == 3 and "200 OK" in chain
    unfollowed = page_text(send_tryit(client, "/sandbox/redirect/3"))
    assert "302 Found" in unfollowed and "Redirects followed" not in unfollowed
    etag = json.loads(client.get("/sandbox/etag/abc").get_data())  # the sandbox's own view
    assert etag
    replay = page_text(send_tryit(client, "/sandbox/etag/abc",
                                  headers=[("If-None-Match", '"abc"')]))
    assert "304 Not Modified" in replay


def resend_form(page: str) -> str:
    return page.split('class="send-again"', 1)[1].split("</form>", 1)[0]


def test_send_again_swaps_the_old_if_none_match_for_the_etag(client):
    page = send_tryit(client, "/sandbox/etag/abc",
                headers=[("Accept", "text/plain"), ("if-none-match", '"old"')])
    form = resend_form(page.get_data(as_text=True))
    pairs = re.findall(r'name="header_name" value="([^"]*)"><input type="hidden" '
                       r'name="header_value" value="([^"]*)"', form)
    assert [(n, unescape(v)) for n, v in pairs] == [("Accept", "text/plain"),
                                                    ("If-None-Match", '"abc"')]
    assert "old" not in form
    # A 304 has nothing left to revalidate: no form.
    assert 'class="send-again"' not in page_text(send_tryit(client, "/sandbox/etag/abc",
                                                 headers=[("If-None-Match", '"abc"')]))


def resend_fields(response) -> dict:
    form = resend_form(response.get_data(as_text=True))
    fields = {n: unescape(v) for n, v in
              re.findall(r'name="(method|path)" value="([^"]*)"', form)}
    fields["headers"] = [(n, unescape(v)) for n, v in re.findall(
        r'name="header_name" value="([^"]*)"><input type="hidden" '
        r'name="header_value" value="([^"]*)"', form)]
    return fields


def test_send_again_after_a_201_revalidates_the_created_resource(client):
    """The ETag of a 201 is the new resource's, at its Location: sending the POST's own
    path again (the collection) answered 200 with the list, never the promised 304."""
    created = send_tryit(client, "/sandbox/users", "POST",
                         [("Content-Type", "application/json")],
                         json.dumps({"name": "Hedy", "email": "hedy@example.com"}))
    fields = resend_fields(created)
    assert (fields["method"], fields["path"]) == ("GET", "/sandbox/users/4")
    assert [n for n, _ in fields["headers"]] == ["If-None-Match"]  # no body, no Content-Type
    replay = send_tryit(client, fields["path"], headers=fields["headers"])
    assert "304 Not Modified" in page_text(replay)


def test_send_again_after_followed_redirects_revalidates_where_they_ended(client):
    chained = send_tryit(client, "/sandbox/redirect-to?url=/sandbox/etag/abc", follow="1")
    assert "Redirects followed" in page_text(chained)
    fields = resend_fields(chained)
    assert fields["path"] == "/sandbox/etag/abc"
    replay = send_tryit(client, fields["path"], headers=fields["headers"])
    assert "304 Not Modified" in page_text(replay)


def test_send_again_after_a_redirected_post_revalidates_the_created_resource(client):
    created = send_tryit(client, "/sandbox/redirect-to?url=/sandbox/users&status_code=307",
                         "POST", [("Content-Type", "application/json")],
                         json.dumps({"name": "Hedy", "email": "hedy@example.com"}), follow="1")
    assert "201 Created" in page_text(created)
    fields = resend_fields(created)
    assert fields["path"] == "/sandbox/users/4"
    assert "304 Not Modified" in page_text(send_tryit(client, fields["path"],
                                                      headers=fields["headers"]))


def test_the_result_takes_focus_only_when_htmx_swaps_it_in(client):
    assert 'id="tryit-result" tabindex="-1" aria-labelledby="tryit-result-title" autofocus' \
        in page_text(send_tryit(client, "/sandbox/get"))
    location = send_tryit(client, "/sandbox/get", htmx=False).headers["Location"]
    page = page_text(client.get(location))
    assert 'id="tryit-result"' in page and "autofocus" not in page


def test_sandbox_output_is_text_and_set_cookie_stays_in_the_panel(client):
    response = send_tryit(client, "/sandbox/cookies/set?flavour=oat")
    assert not any("flavour" in c for c in response.headers.getlist("Set-Cookie"))
    assert "flavour=oat" in page_text(response)
    html = send_tryit(client, "/sandbox/html").get_data(as_text=True)
    assert "&lt;html" in html or "&lt;!DOCTYPE" in html.replace("&lt;!doctype", "&lt;!DOCTYPE")


def test_learner_cookies_never_reach_the_sandbox(client):
    client.get("/tryit")
    page = page_text(send_tryit(client, "/sandbox/headers"))
    body = page.split('class="response-body"', 1)[1].split("</pre>", 1)[0]
    assert "Cookie" not in body and "X-Csrftoken" not in body.title()


@pytest.mark.parametrize(("path", "method", "headers", "body", "status", "message"), [
    ("http://example.com/", "GET", [], "", 400, "/sandbox/"),
    ("//evil.example/sandbox/get", "GET", [], "", 400, ""),
    ("\\\\evil\\share", "GET", [], "", 400, ""),
    ("/admin", "GET", [], "", 400, "/sandbox/"),
    ("/sandbox/get", "TRACE", [], "", 400, "method"),
    ("/sandbox/get", "GET", [("Bad Name", "x")], "", 400, ""),
    ("/sandbox/get", "GET", [("X-Evil", "a\r\nInjected: 1")], "", 400, ""),
    ("/sandbox/get", "GET", [("Host", "internal")], "", 400, "set by the server"),
    # Underscores would reach the WSGI environ as CONTENT_LENGTH, HTTP_X_SANDBOX_KEY, ...
    ("/sandbox/post", "POST", [("Content_Length", "0")], "x", 400, "has an underscore"),
    ("/sandbox/get", "GET", [("X_Sandbox_Key", "other")], "", 400, "nginx drops"),
    ("/sandbox/post", "POST", [("Transfer_Encoding", "chunked")], "x", 400, 'Use "-"'),
    ("/sandbox/get", "GET", [("X-Big", "v" * 9000)], "", 400, ""),
    ("/sandbox/get", "GET", [(f"X-H{i}", "1") for i in range(31)], "", 400, "30"),
    ("/sandbox/post", "POST", [], "x" * (64 * 1024 + 1), 413, ""),
])
def test_refusals_are_4xx_in_the_panel_and_store_nothing(
        client, app, path, method, headers, body, status, message):
    response = send_tryit(client, path, method, headers, body)
    page = page_text(response)
    assert response.status_code == status
    assert 'class="notice notice-error" role="alert"' in page and "<html" not in page
    assert message in page
    plain = send_tryit(client, path, method, headers, body, htmx=False)
    assert plain.status_code == status and "<html" in plain.get_data(as_text=True)
    assert runs(app) == 0


def test_plain_form_redirects_back_with_the_stored_result(client):
    response = send_tryit(client, "/sandbox/users/2", htmx=False)
    assert response.status_code == 303
    assert re.search(r"/tryit\?run=\d+#tryit$", response.headers["Location"])
    page = page_text(client.get(response.headers["Location"]))
    assert "<html" in page and "200 OK" in page and "Alan Turing" in page
    from_lesson = send_tryit(client, "/sandbox/users/2", htmx=False,
                       lesson="python-backend/http-basics")
    assert re.search(r"/learn/python-backend/http-basics\?run=\d+#tryit$",
                     from_lesson.headers["Location"])
    assert "Alan Turing" in page_text(client.get(from_lesson.headers["Location"]))


def test_history_keeps_ten_and_replays_only_your_own(client, app):
    for n in range(12):
        send_tryit(client, f"/sandbox/get?n={n}")
    page = page_text(send_tryit(client, "/sandbox/get?n=last"))
    assert page.count('name="replay"') == 10 and "n=last" in page and "?n=0<" not in page
    run_id = re.search(r'name="replay" value="(\d+)"', page).group(1)
    again = page_text(send_tryit(client, "", replay=run_id))
    assert "200 OK" in again
    stranger = app.test_client()
    assert send_tryit(stranger, "", replay=run_id).status_code == 404


def test_each_learner_has_their_own_users_and_can_reset(app):
    alice, bob = app.test_client(), app.test_client()
    send_tryit(alice, "/sandbox/users/1", "DELETE")
    assert "404 Not Found" in page_text(send_tryit(alice, "/sandbox/users/1"))
    assert "200 OK" in page_text(send_tryit(bob, "/sandbox/users/1"))
    token = csrf_token(alice, "/tryit")
    reset = alice.post("/tryit/reset", data={"csrf_token": token}, headers=HTMX)
    assert "back to the sample users" in page_text(reset)
    assert "200 OK" in page_text(send_tryit(alice, "/sandbox/users/1"))
    plain = alice.post("/tryit/reset", data={"csrf_token": token})
    assert plain.status_code == 303 and "reset=1" in plain.headers["Location"]


def test_rate_limit_is_a_readable_429(tmp_path, migrated_db):
    import shutil

    from tests.conftest import make_app
    shutil.copy(migrated_db, tmp_path / "rl.db")
    app = make_app(tmp_path / "rl.db", TRYIT_RATE_LIMIT=2)
    client = app.test_client()
    token = csrf_token(client, "/tryit")
    assert send_tryit(client, "/sandbox/get", token=token).status_code == 200
    assert send_tryit(client, "/sandbox/get", token=token).status_code == 200
    response = send_tryit(client, "/sandbox/get", token=token)
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "requests in a minute" in page_text(response)


def test_missing_csrf_token_is_refused(client, app):
    client.get("/tryit")
    response = client.post(SEND, data={"method": "GET", "path": "/sandbox/get"}, headers=HTMX)
    assert response.status_code == 400 and "Reload the page" in page_text(response)
    assert runs(app) == 0


def test_tryit_page_and_lesson_presets(client):
    page = page_text(client.get("/tryit?method=POST&path=/sandbox/users"))
    assert 'value="/sandbox/users"' in page and "<option selected>POST</option>" in page
    lesson = page_text(client.get("/learn/python-backend/http-basics"))
    assert lesson.count('class="preset"') >= 4 and 'id="tryit"' in lesson
    # Presets are rendered once, but each carries this learner's CSRF token.
    token = re.search(r'name="csrf_token" value="([^"]+)"', lesson).group(1)
    assert "__hyperlesson_csrf_token__" not in lesson
    assert lesson.count(f'name="csrf_token" value="{token}"') >= 4 + 6
    filled = page_text(client.get("/learn/python-backend/http-basics?method=GET"
                             "&path=/sandbox/users/1&header_name=Accept"
                             "&header_value=application/json#tryit"))
    assert 'value="/sandbox/users/1"' in filled and 'value="application/json"' in filled


def test_exported_snippets_get_the_same_status_against_a_live_server(live_server):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    lesson_page = opener.open(f"{live_server}/tryit").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', lesson_page).group(1)
    cases = [("GET", "/sandbox/users/1", "", []),
             ("POST", "/sandbox/users", '{"name": "Joan \'Clarke\'", "email": "j@example.com"}',
              [("Content-Type", "application/json")]),
             ("GET", "/sandbox/users/999", "", [])]
    for method, path, body, headers in cases:
        form = [("csrf_token", token), ("method", method), ("path", path), ("body", body)]
        for name, value in headers:
            form += [("header_name", name), ("header_value", value)]
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(f"{live_server}{SEND}", data=data, headers=HTMX)
        page = unescape(opener.open(request).read().decode())
        shown = int(re.search(r'<span class="status-code">(\d{3}) ', page).group(1))
        curl = subprocess.run(["bash", "-c", snippet(page, "curl") + " -s -o /dev/null "
                               "-w '%{http_code}'"], capture_output=True, text=True, timeout=30)
        python = subprocess.run([sys.executable, "-c", snippet(page, "Python requests")],
                                capture_output=True, text=True, timeout=30)
        httpx_run = subprocess.run([sys.executable, "-c", snippet(page, "Python httpx")],
                                   capture_output=True, text=True, timeout=30)
        # A POST creates another user each time, so compare statuses, not bodies.
        assert curl.stdout.strip().endswith(str(shown)), (curl.stdout, curl.stderr)
        assert str(shown) in python.stdout.splitlines()[0], python.stderr
        assert str(shown) in httpx_run.stdout.splitlines()[0], httpx_run.stderr


def test_tryit_page_is_a_fragment_for_htmx_and_a_page_otherwise(client):
    fragment = client.get("/tryit?path=/sandbox/get", headers=HTMX)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="tryit"') and "<html" not in body
    page = client.get("/tryit?path=/sandbox/get")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]


def test_a_preset_result_links_back_to_its_section(client):
    page = page_text(client.get("/learn/python-backend/http-basics"))
    assert 'name="section" value="http-methods"' in page  # the preset knows its place
    fragment = page_text(send_tryit(client, "/sandbox/users/1", lesson="python-backend/http-basics",
                         section="http-methods"))
    assert '<a href="#http-methods">Back to “HTTP methods”</a>' in fragment
    plain = send_tryit(client, "/sandbox/users/1", htmx=False, lesson="python-backend/http-basics",
                 section="http-methods")
    assert "section=http-methods" in plain.headers["Location"]
    assert "Back to “HTTP methods”" in page_text(client.get(plain.headers["Location"]))
    assert "Back to" not in page_text(send_tryit(client, "/sandbox/users/1", section="nope",
                                      lesson="python-backend/http-basics"))


@pytest.mark.parametrize("host", ["[:::]", "[1::2::3]", "[::1]:70000"])
def test_a_host_that_is_no_address_is_a_400_not_a_500(app, host):
    # werkzeug's test client cannot send such a Host (it parses the URL itself), so the
    # check the send view makes is called in a request context with the raw header.
    from werkzeug.exceptions import BadRequest

    from hyperlesson.web.panel import base_url
    with (app.test_request_context(SEND, method="POST", headers={"Host": host}),
          pytest.raises(BadRequest, match="address")):
        base_url()


def test_the_panel_after_a_send_carries_the_token_the_send_brought(app, client, monkeypatch):
    from itsdangerous.timed import TimestampSigner
    token = csrf_token(client, "/tryit")
    later = TimestampSigner.get_timestamp(TimestampSigner("k")) + 100
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)  # a new one differs
    page = send_tryit(client, "/sandbox/get", token=token).get_data(as_text=True)
    drawn = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert drawn == {token}
    assert send_tryit(client, "/sandbox/get", token=token).status_code == 200
    assert send_tryit(client, "/sandbox/get", token=token + "x").status_code == 400
    # Where tokens expire, each page gets a fresh one (with its own time).
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    page = send_tryit(client, "/sandbox/get", token=token).get_data(as_text=True)
    assert set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) != {token}
