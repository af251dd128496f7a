"""PATH_INFO repair: decoded paths from httpx's WSGITransport become PEP 3333 strings."""

from __future__ import annotations

from hyperlesson.sandbox.wsgi import wsgi_path


def test_ascii_and_proper_wsgi_paths_are_left_alone():
    assert wsgi_path("/sandbox/get") == "/sandbox/get"
    proper = "/anything/€".encode().decode("latin-1")
    assert wsgi_path(proper) == proper


def test_decoded_paths_are_re_encoded():
    for path in ("/anything/€", "/anything/é", "/anything/\ufffd"):
        fixed = wsgi_path(path)
        assert fixed.encode("latin-1").decode("utf-8") == path
