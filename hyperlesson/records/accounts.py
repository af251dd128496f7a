"""Accounts: usernames, passwords, and the learner each one keeps.

No email: many classrooms have none. A username is NFKC-normalised and shown as typed;
it is unique without regard to case. Passwords are hashed with Werkzeug's default
(scrypt) and never logged. Every function works in the caller's transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete as delete_rows
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .classrooms import teacher_classes
from .models import Account, Learner, RateCounter, new_token
from .name_scripts import mixes_scripts, unsafe_character

ROLES = ("learner", "teacher")
USERNAME_LENGTH = (3, 40)
PASSWORD_LENGTH = (8, 256)
USERNAME_PUNCTUATION = "._-"


@cache
def dummy_hash() -> str:
    """Checked when a username is unknown, so "no such user" takes as long as "wrong
    password". Made at the first login, not at import: a hash takes as long as parsing
    ten lessons, and start-up should not wait for it."""
    return generate_password_hash("not anybody's password")


class AccountError(ValueError):
    """A rule an account's field breaks; `message` is for the form, `field` names it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def check_username(text: str) -> str:
    """The username as it will be stored and shown (NFKC), or AccountError."""
    name = unicodedata.normalize("NFKC", text.strip())
    low, high = USERNAME_LENGTH
    if not low <= len(name) <= high:
        raise AccountError(f"A username has {low} to {high} characters.", "username")
    if unsafe_character(name, USERNAME_PUNCTUATION) is not None:
        raise AccountError("A username uses letters, digits and . _ - only (no spaces, "
                           "no invisible characters, no accents stacked apart from a "
                           "letter).", "username")
    if mixes_scripts(name):
        raise AccountError("A username keeps to one alphabet: letters from two (a "
                           "Cyrillic а among Latin ones, say) could pass for another "
                           "person's name.", "username")
    return name


def check_password(password: str, username: str) -> str:
    low, high = PASSWORD_LENGTH
    if not low <= len(password) <= high:
        raise AccountError(f"A password has {low} to {high} characters.", "password")
    if username_key(password.strip()) == username_key(username):
        raise AccountError("The password must not be the username.", "password")
    return password


def find(username: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.username_key
                                                   == username_key(username.strip())))


def hash_password(username: str, password: str) -> str:
    """The password checked against the rules, then hashed. Call it before the request
    writes anything: hashing takes a core for a tenth of a second, and SQLite lets no
    one else write from a transaction's first write until its commit."""
    check_password(password, check_username(username))
    return generate_password_hash(typed_alike(password))


def create(username: str, password_hash: str, learner: Learner,
           role: str = "learner") -> Account:
    """A new account for `learner` (or AccountError: a rule broken, the name taken);
    `password_hash` from hash_password()."""
    name = check_username(username)
    if role not in ROLES:
        raise AccountError(f"The role is one of {', '.join(ROLES)}.", "role")
    if find(name) is not None:
        raise AccountError("That username is taken; choose another.", "username")
    account = Account(username=name, username_key=username_key(name), role=role,
                      password_hash=password_hash, learner=learner)
    try:
        with db.session.begin_nested():  # two sign-ups with one name at the same moment
            db.session.add(account)
    except IntegrityError:
        raise AccountError("That username is taken; choose another.", "username") from None
    return account


def new_learner() -> Learner:
    """A learner for an account made without a browser (the command line)."""
    learner = Learner(token=new_token(), sandbox_key=new_token())
    db.session.add(learner)
    return learner


def verify(username: str, password: str) -> Account | None:
    """The account when the password is right; None otherwise, in about the same time
    whether or not the username exists."""
    dummy = dummy_hash()  # before the lookup: a process's first login, known or not, makes it
    account = find(username)
    if account is None:
        _matches(dummy, password)
        return None
    return account if _matches(account.password_hash, password) else None


def typed_alike(password: str) -> str:
    """The password as hashed: NFKC, so "é" typed as one character or as "e" and an
    accent (another keyboard, a copied text), or in full width, is the same password
    (NIST SP 800-63B asks verifiers to normalise)."""
    return unicodedata.normalize("NFKC", password)


def _matches(password_hash: str, password: str) -> bool:
    normal = typed_alike(password)
    # A hash made before passwords were normalised was of the password as typed.
    return check_password_hash(password_hash, normal) or (
        normal != password and check_password_hash(password_hash, password))


def failures_key(username: str) -> str:
    """The rate counter of the account's wrong passwords (views/auth.password_limits):
    of the name as find() reads it, stripped, so " Ada" guesses at Ada's password too."""
    return f"login-fail-account:{username_key(username.strip())[:60]}"


def set_password(account: Account, password: str) -> None:
    """Change the password and end every session and remember-me cookie made before.
    The account's wrong passwords are forgotten: they were guesses at the old one (and
    "a teacher can set a new password" is what a locked-out learner is told)."""
    check_password(password, account.username)
    account.password_hash = generate_password_hash(typed_alike(password))
    end_sessions(account)
    db.session.execute(delete_rows(RateCounter).where(RateCounter.key
                                                      == failures_key(account.username)))


def set_role(account: Account, role: str) -> None:
    """Make the account a teacher or a learner; a teacher with classes stays one, or the
    classes would have nobody to run them."""
    if role not in ROLES:
        raise AccountError(f"The role is one of {', '.join(ROLES)}.", "role")
    if role != "teacher" and account.is_teacher:
        taught = len(teacher_classes(account))
        if taught:
            raise AccountError(f"{account.username} teaches {taught} class"
                               f"{'es' if taught > 1 else ''}: delete the account, or keep "
                               "it a teacher's.", "role")
    account.role = role


def end_sessions(account: Account) -> None:
    account.session_version += 1


@dataclass(frozen=True)
class Deleted:
    sandbox_key: str


def delete(account: Account) -> Deleted:
    """Delete the account and its learner with everything they did (ON DELETE CASCADE).
    The caller drops the sandbox dataset named by the returned key."""
    key = account.learner.sandbox_key
    db.session.delete(account.learner)
    db.session.delete(account)
    return Deleted(sandbox_key=key)
