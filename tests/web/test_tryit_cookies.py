"""The try-it panel's cookie jar through the real app: kept as a browser keeps cookies,
shown, cleared, bounded, gone with the learner, and sent by the exported snippets."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
import urllib.request
from html import unescape

from sqlalchemy import func, select

from hyperlesson.extensions import db

from .helpers import HTMX, SEND, csrf_token, page_text, send_tryit, snippet


def test_the_panel_keeps_the_sandbox_cookies_like_a_browser(client):
    set_it = page_text(send_tryit(client, "/sandbox/cookies/set?flavour=oat"))
    assert "302 Found" in set_it
    assert re.search(r"Cookies the panel will send.*<code class=\"cookie-pair\">flavour=oat"
                     r"</code> <span class=\"cookie-scope\">to paths under <code>/sandbox</code>, "
                     r"until you clear them", set_it, re.S)
    shown = page_text(send_tryit(client, "/sandbox/cookies"))
    assert '"flavour": "oat"' in shown
    assert "Cookie: flavour=oat" in shown  # the request as sent
    assert "-H 'Cookie: flavour=oat'" in shown  # curl
    assert '"Cookie": "flavour=oat"' in shown  # Python
    plain = page_text(send_tryit(client, "/sandbox/get"))
    assert '"flavour"' not in plain.split("Cookies the panel")[0]
    send_tryit(client, "/sandbox/cookies/delete?flavour")
    assert '"cookies": {}' in page_text(send_tryit(client, "/sandbox/cookies"))


def test_clearing_the_cookies(client):
    send_tryit(client, "/sandbox/cookies/set?flavour=oat")
    token = csrf_token(client, "/tryit")
    cleared = client.post("/tryit/cookies/clear", data={"csrf_token": token}, headers=HTMX)
    assert cleared.status_code == 200 and "<html" not in page_text(cleared)
    assert "cookies are cleared" in page_text(cleared) and "None yet" in page_text(cleared)
    assert '"cookies": {}' in page_text(send_tryit(client, "/sandbox/cookies"))
    send_tryit(client, "/sandbox/cookies/set?flavour=oat")
    plain = client.post("/tryit/cookies/clear", data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        "/tryit?cookies=cleared#tryit")
    page = page_text(client.get(plain.headers["Location"]))
    assert "cookies are cleared" in page and "None yet" in page


def test_a_jar_is_bounded_and_goes_with_the_learner(app, client):
    from hyperlesson.records.models import Learner, TryItCookieJar
    from hyperlesson.tryit.cookies import MAX_COOKIES

    for number in range(MAX_COOKIES + 3):
        send_tryit(client, f"/sandbox/cookies/set/c{number}/{'v' * 100}")
    page = page_text(send_tryit(client, "/sandbox/cookies"))
    assert page.count('<code class="cookie-pair">c') == MAX_COOKIES
    assert '<code class="cookie-pair">c0=' not in page
    with app.app_context():
        assert len(db.session.scalar(select(TryItCookieJar.cookies_json))) < 8 * 1024
        db.session.execute(Learner.__table__.delete())
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(TryItCookieJar)) == 0


def test_exported_snippets_send_the_panels_cookies(live_server):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      opener.open(f"{live_server}/tryit").read().decode()).group(1)

    def panel_send(path: str) -> str:
        data = urllib.parse.urlencode([("csrf_token", token), ("method", "GET"),
                                       ("path", path), ("body", "")]).encode()
        request = urllib.request.Request(f"{live_server}{SEND}", data=data, headers=HTMX)
        return unescape(opener.open(request).read().decode())

    panel_send("/sandbox/cookies/set?flavour=oat")
    page = panel_send("/sandbox/cookies")
    for label, command in (("curl", ["bash", "-c"]), ("Python requests", [sys.executable, "-c"]),
                           ("Python httpx", [sys.executable, "-c"])):
        run = subprocess.run([*command, snippet(page, label)], capture_output=True, text=True,
                             timeout=30)
        assert re.search(r'"flavour": ?"oat"', run.stdout), (label, run.stdout, run.stderr)
