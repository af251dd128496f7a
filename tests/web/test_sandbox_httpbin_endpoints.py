"""The endpoints that make the sandbox a whole httpbin: what each does, its caps, and the
hostile inputs that must be a 4xx (test_httpbin_parity.py compares them with httpbin)."""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import zlib

import brotli
import httpx
import pytest

from hyperlesson.sandbox import digest, pictures, streams

from ..conftest import make_app
from .test_sandbox_support import assert_problem, client_for, make_sandbox


@pytest.fixture
def http(tmp_path):
    with client_for(make_sandbox(tmp_path)) as client:
        yield client


@pytest.fixture
def slept(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(streams, "sleep", waits.append)
    return waits


@pytest.mark.parametrize("path, coding, decode, flag", [
    ("/gzip", "gzip", gzip.decompress, "gzipped"),
    ("/deflate", "deflate", zlib.decompress, "deflated"),
    ("/brotli", "br", brotli.decompress, "brotli"),
])
def test_compressed_answers_decode_to_the_echo(tmp_path, path, coding, decode, flag):
    response = make_sandbox(tmp_path).test_client().get(path)  # a client that does not decode
    assert response.headers["Content-Encoding"] == coding
    assert response.headers["Content-Length"] == str(len(response.get_data()))
    body = json.loads(decode(response.get_data()))
    assert body[flag] is True and body["method"] == "GET"
    assert body["origin"] == "127.0.0.1"


def test_utf8_text(http):
    response = http.get("/encoding/utf8")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Привет" in response.text and "🙂" in response.text


def test_stream_sends_n_echo_lines_cut_at_100(http):
    lines = http.get("/stream/3?a=1").text.splitlines()
    assert len(lines) == 3
    assert [httpx.Response(200, content=line).json()["id"] for line in lines] == [0, 1, 2]
    assert httpx.Response(200, content=lines[0]).json()["args"] == {"a": "1"}
    assert len(http.get("/stream/5000").text.splitlines()) == 100


def test_stream_bytes_are_seeded_like_bytes_and_capped(http):
    assert (http.get("/stream-bytes/300?seed=7&chunk_size=13").content
            == http.get("/bytes/300?seed=7").content)
    assert len(http.get("/stream-bytes/999999").content) == 102400
    assert_problem(http.get("/stream-bytes/10?chunk_size=x"), 400)


@pytest.mark.parametrize("range_header, status, body, content_range", [
    (None, 200, b"abcdefghijklmnopqrstuvwxyzabcd", "bytes 0-29/30"),
    ("bytes=0-3", 206, b"abcd", "bytes 0-3/30"),
    ("bytes=26-", 206, b"abcd", "bytes 26-29/30"),
    ("bytes=-2", 206, b"cd", "bytes 28-29/30"),
    ("bytes=nonsense", 200, b"abcdefghijklmnopqrstuvwxyzabcd", "bytes 0-29/30"),
])
def test_range_honours_range_requests(http, range_header, status, body, content_range):
    headers = {"Range": range_header} if range_header else {}
    response = http.get("/range/30", headers=headers)
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["content-range"] == content_range
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"] == "range30"


@pytest.mark.parametrize("range_header", ["bytes=30-40", "bytes=5-2", "bytes=0-99999999999"])
def test_range_outside_is_416(http, range_header):
    response = http.get("/range/30", headers={"Range": range_header})
    assert_problem(response, 416)
    assert response.headers["content-range"] == "bytes */30"


@pytest.mark.parametrize("path, status", [("/range/0", 404), ("/range/102401", 404),
                                          ("/range/10?duration=-1", 400),
                                          ("/range/10?duration=nan", 400)])
def test_range_refuses_bad_sizes_and_durations(http, path, status):
    assert_problem(http.get(path), status)


@pytest.mark.parametrize("duration", ["99", "inf"])
def test_range_duration_is_capped(http, slept, duration):
    http.get(f"/range/10?duration={duration}")
    assert sum(slept) == pytest.approx(3)


def test_drip_sends_its_bytes_with_the_code_asked_for(http, slept):
    response = http.get("/drip?numbytes=5&duration=1&delay=0.5&code=201")
    assert (response.status_code, response.content) == (201, b"*****")
    assert response.headers["content-length"] == "5"
    assert slept[0] == 0.5 and sum(slept) == pytest.approx(1.5)


def test_drip_waits_at_most_three_seconds_in_all(http, slept):
    response = http.get("/drip?numbytes=999999999&duration=100&delay=100")
    assert len(response.content) == 102400
    assert sum(slept) == pytest.approx(3)
    assert len(slept) <= 1 + streams.MAX_DRIP_PIECES


@pytest.mark.parametrize("query", ["numbytes=0", "numbytes=-3", "duration=abc",
                                   "duration=nan", "delay=-1", "code=abc", "code=99",
                                   "code=600", "numbytes=1e3"])
def test_drip_refuses_bad_parameters_without_waiting(http, slept, query):
    assert_problem(http.get(f"/drip?{query}"), 400)
    assert slept == []


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_the_pictures_are_well_formed():
    png = pictures.png()
    assert png_size(png) == (pictures.SIZE, pictures.SIZE)
    # Every chunk's CRC holds and the pixels inflate to the size the header gives.
    position, pixels = 8, b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        data = png[position + 8:position + 8 + length]
        crc = struct.unpack(">I", png[position + 8 + length:position + 12 + length])[0]
        assert zlib.crc32(kind + data) == crc
        pixels += zlib.decompress(data) if kind == b"IDAT" else b""
        position += 12 + length
    assert len(pixels) == pictures.SIZE * (1 + 3 * pictures.SIZE)
    jpeg = pictures.jpeg()
    assert jpeg.startswith(b"\xff\xd8\xff\xe0") and jpeg.endswith(b"\xff\xd9")
    webp = pictures.webp()
    assert webp[:4] == b"RIFF" and webp[8:16] == b"WEBPVP8L"
    assert struct.unpack("<I", webp[4:8])[0] == len(webp) - 8
    assert webp[20] == 0x2F
    assert pictures.svg().startswith(b"<svg")


@pytest.mark.parametrize("accept, mimetype", [
    ("image/webp,*/*", "image/webp"), ("image/svg+xml", "image/svg+xml"),
    ("image/jpeg", "image/jpeg"), ("image/png", "image/png"), ("image/*", "image/png"),
    ("IMAGE/JPEG", "image/jpeg"),
])
def test_image_follows_accept(http, accept, mimetype):
    response = http.get("/image", headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"] == mimetype


def test_image_without_accept_is_png(tmp_path):
    response = make_sandbox(tmp_path).test_client().get("/image")  # sends no Accept
    assert response.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("accept", ["text/plain", "*/*"])  # */* names no image: httpbin's 406
def test_image_refuses_other_types_with_the_list(http, accept):
    body = assert_problem(http.get("/image", headers={"Accept": accept}), 406)
    assert "image/webp" in body["accept"]


@pytest.mark.parametrize("kind, mimetype", [("png", "image/png"), ("jpeg", "image/jpeg"),
                                            ("webp", "image/webp"), ("svg", "image/svg+xml")])
def test_each_image_type(http, kind, mimetype):
    response = http.get(f"/image/{kind}")
    assert response.headers["content-type"] == mimetype
    assert response.content


def test_hidden_basic_auth_answers_404_without_a_challenge(http):
    assert http.get("/hidden-basic-auth/ada/pw", auth=("ada", "pw")).json()["user"] == "ada"
    response = http.get("/hidden-basic-auth/ada/pw", auth=("ada", "no"))
    assert_problem(response, 404)
    assert "www-authenticate" not in response.headers


@pytest.mark.parametrize("path", ["/digest-auth/auth/ada/pw", "/digest-auth/auth/ada/pw/MD5",
                                  "/digest-auth/auth/ada/pw/SHA-256",
                                  "/digest-auth/other/ada/pw/SHA-512/never"])
def test_digest_auth_with_a_real_client(http, path):
    response = http.get(path, auth=httpx.DigestAuth("ada", "pw"))
    assert response.status_code == 200, response.text
    assert response.json() == {"authenticated": True, "user": "ada"}


def test_digest_auth_int_covers_the_body(http):
    path = "/sandbox/digest-auth/auth-int/ada/pw/SHA-256"
    challenge = http.get(path.removeprefix("/sandbox")).headers["www-authenticate"]
    nonce = challenge.split('nonce="')[1].split('"')[0]
    fields = {"username": "ada", "realm": digest.REALM, "nonce": nonce, "uri": path,
              "qop": "auth-int", "nc": "00000001", "cnonce": "c0ffee"}

    def header(signed: bytes) -> str:
        response = digest.expected_response(fields, password="pw", method="GET",
                                            body=signed, algorithm="SHA-256")
        return ("Digest " + ", ".join(f'{k}="{v}"' for k, v in fields.items() if k != "nc")
                + f', nc=00000001, algorithm=SHA-256, response="{response}"')

    def send(body: bytes, signed: bytes) -> httpx.Response:
        return http.request("GET", path.removeprefix("/sandbox"), content=body,
                            headers={"Authorization": header(signed)})

    assert send(b"x=1", b"x=1").status_code == 200
    assert_problem(send(b"x=2", b"x=1"), 401)  # the body changed on the way


@pytest.mark.parametrize("user, password", [("ada", "wrong"), ("bob", "pw")])
def test_digest_auth_refuses_wrong_credentials(http, user, password):
    response = http.get("/digest-auth/auth/ada/pw", auth=httpx.DigestAuth(user, password))
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Digest ")


def test_digest_challenge_names_algorithm_and_sets_sandbox_cookies(http):
    response = http.get("/digest-auth/auth/ada/pw/SHA-256/2")
    assert_problem(response, 401)
    challenge = response.headers["www-authenticate"]
    assert 'qop="auth"' in challenge and "algorithm=SHA-256" in challenge
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("stale_after=2;") for c in cookies)
    assert all("Path=/sandbox" in c for c in cookies)


@pytest.mark.parametrize("authorization", [
    "Digest", "Digest username=", 'Digest username="ada", nonce="x"',
    'Digest username="ada", realm="r", nonce="n", uri="/elsewhere", response="0"',
    'Digest username="ada", realm="r", nonce="n", uri="/sandbox/digest-auth/auth/ada/pw", '
    'response="0", qop=auth', 'Digest username="\u00e9", nonce="\u00e9"', "Basic abc",
    'Digest username="ada", realm="r", nonce="n", uri="http://[", response="0"',
])
def test_digest_auth_treats_broken_headers_as_unauthenticated(tmp_path, authorization):
    client = make_sandbox(tmp_path).test_client()  # sends non-ASCII as Latin-1, as a server
    response = client.get("/digest-auth/auth/ada/pw", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("stale_after", ["%C3%A9", "x" * 41])
def test_digest_refuses_a_stale_after_it_cannot_keep_in_a_cookie(http, stale_after):
    assert_problem(http.get(f"/digest-auth/auth/ada/pw/MD5/{stale_after}"), 400)


def test_digest_nonce_used_twice_is_stale(http):
    first = http.get("/digest-auth/auth/ada/pw", auth=httpx.DigestAuth("ada", "pw"))
    assert first.status_code == 200
    replayed = first.request.headers["Authorization"]
    nonce = replayed.split('nonce="')[1].split('"')[0]
    again = http.get("/digest-auth/auth/ada/pw", headers={"Authorization": replayed,
                                                          "Cookie": f"last_nonce={nonce}"})
    assert_problem(again, 401)
    assert "stale=TRUE" in again.headers["www-authenticate"]


def test_digest_expected_response_needs_its_fields():
    assert digest.expected_response({"username": "a"}, password="p", method="GET", body=b"",
                                    algorithm="MD5") is None


@pytest.mark.parametrize("path, text", [
    ("/base64/SGVsbG8sIHNhbmRib3gh", "Hello, sandbox!"),
    ("/base64/abc", "Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l"),
    ("/base64/%FF%FE", ""),  # not base64 characters: skipped, as httpbin's decoder does
    ("/base64/_-8", "Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l"),
])
def test_base64_decodes_or_hints(http, path, text):
    response = http.get(path)
    assert (response.status_code, response.text) == (200, text)


def test_links_pages_link_to_each_other(http):
    first = http.get("/links/3")
    assert (first.status_code, first.headers["location"]) == (302, "/sandbox/links/3/0")
    page = http.get("/links/3/1").text
    assert "<a href='/sandbox/links/3/0'>0</a> 1 <a href='/sandbox/links/3/2'>2</a>" in page
    assert http.get("/links/100000/0").text.count("<a ") == 199


def test_robots_and_deny(http):
    assert http.get("/robots.txt").text == "User-agent: *\nDisallow: /sandbox/deny\n"
    assert http.get("/deny").headers["content-type"] == "text/plain"


def test_forms_post_may_submit_only_its_form(http):
    response = http.get("/forms/post")
    assert '<form method="post" action="/sandbox/post">' in response.text
    policy = response.headers["content-security-policy"]
    assert policy.startswith("sandbox allow-forms;") and "form-action 'self'" in policy
    assert "allow-scripts" not in policy
    assert http.get("/get").headers["content-security-policy"].startswith("sandbox;")


@pytest.mark.parametrize("path", ["/anything", "/anything/x", "/status/200",
                                  "/redirect-to?url=/sandbox/get", "/delay/0"])
def test_trace_is_answered_where_httpbin_answers_it(http, path):
    assert http.request("TRACE", path).status_code in (200, 302)


def test_trace_elsewhere_is_405(http):
    response = http.request("TRACE", "/get")
    assert_problem(response, 405)


def test_the_echo_leaves_out_proxy_headers_unless_show_env(http):
    headers = {"Via": "1.1 proxy", "X-Request-Id": "abc", "X-Lesson": "1"}
    assert set(http.get("/headers", headers=headers).json()["headers"]) >= {"X-Lesson"}
    assert "Via" not in http.get("/get", headers=headers).json()["headers"]
    assert "Via" in http.get("/get?show_env=1", headers=headers).json()["headers"]


@pytest.mark.parametrize("proxies, origin, url", [
    (0, "127.0.0.1", "http://localhost/sandbox/get"),
    (1, "203.0.113.9", "https://localhost/sandbox/get"),
])
def test_origin_and_url_follow_forwarded_headers_only_from_a_trusted_proxy(
        tmp_path, migrated_db, proxies, origin, url):
    path = tmp_path / "app.db"
    shutil.copy(migrated_db, path)
    client = make_app(path, TRUSTED_PROXIES=proxies).test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    body = client.get("/sandbox/get", headers=forwarded).get_json()
    assert (body["origin"], body["url"]) == (origin, url)
    assert client.get("/sandbox/ip", headers=forwarded).get_json() == {"origin": origin}
