"""The sandbox as mounted in the real app: reachable at /sandbox/, and contained."""

from __future__ import annotations


def test_sandbox_is_served_under_the_app(client):
    response = client.get("/sandbox/get?lesson=http")
    assert response.status_code == 200
    assert response.get_json()["args"] == {"lesson": "http"}
    users = client.get("/sandbox/users", headers={"X-Sandbox-Key": "mount-test"})
    assert [u["id"] for u in users.get_json()] == [1, 2, 3]


def test_sandbox_responses_cannot_run_script_on_our_origin(client):
    # /response-headers lets a learner choose the Content-Type: the document is sandboxed.
    response = client.get("/sandbox/response-headers?Content-Type=text/html"
                          "&x=%3Cscript%3Ealert(1)%3C/script%3E")
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_app_pages_keep_their_own_policy(client):
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]
