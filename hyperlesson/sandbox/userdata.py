"""Pure rules of the /users resource: owner keys, list parameters, body validation, ETags.

Kept apart from the store and the views so each rule is tested without an app, and so
the messages a learner reads (which field, what is wrong) live in one place.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .responses import ProblemError

PUBLIC_OWNER = "public"
OWNER_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_USERS = 100
MAX_USER_ID = 2**31 - 1  # fits an INTEGER column on every database
MAX_NAME = 100
MAX_EMAIL = 254
DEFAULT_LIMIT = 100
SORT_FIELDS = ("id", "name", "email")
USER_FIELDS = ("name", "email")

SAMPLE_USERS: tuple[dict[str, Any], ...] = (
    {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"},
    {"id": 2, "name": "Alan Turing", "email": "alan@example.com"},
    {"id": 3, "name": "Grace Hopper", "email": "grace@example.com"},
)


def owner_key(header: str | None) -> str:
    """The dataset a request works on: its X-Sandbox-Key, or the shared "public" one."""
    if header is None:
        return PUBLIC_OWNER
    if not OWNER_KEY.fullmatch(header):
        raise ProblemError(400, "X-Sandbox-Key must be 1 to 64 letters, digits, '_' or '-'.")
    return header


@dataclass(frozen=True)
class ListQuery:
    limit: int = DEFAULT_LIMIT
    sort: str = "id"
    descending: bool = False


def list_query(limit: str | None, sort: str | None) -> ListQuery:
    """?limit=1..100 and ?sort=id|name|email, a leading '-' for descending."""
    count = DEFAULT_LIMIT
    if limit is not None:
        if not re.fullmatch(r"[0-9]{1,4}", limit.strip()) or not 1 <= int(limit) <= 100:
            raise ProblemError(400, f"limit must be a whole number from 1 to 100, "
                                    f"not {limit[:40]!r}.")
        count = int(limit)
    field, descending = ("id" if sort is None else sort), False
    if field.startswith("-"):
        field, descending = field[1:], True
    if field not in SORT_FIELDS:
        raise ProblemError(400, "sort must be one of id, name, email, optionally with a "
                                f"leading '-' for descending; got {(sort or '')[:40]!r}.")
    return ListQuery(count, field, descending)


def apply_list_query(users: Iterable[Mapping[str, Any]], query: ListQuery) -> list[dict]:
    """Sort and cut in Python: at most 100 rows, and the same order on every database
    (SQLite and PostgreSQL collate text differently)."""
    def key(user: Mapping[str, Any]):
        value = user[query.sort]
        return (value.casefold(), value, user["id"]) if isinstance(value, str) else (value,)

    ordered = sorted(users, key=key, reverse=query.descending)
    return [dict(user) for user in ordered[:query.limit]]


def _field_error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def validate_user(data: Any, *, partial: bool = False,
                  path_id: int | None = None) -> dict[str, str]:
    """The name/email to store, or a 422 problem whose detail names each bad field.

    `partial` is PATCH: fields may be missing. An "id" member is tolerated when it equals
    the id in the path (so a GET body can be PUT back) and refused otherwise.
    """
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"JSON {type(data).__name__}"
        raise ProblemError(422, f"The body must be a JSON object with name and email, "
                                f"not {kind}.",
                           errors=[_field_error("", "expected a JSON object")])
    errors: list[dict[str, str]] = []
    for field in data:
        if field in USER_FIELDS:
            continue
        if field == "id":
            if path_id is None:
                errors.append(_field_error("id", "the server assigns ids; leave id out"))
            elif data["id"] != path_id or isinstance(data["id"], bool):
                errors.append(_field_error("id", f"must equal the id in the path ({path_id})"))
        else:
            errors.append(_field_error(str(field), "unknown field; a user has name and email"))
    clean: dict[str, str] = {}
    for field in USER_FIELDS:
        if field not in data:
            if not partial:
                errors.append(_field_error(field, "is required"))
            continue
        value = data[field]
        if not isinstance(value, str):
            errors.append(_field_error(field, "must be a string"))
            continue
        value = value.strip()
        message = (_check_name(value) if field == "name" else _check_email(value))
        if message:
            errors.append(_field_error(field, message))
        else:
            clean[field] = value
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"]
                           for e in errors)
        raise ProblemError(422, f"Invalid user: {detail}.", errors=errors)
    return clean


def _unstorable(text: str) -> bool:
    """Control characters, or lone surrogates (valid JSON escapes, not valid UTF-8)."""
    return any(ord(ch) < 0x20 or ord(ch) == 0x7f or 0xD800 <= ord(ch) <= 0xDFFF
               for ch in text)


def _check_name(name: str) -> str | None:
    if not name:
        return "must not be empty"
    if len(name) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters (got {len(name)})"
    if _unstorable(name):
        return "must not contain control characters or lone surrogates"
    return None


def _check_email(email: str) -> str | None:
    local, at, domain = email.partition("@")
    if not at or not local or not domain:
        return "must look like name@example.com"
    if len(email) > MAX_EMAIL or _unstorable(email) or any(ch.isspace() for ch in email):
        return f"must be at most {MAX_EMAIL} characters without spaces or control characters"
    return None


def representation(user_id: int, name: str, email: str) -> dict[str, Any]:
    return {"id": user_id, "name": name, "email": email}


def user_etag(user_id: int, version: int, name: str, email: str) -> str:
    """A strong ETag value (unquoted): the stored version plus a digest of the body.

    The digest keeps a user deleted and re-created at the same id (version 1 again)
    from matching an ETag a client cached for the old one.
    """
    body = json.dumps(representation(user_id, name, email), sort_keys=True)
    return f"v{version}-{hashlib.sha256(body.encode()).hexdigest()[:12]}"
