"""/users: a small REST resource, one copy of the data per X-Sandbox-Key.

The views only translate HTTP: owner key, JSON body, preconditions, status codes and
headers. The rules live in userdata.py (pure) and the storage in store.py.
Writes honour If-Match (412 when stale), and PUT honours If-None-Match: * (create only),
so learners can practise optimistic concurrency as well as plain CRUD.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from hyperlesson.extensions import db
from hyperlesson.records.budgets import spend

from . import store
from .responses import ProblemError, parse_json
from .userdata import MAX_USER_ID, apply_list_query, list_query, owner_key, validate_user
from .wsgi import IN_PROCESS

bp = Blueprint("users", __name__)


def _owner() -> str:
    owner = owner_key(request.headers.get("X-Sandbox-Key"))
    if not request.environ.get(IN_PROCESS) and not store.is_seeded(owner):
        _spend_new_dataset()
    return owner


def _spend_new_dataset() -> None:
    """A key nobody used yet makes a dataset: counted against the client's network.
    The try-it panel (in-process) is exempt: its keys are its learners', who are counted."""
    config = current_app.config
    refusal = spend("datasets", request.remote_addr,
                    per_hour=config["NEW_SANDBOX_DATASETS_PER_NETWORK_PER_HOUR"],
                    per_day=config["NEW_SANDBOX_DATASETS_PER_NETWORK_PER_DAY"],
                    ceiling=config["MAX_SANDBOX_DATASETS"], existing=store.count_datasets)
    if refusal is not None:
        db.session.rollback()
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else {}
        raise ProblemError(refusal.status, refusal.message, headers=headers)


def _json_body() -> Any:
    if not request.is_json:
        raise ProblemError(415, "Send the user as JSON, with Content-Type: application/json "
                                f"(got {request.mimetype or 'no Content-Type'}).")
    return parse_json(request.get_data())


def _find(owner: str, user_id: int) -> store.SandboxUser:
    user = store.get_user(owner, user_id) if 1 <= user_id <= MAX_USER_ID else None
    if user is None:
        raise ProblemError(404, f"There is no user {user_id} in this sandbox.")
    return user


def _check_preconditions(user: store.SandboxUser | None) -> None:
    """If-Match must name the current ETag (or be * for an existing user);
    If-None-Match: * means "only if it does not exist yet"."""
    if request.if_match:
        current = user.etag if user is not None else None
        if current is None or not request.if_match.contains(current):
            raise ProblemError(412, "If-Match does not match this user's current ETag; "
                                    "GET it again to see what changed.")
    if request.if_none_match.star_tag and user is not None:
        raise ProblemError(412, "If-None-Match: * asks to create only, but this user exists.")


def _user_response(user: store.SandboxUser, status: int = 200) -> Response:
    response = jsonify(user.as_dict())
    response.status_code = status
    response.set_etag(user.etag)
    if status == 201:
        response.headers["Location"] = url_for("users.get_user", user_id=user.user_id)
    return response


@bp.get("/users")
def list_users():
    """The owner's users: ?limit=1..100, ?sort=id|name|email (leading '-' descends)."""
    query = list_query(request.args.get("limit"), request.args.get("sort"))
    users = [user.as_dict() for user in store.all_users(_owner())]
    return jsonify(apply_list_query(users, query))


@bp.post("/users")
def create_user():
    """201 with Location and the new user; ids go up from the highest one."""
    owner = _owner()
    fields = validate_user(_json_body())
    return _user_response(store.create_user(owner, fields), 201)


@bp.post("/users/reset")
def reset():
    """Restore the sample users; 200 with the fresh list."""
    return jsonify(store.reset_users(_owner()))


@bp.get("/users/<int:user_id>")
def get_user(user_id: int):
    """200 with a strong ETag; 304 when If-None-Match already names it."""
    user = _find(_owner(), user_id)
    if request.if_none_match.contains_weak(user.etag):
        response = Response(status=304)
        response.set_etag(user.etag)
        return response
    return _user_response(user)


@bp.put("/users/<int:user_id>")
def put_user(user_id: int):
    """Replace (200) or create at this id (201); name and email are both required."""
    owner = _owner()
    if not 1 <= user_id <= MAX_USER_ID:
        raise ProblemError(400, f"A user id is from 1 to {MAX_USER_ID}.")
    fields = validate_user(_json_body(), path_id=user_id)
    _check_preconditions(store.get_user(owner, user_id))
    user, created = store.put_user(owner, user_id, fields)
    return _user_response(user, 201 if created else 200)


@bp.patch("/users/<int:user_id>")
def patch_user(user_id: int):
    """Change the fields given; 200 with the whole user."""
    user = _find(_owner(), user_id)
    fields = validate_user(_json_body(), partial=True, path_id=user_id)
    _check_preconditions(user)
    return _user_response(store.update_user(user, fields))


@bp.delete("/users/<int:user_id>")
def delete_user(user_id: int):
    """204, no body."""
    user = _find(_owner(), user_id)
    _check_preconditions(user)
    store.delete_user(user)
    return Response(status=204)
