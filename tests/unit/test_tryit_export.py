"""Snippets: the same request as curl, requests and httpx code, quoted against anything."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperlesson.tryit.export import as_curl, as_httpx, as_requests, json_body, py_str
from hyperlesson.tryit.request import TryItError, TryRequest, validate

BASE = "http://127.0.0.1:5000"
KEY = "learner_key-1"
HOSTILE = "it's \"quoted\" $(rm -rf /) `reboot` $HOME \\ ; | & > < * ? ! ~ {a,b} [x]"
HOSTILE_BODY = f"line one\n{HOSTILE}\r\nünïcødé €✓ 🐍\n\ttab\n'''\"\"\"\n"

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def request(method="GET", path="/sandbox/get", headers=(), body="") -> TryRequest:
    return validate(method, path, list(headers), body)


def curl_args(req: TryRequest, **options) -> list[str]:
    return shlex.split(as_curl(req, base_url=BASE, sandbox_key=KEY, **options))


def bash_args(command: str) -> list[str]:
    """The argv bash would give curl, with curl replaced by a function that prints it."""
    script = "curl() { printf '%s\\0' \"$@\"; }\n" + command
    out = subprocess.run(["bash", "-c", script], capture_output=True, check=True).stdout
    return out.decode("utf-8").split("\0")[:-1]


# --- curl ----------------------------------------------------------------------------

def test_a_plain_get_is_short():
    assert as_curl(request(), base_url=BASE, sandbox_key=KEY) == (
        f"curl -i -H 'X-Sandbox-Key: {KEY}' {BASE}/sandbox/get")


@pytest.mark.parametrize(("method", "body", "flags"), [
    ("GET", "", []), ("GET", "b", ["-X", "GET"]), ("POST", "b", []), ("POST", "", ["-X", "POST"]),
    ("PUT", "b", ["-X", "PUT"]), ("DELETE", "", ["-X", "DELETE"]),
    ("OPTIONS", "", ["-X", "OPTIONS"]), ("HEAD", "", ["--head"]), ("PATCH", "b", ["-X", "PATCH"]),
])
def test_curl_names_the_method_only_when_needed(method, body, flags):
    args = curl_args(request(method, "/sandbox/anything", [("Content-Type", "text/plain")], body))
    assert args[:2] == ["curl", "-i"]
    assert [a for a in args if a in ("-X", "--head", *METHOD_WORDS)] == flags
    assert ("--data-raw" in args) == bool(body)
    assert args[-1] == f"{BASE}/sandbox/anything"


METHOD_WORDS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")


def test_curl_headers_body_and_key_survive_hostile_values():
    req = request("POST", "/sandbox/post?q=$(id)&r=`id`",
                  [("X-Evil", HOSTILE), ("Content-Type", "text/plain"), ("X-Empty", "")],
                  HOSTILE_BODY)
    args = curl_args(req)
    assert args[args.index("--data-raw") + 1] == HOSTILE_BODY
    headers = [args[i + 1] for i, arg in enumerate(args) if arg == "-H"]
    assert headers == [f"X-Evil: {HOSTILE}", "Content-Type: text/plain", "X-Empty;",
                       f"X-Sandbox-Key: {KEY}"]
    assert args[-1] == f"{BASE}/sandbox/post?q=$(id)&r=`id`"


def test_curl_without_a_content_type_sends_none_like_the_panel():
    args = curl_args(request("POST", "/sandbox/post", [], "x=1"))
    assert args[args.index("Content-Type:") - 1] == "-H"


def test_curl_turns_off_globbing_for_brackets_and_follows_when_asked():
    assert "--globoff" in curl_args(request(path="/sandbox/get?a[]=1&b={x}"))
    assert "--globoff" not in curl_args(request())
    assert "-L" in curl_args(request(), follow_redirects=True)
    assert "-L" not in curl_args(request())


@needs_bash
def test_the_curl_command_is_valid_bash_and_passes_every_value_exactly():
    req = request("PUT", "/sandbox/anything/€?a=$(id)&b=[1]",
                  [("X-Evil", HOSTILE), ("Content-Type", "application/json")], HOSTILE_BODY)
    command = as_curl(req, base_url=BASE, sandbox_key=KEY)
    subprocess.run(["bash", "-n", "-c", command], check=True)
    assert bash_args(command) == curl_args(req)[1:]
    assert HOSTILE_BODY in bash_args(command)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=60),
       st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200))
def test_shlex_gives_back_any_header_value_and_body(value, body):
    try:
        req = request("POST", "/sandbox/post", [("X-Value", value)], body)
    except TryItError:
        return
    args = curl_args(req)
    assert args[args.index("-H") + 1] == (f"X-Value: {req.headers[0][1]}" if req.headers[0][1]
                                          else "X-Value;")
    if body:
        assert args[args.index("--data-raw") + 1] == body


# --- Python ---------------------------------------------------------------------------

class Recorder:
    """Stands in for the requests / httpx module: records the call, answers a stub."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, function):
        def call(*args, **kwargs):
            self.calls.append((function, args, kwargs))
            return types.SimpleNamespace(status_code=201, reason="Created",
                                         reason_phrase="Created", text="{}")
        return call


def run_snippet(code: str, library: str, monkeypatch) -> tuple[str, tuple, dict]:
    compile(code, "<snippet>", "exec")
    recorder = Recorder()
    monkeypatch.setitem(sys.modules, library, recorder)
    exec(code, {"print": lambda *args: None})
    [call] = recorder.calls
    return call


@pytest.mark.parametrize(("export", "library"), [(as_requests, "requests"), (as_httpx, "httpx")])
def test_python_snippets_carry_hostile_values_exactly(export, library, monkeypatch):
    req = request("PATCH", "/sandbox/anything?x=$(id)", [("X-Evil", HOSTILE),
                                                          ("Content-Type", "text/plain")],
                  HOSTILE_BODY)
    code = export(req, base_url=BASE, sandbox_key=KEY)
    assert code.startswith(f"import {library}\n")
    assert code.rstrip().endswith("print(response.text)")
    assert "print(response.status_code" in code
    function, args, kwargs = run_snippet(code, library, monkeypatch)
    assert function == "patch"
    assert args == (f"{BASE}/sandbox/anything?x=$(id)",)
    assert kwargs["headers"] == {"X-Evil": HOSTILE, "Content-Type": "text/plain",
                                 "X-Sandbox-Key": KEY}
    body = kwargs["data"] if library == "requests" else kwargs["content"]
    sent = body.decode("utf-8") if isinstance(body, bytes) else body
    assert sent == HOSTILE_BODY
    assert kwargs.get("allow_redirects", kwargs.get("follow_redirects")) is False


@pytest.mark.parametrize(("export", "library"), [(as_requests, "requests"), (as_httpx, "httpx")])
def test_a_json_body_becomes_json_keyword(export, library, monkeypatch):
    body = '{"name": "Zoë \\"Z\\" O\'Neil", "tags": [true, false, null, 1.5, -2], "n": {}}'
    req = request("POST", "/sandbox/users", [("Content-Type", "application/json; charset=utf-8")],
                  body)
    code = export(req, base_url=BASE, sandbox_key=KEY, follow_redirects=True)
    _, _, kwargs = run_snippet(code, library, monkeypatch)
    assert kwargs["json"] == {"name": "Zoë \"Z\" O'Neil", "tags": [True, False, None, 1.5, -2],
                              "n": {}}
    assert "data" not in kwargs and "content" not in kwargs
    assert kwargs.get("allow_redirects", kwargs.get("follow_redirects")) is True


@pytest.mark.parametrize("body", ['{"a": 1, "a": 2}', '{"big": 1e999}', '[NaN]', "not json",
                                  "[" * 50 + "]" * 50])
def test_json_that_python_cannot_say_the_same_way_stays_a_string(body):
    req = request("POST", "/sandbox/post", [("Content-Type", "application/json")], body)
    assert json_body(req) is None
    for export in (as_requests, as_httpx):
        compile(export(req, base_url=BASE, sandbox_key=KEY), "<snippet>", "exec")


def test_httpx_uses_request_for_a_body_on_get_and_requests_encodes_non_ascii(monkeypatch):
    req = request("GET", "/sandbox/anything", [], "é")
    function, args, kwargs = run_snippet(as_httpx(req, base_url=BASE, sandbox_key=KEY), "httpx",
                                         monkeypatch)
    assert (function, args[0], kwargs["content"]) == ("request", "GET", "é")
    _, _, kwargs = run_snippet(as_requests(req, base_url=BASE, sandbox_key=KEY), "requests",
                               monkeypatch)
    assert kwargs["data"] == "é".encode()


def test_repeated_headers_are_joined_as_the_panel_sends_them(monkeypatch):
    req = request(headers=[("Accept", "text/html"), ("accept", "application/json")])
    for export, library in ((as_requests, "requests"), (as_httpx, "httpx")):
        _, _, kwargs = run_snippet(export(req, base_url=BASE, sandbox_key=KEY), library,
                                   monkeypatch)
        assert kwargs["headers"]["Accept"] == "text/html, application/json"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=100))
def test_py_str_is_a_literal_for_any_text(text):
    assert eval(compile(py_str(text), "<literal>", "eval")) == text
