"""Bounded parsing of sandbox path and query values: every failure is a 400 problem."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperlesson.sandbox.params import (
    bounded_int,
    byte_range,
    check_cookie,
    check_header,
    choose_status,
    delay_seconds,
    redirect_target,
    whole_number,
)
from hyperlesson.sandbox.responses import ProblemError


def fails_400(call, *args, **kwargs) -> str:
    with pytest.raises(ProblemError) as caught:
        call(*args, **kwargs)
    assert caught.value.status == 400
    return caught.value.detail


def test_bounded_int():
    assert bounded_int(" 7 ", "n", 1, 10) == 7
    assert "from 1 to 10" in fails_400(bounded_int, "11", "n", 1, 10)
    for bad in ("", "x", "1.5", "0x10", "9" * 40, "١"):
        assert "n must be" in fails_400(bounded_int, bad, "n", 0, 10)


def test_delay_is_capped_not_refused_above_three_seconds():
    assert delay_seconds("0.25") == 0.25
    assert delay_seconds("60") == 3.0
    assert delay_seconds("inf") == 3.0
    for bad in ("-1", "nan", "soon", ""):
        fails_400(delay_seconds, bad)


def test_choose_status_single_list_and_weights():
    assert choose_status("404") == 404
    rng = random.Random(1)
    seen = Counter(choose_status("200,500", rng) for _ in range(200))
    assert set(seen) == {200, 500}
    assert {choose_status("200:0,503:1", rng) for _ in range(50)} == {503}


def test_choose_status_weights_whose_sum_overflows_keep_their_proportions():
    # Each weight is finite, but 1e308 + 1e308 is infinity, which random.choices refuses.
    rng = random.Random(1)
    seen = Counter(choose_status("200:1e308,500:1e308", rng) for _ in range(200))
    assert set(seen) == {200, 500}
    assert {choose_status("200:1e308,500:1", rng) for _ in range(50)} == {200}
    assert choose_status("418:5e-324", rng) == 418  # the smallest float above 0 still counts


@given(st.lists(st.tuples(st.integers(100, 599),
                          st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                    st.sampled_from(["1e308", "1e-400", "-0", "inf", "1_0",
                                                     "0x1p3", "", "١", " 2 "]))),
                min_size=1, max_size=21))
@settings(max_examples=150, deadline=None)
def test_choose_status_returns_a_listed_code_or_a_400(entries):
    spec = ",".join(f"{code}:{weight}" if weight != "" else str(code)
                    for code, weight in entries)
    try:
        assert choose_status(spec, random.Random(0)) in {code for code, _ in entries}
    except ProblemError as error:
        assert error.status == 400 and error.detail


@pytest.mark.parametrize("spec", ["99", "600", "abc", "200,", ",", "", "200:x", "200:-1",
                                  "200:0", "200:nan", ",".join(["200"] * 21)])
def test_choose_status_refuses(spec):
    fails_400(choose_status, spec)


def test_check_header():
    check_header("X-Lesson", "one two")
    check_header("Content-Type", "text/plain; charset=utf-8")
    check_header("X-Empty", "")
    for name in ("Bad Name", "X:Y", "", "Ünï"):
        fails_400(check_header, name, "v")
    for value in ("a\r\nSet-Cookie: x=1", "a\nb", "tab\x00", "é", " padded"):
        fails_400(check_header, "X-Test", value)
    assert "frames the response" in fails_400(check_header, "Content-Length", "5")
    fails_400(check_header, "transfer-encoding", "chunked")


def test_check_cookie():
    check_cookie("session", "abc123")
    fails_400(check_cookie, "bad name", "v")
    check_cookie("ok", "has space")  # quoted in Set-Cookie, as httpbin does
    fails_400(check_cookie, "ok", "line\nbreak")
    fails_400(check_cookie, "ok", "caf\u00e9")
    fails_400(check_cookie, "ok", "x" * 1025)


@pytest.mark.parametrize("url", ["/sandbox/get", "/sandbox/status/200?x=1",
                                 "http://testserver/sandbox/get",
                                 "https://TestServer/sandbox/users/1"])
def test_redirect_target_allows_sandbox_paths(url):
    assert redirect_target(url, host="testserver", prefix="/sandbox/") == url


@pytest.mark.parametrize("url", [
    "", "https://example.com/", "http://example.com/sandbox/get", "//example.com/sandbox/",
    "/\\example.com", "/sandbox\\..\\login", "/login", "/sandboxes", "/sandbox",
    "/sandbox/../login", "/sandbox/%2e%2e/login", "/sandbox/./../x", "javascript:alert(1)",
    "ftp://testserver/sandbox/get", "http://testserver:8080/sandbox/get", "sandbox/get",
    "/sandbox/get\r\nX: y", "/sandbox/ get",
])
def test_redirect_target_refuses_anything_else(url):
    fails_400(redirect_target, url, host="testserver", prefix="/sandbox/")


@pytest.mark.parametrize("header, expected", [
    (None, (0, 99)), ("", (0, 99)), ("bytes=10-19", (10, 19)), ("bytes=90-", (90, 99)),
    ("bytes=-5", (95, 99)), ("bytes=-500", (0, 99)), ("items=1-2", (0, 99)),
    ("bytes=a-b", (0, 99)), ("bytes=1-2=3", (0, 99)), ("bytes=5", (5, 99)),
    ("bytes=20-10", (20, 10)), ("bytes=0-9999999999999", (0, 9999999999999)),
    ("bytes=0-" + "9" * 31, (0, 99)),
])
def test_byte_range_reads_a_range_header_as_httpbin(header, expected):
    assert byte_range(header, 100) == expected  # the caller answers 416 to first > last


def test_whole_number_takes_any_sign_and_refuses_the_rest():
    assert whole_number("-7", "seed") == -7
    assert whole_number(" 42 ", "seed") == 42
    for bad in ("4.2", "x", "", "1" * 13):
        fails_400(whole_number, bad, "seed")
