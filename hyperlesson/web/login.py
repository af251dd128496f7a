"""Flask-Login glue: loading the account of a session or remember-me cookie, where a
visitor who must log in is sent, and which `next` a login may return to."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import Flask, redirect, request, url_for
from sqlalchemy import bindparam, select

from ..extensions import db, login_manager
from ..records.models import Account
from .htmx import is_htmx

# Built once: every request of a logged-in learner loads their account (and, joined, its
# learner) with it.
_ACCOUNT_OF_SESSION = select(Account).where(Account.id == bindparam("id"),
                                            Account.session_version == bindparam("version"))

# Anything a browser might strip or fold into "//": controls, spaces, backslashes.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def local_path(value: str | None) -> str | None:
    """`value` when it is a path on this site ("/learn/..."), else None.

    Browsers drop tabs and newlines inside URLs and read "\\" as "/", so "/\\evil.com",
    "/\\t/evil.com" or "/%09/evil.com" (once decoded) would lead to another host."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return None
    decoded = unquote(value)
    if _UNSAFE.search(value) or _UNSAFE.search(decoded) or decoded.startswith("//"):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def _page_asked_for() -> str | None:
    """The page to come back to: for htmx, the page the request came from."""
    current = request.headers.get("HX-Current-URL") if is_htmx() else None
    if current:
        parts = urlsplit(current)
        return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    return local_path(request.full_path.rstrip("?"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_account(login_id: str) -> Account | None:
        """`login_id` is "<id>:<session_version>" (Account.get_id): a session or cookie
        made before a logout or a password change names an old version, and loads
        nothing."""
        account_id, _, version = login_id.partition(":")
        if not (account_id.isdigit() and version.isdigit()) or int(account_id) >= 2**63:
            return None
        return db.session.scalar(_ACCOUNT_OF_SESSION,
                                 {"id": int(account_id), "version": int(version)})

    @login_manager.unauthorized_handler
    def must_log_in():
        """A page asks the visitor to log in, then comes back. An htmx request never
        gets the login form swapped into a fragment: the whole page goes there."""
        login = url_for("auth.login", next=_page_asked_for())
        if is_htmx():
            response = app.response_class(status=204)
            response.headers["HX-Redirect"] = login
            return response
        return redirect(login, 303)
