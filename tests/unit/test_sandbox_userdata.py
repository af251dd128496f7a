"""The /users rules without an app: owner keys, list parameters, validation, ETags."""

from __future__ import annotations

import pytest

from hyperlesson.sandbox.responses import ProblemError
from hyperlesson.sandbox.userdata import (
    SAMPLE_USERS,
    ListQuery,
    apply_list_query,
    list_query,
    owner_key,
    user_etag,
    validate_user,
)


def test_owner_key():
    assert owner_key(None) == "public"
    assert owner_key("learner_42-x") == "learner_42-x"
    assert owner_key("a" * 64) == "a" * 64
    for bad in ("", "a" * 65, "has space", "dot.ted", "é", "a/b"):
        with pytest.raises(ProblemError) as caught:
            owner_key(bad)
        assert caught.value.status == 400


def test_list_query():
    assert list_query(None, None) == ListQuery(100, "id", False)
    assert list_query("5", "-name") == ListQuery(5, "name", True)
    assert list_query("100", "email") == ListQuery(100, "email", False)
    for limit, sort in (("0", None), ("101", None), ("x", None), ("-1", None), ("", None),
                        (None, "age"), (None, "--name"), (None, ""), (None, "-")):
        with pytest.raises(ProblemError) as caught:
            list_query(limit, sort)
        assert caught.value.status == 400


def test_apply_list_query_sorts_case_insensitively_and_cuts():
    users = [*SAMPLE_USERS, {"id": 4, "name": "ada byron", "email": "b@x"}]
    names = [u["name"] for u in apply_list_query(users, ListQuery(3, "name", False))]
    assert names == ["ada byron", "Ada Lovelace", "Alan Turing"]
    ids = [u["id"] for u in apply_list_query(users, ListQuery(2, "id", True))]
    assert ids == [4, 3]


def invalid(data, **kwargs) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        validate_user(data, **kwargs)
    assert caught.value.status == 422
    return caught.value


def test_validate_user_accepts_and_strips():
    assert validate_user({"name": " Ada ", "email": "ada@example.com"}) == {
        "name": "Ada", "email": "ada@example.com"}
    assert validate_user({"email": "a@b"}, partial=True) == {"email": "a@b"}
    assert validate_user({}, partial=True) == {}
    assert validate_user({"id": 3, "name": "A", "email": "a@b"}, path_id=3)["name"] == "A"


@pytest.mark.parametrize("data, field", [
    ({"email": "a@b"}, "name"),
    ({"name": "", "email": "a@b"}, "name"),
    ({"name": "   ", "email": "a@b"}, "name"),
    ({"name": "x" * 101, "email": "a@b"}, "name"),
    ({"name": "a\nb", "email": "a@b"}, "name"),
    ({"name": "\ud800", "email": "a@b"}, "name"),
    ({"name": "A", "email": "a@\udfff"}, "email"),
    ({"name": 5, "email": "a@b"}, "name"),
    ({"name": None, "email": "a@b"}, "name"),
    ({"name": "A"}, "email"),
    ({"name": "A", "email": "nobody"}, "email"),
    ({"name": "A", "email": "@b"}, "email"),
    ({"name": "A", "email": "a b@c"}, "email"),
    ({"name": "A", "email": ["a@b"]}, "email"),
    ({"name": "A", "email": "a@b", "age": 3}, "age"),
    ({"name": "A", "email": "a@b", "id": 9}, "id"),
])
def test_validate_user_names_the_bad_field(data, field):
    error = invalid(data)
    assert field in error.detail
    assert field in [e["field"] for e in error.extra["errors"]]


def test_validate_user_refuses_non_objects_and_wrong_ids():
    for data in ([], "text", 3, None, True):
        assert "JSON object" in invalid(data).detail
    assert "id" in invalid({"id": 4, "name": "A", "email": "a@b"}, path_id=3).detail
    assert "id" in invalid({"id": True, "name": "A"}, partial=True, path_id=1).detail
    error = invalid({"name": "", "email": "x", "role": "admin"})
    assert [e["field"] for e in error.extra["errors"]] == ["role", "name", "email"]


def test_user_etag_changes_with_version_and_content():
    first = user_etag(1, 1, "Ada", "a@b")
    assert first == user_etag(1, 1, "Ada", "a@b")
    assert first != user_etag(1, 2, "Ada", "a@b")
    assert first != user_etag(1, 1, "Ada L", "a@b")
    assert first.startswith("v1-") and '"' not in first
