"""/users through the in-process client: CRUD, owners kept apart, bounds, conditionals."""

from __future__ import annotations

import json

import pytest

from .test_sandbox_support import assert_problem, client_for, make_sandbox

SAMPLE_NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


@pytest.fixture
def sandbox(tmp_path):
    return make_sandbox(tmp_path)


@pytest.fixture
def http(sandbox):
    with client_for(sandbox, key="learner-a") as client:
        yield client


def names(response) -> list[str]:
    return [user["name"] for user in response.json()]


def test_a_new_owner_starts_with_the_sample_users(http):
    response = http.get("/users")
    assert response.status_code == 200
    assert response.json()[0] == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
    assert names(response) == SAMPLE_NAMES


def test_list_sort_and_limit(http):
    assert names(http.get("/users", params={"sort": "-name"})) == SAMPLE_NAMES[::-1]
    assert [u["id"] for u in http.get("/users", params={"sort": "-id", "limit": 2}).json()] == [
        3, 2]
    assert names(http.get("/users", params={"sort": "email", "limit": 1})) == ["Ada Lovelace"]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "sort=age",
                                   "sort=", "sort=--id"])
def test_list_refuses_bad_parameters(http, query):
    assert_problem(http.get(f"/users?{query}"), 400)


def test_post_creates_with_location_etag_and_next_id(http):
    response = http.post("/users", json={"name": "Katherine Johnson", "email": "kj@nasa.gov"})
    assert response.status_code == 201
    assert response.headers["location"] == "/sandbox/users/4"
    assert response.headers["etag"].startswith('"v1-')
    assert response.json() == {"id": 4, "name": "Katherine Johnson", "email": "kj@nasa.gov"}
    assert http.get("/users/4").json()["name"] == "Katherine Johnson"
    http.delete("/users/4")
    assert http.post("/users", json={"name": "B", "email": "b@x"}).json()["id"] == 4


def test_get_one_with_etag_and_304(http):
    response = http.get("/users/2")
    etag = response.headers["etag"]
    assert response.json()["name"] == "Alan Turing"
    assert etag.startswith('"') and not etag.startswith("W/")
    cached = http.get("/users/2", headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.headers["etag"] == etag and cached.content == b""
    assert http.get("/users/2", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_put_replaces_and_changes_the_etag(http):
    before = http.get("/users/1").headers["etag"]
    response = http.put("/users/1", json={"name": "Ada King", "email": "ada@king.uk"})
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "Ada King", "email": "ada@king.uk"}
    assert response.headers["etag"] != before
    assert response.headers["etag"].startswith('"v2-')
    assert http.get("/users/1", headers={"If-None-Match": before}).status_code == 200


def test_put_back_a_get_body_including_its_id(http):
    user = http.get("/users/3").json()
    user["email"] = "grace@navy.mil"
    assert http.put("/users/3", json=user).status_code == 200
    assert_problem(http.put("/users/2", json=user), 422)


def test_put_creates_at_a_free_id(http):
    response = http.put("/users/50", json={"name": "Fifty", "email": "f@x"})
    assert response.status_code == 201
    assert response.headers["location"] == "/sandbox/users/50"
    assert http.post("/users", json={"name": "Next", "email": "n@x"}).json()["id"] == 51


def test_put_needs_both_fields(http):
    body = assert_problem(http.put("/users/1", json={"name": "Only"}), 422)
    assert "email" in body["detail"]
    assert body["errors"] == [{"field": "email", "message": "is required"}]


def test_patch_changes_only_the_given_fields(http):
    response = http.patch("/users/2", json={"email": "alan@bletchley.uk"})
    assert response.status_code == 200
    assert response.json() == {"id": 2, "name": "Alan Turing", "email": "alan@bletchley.uk"}
    unchanged = http.get("/users/2").headers["etag"]
    assert http.patch("/users/2", json={}).headers["etag"] == unchanged


def test_delete_then_404(http):
    response = http.delete("/users/3")
    assert response.status_code == 204 and response.content == b""
    assert_problem(http.get("/users/3"), 404)
    assert_problem(http.delete("/users/3"), 404)
    assert_problem(http.patch("/users/3", json={"name": "x"}), 404)


def test_deleting_everyone_leaves_an_empty_list_not_fresh_samples(http):
    for user_id in (1, 2, 3):
        assert http.delete(f"/users/{user_id}").status_code == 204
    assert http.get("/users").json() == []


@pytest.mark.parametrize("path", ["/users/999", "/users/0", "/users/99999999999999999999",
                                  "/users/abc", "/users/-1"])
def test_missing_ids_are_404(http, path):
    assert_problem(http.get(path), 404)


def test_put_at_an_impossible_id_is_a_400(http):
    assert_problem(http.put("/users/0", json={"name": "Z", "email": "z@x"}), 400)
    assert_problem(http.put("/users/3000000000", json={"name": "Z", "email": "z@x"}), 400)


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/users", "GET, HEAD, POST, OPTIONS"),
    ("POST", "/users/1", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"),
    ("GET", "/users/reset", "POST, OPTIONS"),
])
def test_wrong_methods_are_405_with_allow(http, method, path, allowed):
    response = http.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("content", [b"{", b"", b"[1,", b"\xff", b"1" * 5000,
                                     b"[" * 30000 + b"]" * 30000])
def test_malformed_json_is_400(http, content):
    response = http.post("/users", content=content, headers={"Content-Type": "application/json"})
    assert_problem(response, 400)


def test_a_body_that_is_not_json_is_415(http):
    response = http.post("/users", data={"name": "Ada", "email": "a@b"})
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


@pytest.mark.parametrize("payload, field", [
    ([], ""), ("Ada", ""), ({"name": "", "email": "a@b"}, "name"),
    ({"name": "A" * 101, "email": "a@b"}, "name"), ({"name": "A", "email": "nope"}, "email"),
    ({"name": "A", "email": "a@b", "admin": True}, "admin"), ({"name": 1, "email": "a@b"}, "name"),
    ({"name": "A", "email": "a@b", "id": 7}, "id"),
])
def test_wrong_shapes_are_422_naming_the_field(http, payload, field):
    body = assert_problem(http.post("/users", json=payload), 422)
    assert field in body["detail"]
    assert http.get("/users").json()[-1]["id"] == 3  # nothing stored


def test_body_over_64_kb_is_413(http):
    big = json.dumps({"name": "A", "email": "a@b", "pad": "x" * (65 * 1024)})
    response = http.post("/users", content=big, headers={"Content-Type": "application/json"})
    assert_problem(response, 413)


def test_the_101st_user_is_refused_with_409(http):
    for n in range(4, 101):
        assert http.post("/users", json={"name": f"U{n}", "email": f"u{n}@x"}).status_code == 201
    body = assert_problem(http.post("/users", json={"name": "One more", "email": "o@x"}), 409)
    assert "100" in body["detail"]
    assert_problem(http.put("/users/500", json={"name": "One more", "email": "o@x"}), 409)
    assert http.put("/users/100", json={"name": "Replaced", "email": "r@x"}).status_code == 200
    assert len(http.get("/users").json()) == 100


def test_owners_are_isolated(sandbox, http):
    http.post("/users", json={"name": "Only A", "email": "a@x"})
    http.delete("/users/1")
    with client_for(sandbox, key="learner-b") as other, client_for(sandbox) as public:
        assert names(other.get("/users")) == SAMPLE_NAMES
        assert names(public.get("/users")) == SAMPLE_NAMES
        assert_problem(other.get("/users/4"), 404)
        other.put("/users/2", json={"name": "B's Alan", "email": "b@x"})
    assert http.get("/users/2").json()["name"] == "Alan Turing"
    assert names(http.get("/users")) == ["Alan Turing", "Grace Hopper", "Only A"]


@pytest.mark.parametrize("key", ["", "a" * 65, "has space", "semi;colon", "dot.ted"])
def test_invalid_owner_keys_are_400(sandbox, key):
    with client_for(sandbox) as client:
        assert_problem(client.get("/users", headers={"X-Sandbox-Key": key}), 400)


def test_a_non_ascii_owner_key_is_400(sandbox):
    # httpx refuses to send it in-process; a real client (curl) can, as latin-1 bytes.
    response = sandbox.test_client().get("/users", headers={"X-Sandbox-Key": "é"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_reset_restores_only_this_owners_samples(sandbox, http):
    http.delete("/users/1")
    http.post("/users", json={"name": "Extra", "email": "e@x"})
    with client_for(sandbox, key="learner-b") as other:
        other.delete("/users/2")
        response = http.post("/users/reset")
        assert response.status_code == 200
        assert names(response) == SAMPLE_NAMES
        assert names(other.get("/users")) == ["Ada Lovelace", "Grace Hopper"]
    assert names(http.get("/users")) == SAMPLE_NAMES


def test_if_match_guards_writes(http):
    etag = http.get("/users/1").headers["etag"]
    stale = {"If-Match": '"v0-stale"'}
    assert_problem(http.put("/users/1", json={"name": "X", "email": "x@y"}, headers=stale), 412)
    assert_problem(http.patch("/users/1", json={"name": "X"}, headers=stale), 412)
    assert_problem(http.delete("/users/1", headers=stale), 412)
    assert http.patch("/users/1", json={"name": "X"}, headers={"If-Match": etag}).status_code == (
        200)
    assert_problem(http.patch("/users/1", json={"name": "Y"}, headers={"If-Match": etag}), 412)
    assert_problem(http.put("/users/77", json={"name": "N", "email": "n@x"},
                            headers={"If-Match": "*"}), 412)


def test_if_none_match_star_creates_only(http):
    create_only = {"If-None-Match": "*"}
    assert_problem(http.put("/users/1", json={"name": "X", "email": "x@y"},
                            headers=create_only), 412)
    response = http.put("/users/9", json={"name": "N", "email": "n@x"}, headers=create_only)
    assert response.status_code == 201


def test_head_on_a_user(http):
    response = http.head("/users/1")
    assert response.status_code == 200 and response.headers["etag"] and response.content == b""
