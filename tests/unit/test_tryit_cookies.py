"""The try-it cookie jar keeps and sends cookies as a browser would (RFC 6265)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperlesson.tryit.cookies import (
    MAX_COOKIE_BYTES,
    MAX_COOKIES,
    MAX_JAR_BYTES,
    CookieJar,
    default_path,
    parse_set_cookie,
)

NOW = 1_800_000_000.0


def jar_after(*lines: str, path: str = "/sandbox/cookies/set", now: float = NOW,
              secure_origin: bool = False) -> CookieJar:
    jar = CookieJar()
    jar.receive(list(lines), path, now, secure_origin)
    return jar


@pytest.mark.parametrize(("request_path", "expected"), [
    ("/sandbox/cookies/set", "/sandbox/cookies"), ("/sandbox/cookies/set?a=/b", "/sandbox/cookies"),
    ("/sandbox", "/"), ("/", "/"), ("", "/")])
def test_default_path_is_the_request_directory(request_path, expected):
    assert default_path(request_path) == expected


def test_a_cookie_goes_back_only_to_paths_under_its_own():
    jar = jar_after("flavour=oat; Path=/sandbox")
    assert jar.header_for("/sandbox/cookies", NOW) == "flavour=oat"
    assert jar.header_for("/sandbox", NOW) == "flavour=oat"
    assert jar.header_for("/sandboxes/x", NOW) == ""  # a prefix is not a path match
    assert jar.header_for("/other", NOW) == ""


def test_without_a_path_the_cookie_keeps_its_request_directory():
    jar = jar_after("flavour=oat")
    assert jar.header_for("/sandbox/cookies", NOW) == "flavour=oat"
    assert jar.header_for("/sandbox/get", NOW) == ""


def test_a_path_not_starting_with_a_slash_is_ignored():
    assert jar_after("a=1; Path=sandbox").live(NOW)[0].path == "/sandbox/cookies"


def test_longer_paths_go_first_then_older_cookies():
    jar = CookieJar()
    jar.receive(["a=1; Path=/sandbox"], "/sandbox/x", NOW)
    jar.receive(["b=2; Path=/sandbox/cookies"], "/sandbox/x", NOW + 1)
    jar.receive(["c=3; Path=/sandbox"], "/sandbox/x", NOW + 2)
    assert jar.header_for("/sandbox/cookies", NOW + 3) == "b=2; a=1; c=3"


def test_max_age_wins_over_expires_and_both_end_a_cookie():
    jar = jar_after("a=1; Path=/; Max-Age=60; Expires=Wed, 01 Jan 2020 00:00:00 GMT",
                    "b=2; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT")
    assert jar.header_for("/sandbox", NOW + 59) == "a=1; b=2"
    assert jar.header_for("/sandbox", NOW + 60) == "b=2"
    assert [c.name for c in jar.live(NOW + 61)] == ["b"]


def test_an_expiry_in_the_past_deletes_the_cookie():
    jar = jar_after("a=1; Path=/sandbox", "b=2; Path=/sandbox")
    jar.receive(["a=; Path=/sandbox; Expires=Thu, 01 Jan 1970 00:00:00 GMT"], "/sandbox/x", NOW)
    assert jar.header_for("/sandbox", NOW) == "b=2"
    jar.receive(["b=; Path=/sandbox; Max-Age=0"], "/sandbox/x", NOW)
    assert len(jar) == 0


def test_a_deletion_for_another_path_leaves_the_cookie():
    jar = jar_after("a=1; Path=/sandbox")
    jar.receive(["a=; Path=/sandbox/cookies; Max-Age=0"], "/sandbox/x", NOW)
    assert jar.header_for("/sandbox", NOW) == "a=1"


def test_a_new_value_replaces_the_old_and_keeps_its_place():
    jar = jar_after("a=1; Path=/", "b=2; Path=/")
    jar.receive(["a=3; Path=/"], "/x", NOW + 5)
    assert jar.header_for("/", NOW + 5) == "a=3; b=2"


def test_domain_is_never_honoured():
    jar = jar_after("a=1; Domain=example.com; Path=/sandbox")
    assert jar.header_for("/sandbox", NOW) == "a=1"


def test_secure_cookies_need_an_https_sandbox():
    assert len(jar_after("a=1; Secure")) == 0
    assert len(jar_after("a=1; Secure", secure_origin=True)) == 1


@pytest.mark.parametrize("line", ["", "novalue", "=1", f"a={'x' * MAX_COOKIE_BYTES}"])
def test_lines_a_browser_ignores_are_ignored(line):
    assert len(jar_after(line)) == 0


def test_unreadable_attributes_are_ignored():
    jar = jar_after("a=1; Max-Age=soon; Expires=whenever; Path=/")
    assert jar.live(NOW)[0].expires is None


def test_the_jar_keeps_at_most_max_cookies_the_oldest_going_first():
    jar = CookieJar()
    for number in range(MAX_COOKIES + 5):
        jar.receive([f"c{number}=v; Path=/"], "/x", NOW + number)
    names = [cookie.name for cookie in jar.live(NOW + 100)]
    assert len(names) == MAX_COOKIES
    assert names[0] == "c5" and names[-1] == f"c{MAX_COOKIES + 4}"


def test_the_jar_keeps_at_most_max_jar_bytes():
    jar = CookieJar()
    for number in range(10):
        jar.receive([f"c{number}={'v' * 900}; Path=/"], "/x", NOW + number)
    assert sum(cookie.size for cookie in jar.live(NOW)) <= MAX_JAR_BYTES
    assert jar.live(NOW)[-1].name == "c9"


def test_a_jar_survives_storage():
    jar = jar_after("a=1; Path=/; Max-Age=60", "b=2")
    again = CookieJar.from_dicts(jar.as_dicts())
    assert again.header_for("/sandbox/cookies", NOW) == jar.header_for("/sandbox/cookies", NOW)
    assert again.as_dicts() == jar.as_dicts()


def test_parse_keeps_value_with_equals_signs():
    cookie = parse_set_cookie("token=a=b=c; Path=/", "/x", NOW, False)
    assert cookie is not None and cookie.value == "a=b=c"


@pytest.mark.parametrize("max_age", ["9" * 5000, "-" + "9" * 5000, "²", "１"])
def test_a_hostile_max_age_is_not_an_error(max_age):
    jar = jar_after(f"a=1; Path=/; Max-Age={max_age}")
    assert len(jar) in (0, 1)


def test_a_line_with_control_or_non_ascii_characters_is_dropped():
    assert len(jar_after("a=\x01; Path=/", "b=é; Path=/", "c=1\r\nX: y")) == 0


@given(st.lists(st.text(max_size=200), max_size=5), st.text(max_size=100))
@settings(max_examples=300)
def test_any_set_cookie_lines_leave_a_sendable_jar(lines, path):
    jar = CookieJar()
    jar.receive(lines, path, NOW)
    header = jar.header_for("/" + path, NOW)
    assert header.isascii() and "\n" not in header and "\r" not in header
    assert len(jar) <= MAX_COOKIES and sum(c.size for c in jar.live(NOW)) <= MAX_JAR_BYTES
