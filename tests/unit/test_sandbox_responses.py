"""The pure shapes of sandbox bodies: httpbin's echo keys, data: URLs, problem details."""

from __future__ import annotations

import pytest

from hyperlesson.sandbox.responses import (
    ProblemError,
    body_fields,
    echo,
    json_or_none,
    multi_dict,
    parse_json,
    problem,
    text_or_data_url,
)


def test_multi_dict_keeps_single_values_as_strings_and_repeats_as_lists():
    assert multi_dict([("a", "1"), ("b", "2"), ("a", "3")]) == {"a": ["1", "3"], "b": "2"}
    assert multi_dict([]) == {}


def test_text_or_data_url():
    assert text_or_data_url("héllo".encode()) == "héllo"
    assert text_or_data_url(b"\xff\x00", "image/png; x=y") == "data:image/png;base64,/wA="
    assert text_or_data_url(b"\xff", "") == "data:application/octet-stream;base64,/w=="


def test_problem_has_the_rfc_9457_members():
    assert problem(404, "No such user.") == {
        "type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such user."}
    assert problem(422, "Bad", errors=[])["errors"] == []
    assert problem(299)["title"] == "Error"
    assert "detail" not in problem(400)


def test_problem_error_carries_headers_and_extensions():
    error = ProblemError(401, "Log in.", headers={"WWW-Authenticate": "Bearer"}, hint="x")
    assert error.headers == {"WWW-Authenticate": "Bearer"}
    assert error.as_dict()["hint"] == "x"
    assert error.as_dict()["title"] == "Unauthorized"


@pytest.mark.parametrize("raw", [b"{", b"[1,]", b"\xff\xfe{", b"nul", b"1" * 5000,
                                 b"[" * 100_000 + b"]" * 100_000, b"   "])
def test_parse_json_turns_every_bad_body_into_a_400(raw):
    with pytest.raises(ProblemError) as caught:
        parse_json(raw)
    assert caught.value.status == 400
    assert json_or_none(raw) is None


def test_parse_json_names_the_position():
    with pytest.raises(ProblemError, match="line 1, column 2"):
        parse_json(b"{x}")
    assert parse_json(b' {"a": [1, 2]} ') == {"a": [1, 2]}


def test_body_fields_for_a_json_body():
    fields = body_fields(data=b'{"a": 1}', content_type="application/json")
    assert fields == {"data": '{"a": 1}', "files": {}, "form": {}, "json": {"a": 1}}


def test_body_fields_for_a_form_leave_data_empty_like_httpbin():
    fields = body_fields(data=b"", content_type="multipart/form-data", is_form=True,
                         form=[("a", "1"), ("a", "2")],
                         files=[("f", b"text", "text/plain"), ("g", b"\x89", "image/png")])
    assert fields == {"data": "", "json": None, "form": {"a": ["1", "2"]},
                      "files": {"f": "text", "g": "data:image/png;base64,iQ=="}}


def test_echo_has_httpbins_keys_in_httpbins_order():
    body = body_fields(data=b"x", content_type="text/plain")
    result = echo(args=[("q", "1")], headers=[("Host", "h")], origin="127.0.0.1",
                  url="http://h/sandbox/anything?q=1", method="PUT", body=body)
    assert list(result) == ["args", "data", "files", "form", "headers", "json", "method",
                            "origin", "url"]
    assert result["json"] is None and result["data"] == "x"
    plain = echo(args=[], headers=[], origin="o", url="u")
    assert list(plain) == ["args", "headers", "origin", "url"]
