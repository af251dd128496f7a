"""Classes: a teacher's, joined with a code, limited to some tracks or not.

Every read that could reach another teacher's class goes through `teacher_class()`, and
every member lookup through `member()`: another id finds nothing, which views answer
with a 404. Functions work in the caller's transaction.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .classroom_models import ClassMember, Classroom, ClassTrack
from .models import Account, Learner
from .name_scripts import shows_something
from .upsert import insert_once

# No look-alikes: no 0/O, no 1/I/L. Eight of 31 letters: about 8.5e11 codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
NAME_LENGTH = 100
# Embeddings, overrides and isolates: they reorder whatever follows on the line.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ClassError(ValueError):
    """A rule a class's field breaks; `message` is for the form."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a learner typed, as stored: capitals, nothing but letters and digits. A code
    typed in full width (an East Asian keyboard), in another script's digits, or copied
    with an en dash, a no-break or a zero-width space is the same code."""
    letters = (str(unicodedata.decimal(char, "")) or char
               for char in unicodedata.normalize("NFKC", text).upper())
    return "".join(char for char in letters if char.isascii() and char.isalnum())[:40]


def shown_code(code: str | None) -> str:
    """"ABCD-EFGH": easier to read aloud and to copy from a projector."""
    return f"{code[:4]}-{code[4:]}" if code else ""


def check_name(text: str) -> str:
    """One line, shown to the class's learners too: nothing that shows nothing at all,
    and no control that turns the text after it around (U+202E)."""
    name = " ".join(text.split())
    if not 1 <= len(name) <= NAME_LENGTH:
        raise ClassError(f"A class name has 1 to {NAME_LENGTH} characters.")
    if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in name):
        raise ClassError("A class name cannot hold control characters, nor those that "
                         "turn the text around (U+202A to U+202E, U+2066 to U+2069).")
    if not shows_something(name):
        raise ClassError("A class name needs at least one letter, digit or sign that "
                         "shows.")
    return name


def create(teacher: Account, name: str) -> Classroom:
    classroom = Classroom(teacher_id=teacher.id, name=check_name(name))
    db.session.add(classroom)
    regenerate_code(classroom)
    return classroom


def regenerate_code(classroom: Classroom) -> str:
    """A new code (the old one stops working); a collision, however unlikely, retries."""
    for _attempt in range(5):
        code = new_code()
        try:
            with db.session.begin_nested():
                classroom.join_code = code
                db.session.flush()
            return code
        except IntegrityError:
            continue
    raise ClassError("No free join code was found; try again.")


def turn_off_code(classroom: Classroom) -> None:
    classroom.join_code = None


def teacher_classes(teacher: Account) -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).where(Classroom.teacher_id == teacher.id)
                                   .order_by(Classroom.archived, Classroom.name)))


def teacher_class(teacher: Account, class_id: int) -> Classroom | None:
    """The class if it is this teacher's; any other id finds nothing."""
    if not 0 < class_id < 2**63:
        return None
    return db.session.scalar(select(Classroom).where(Classroom.id == class_id,
                                                     Classroom.teacher_id == teacher.id))


def by_code(text: str) -> Classroom | None:
    """The open class with this join code (not archived, joining on)."""
    code = normalize_code(text)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Classroom).where(Classroom.join_code == code,
                                                     Classroom.archived.is_(False)))


def join(classroom: Classroom, learner: Learner) -> bool:
    """True when the learner joined now; False when already in the class."""
    return insert_once(ClassMember, classroom_id=classroom.id, learner_id=learner.id)


@dataclass(frozen=True)
class Member:
    learner: Learner
    account: Account

    @property
    def name(self) -> str:
        return self.account.username


def members(classroom: Classroom) -> list[Member]:
    rows = db.session.execute(
        select(Learner, Account).join(ClassMember, ClassMember.learner_id == Learner.id)
        .join(Account, Account.learner_id == Learner.id)
        .where(ClassMember.classroom_id == classroom.id).order_by(Account.username_key))
    return [Member(learner, account) for learner, account in rows]


def member(classroom: Classroom, learner_id: int) -> Member | None:
    """A learner of this class; any other id finds nothing."""
    if not 0 < learner_id < 2**63:
        return None
    row = db.session.execute(
        select(Learner, Account).join(ClassMember, ClassMember.learner_id == Learner.id)
        .join(Account, Account.learner_id == Learner.id)
        .where(ClassMember.classroom_id == classroom.id, Learner.id == learner_id)).first()
    return Member(*row) if row is not None else None


def remove(classroom: Classroom, learner: Learner) -> None:
    db.session.execute(delete(ClassMember).where(ClassMember.classroom_id == classroom.id,
                                                 ClassMember.learner_id == learner.id))


def learner_classes(learner: Learner) -> list[Classroom]:
    return list(db.session.scalars(
        select(Classroom).join(ClassMember, ClassMember.classroom_id == Classroom.id)
        .where(ClassMember.learner_id == learner.id, Classroom.archived.is_(False))
        .order_by(Classroom.name)))


def tracks(classroom: Classroom) -> list[str]:
    return list(db.session.scalars(select(ClassTrack.track_slug)
                                   .where(ClassTrack.classroom_id == classroom.id)))


def set_tracks(classroom: Classroom, slugs: list[str]) -> None:
    db.session.execute(delete(ClassTrack).where(ClassTrack.classroom_id == classroom.id))
    db.session.add_all(ClassTrack(classroom_id=classroom.id, track_slug=slug)
                       for slug in dict.fromkeys(slugs))


def learner_tracks(learner: Learner | None) -> set[str]:
    """The tracks the learner's classes are limited to: shown first on the home page."""
    if learner is None:
        return set()
    return set(db.session.scalars(
        select(ClassTrack.track_slug).join(ClassMember, ClassMember.classroom_id
                                           == ClassTrack.classroom_id)
        .join(Classroom, Classroom.id == ClassTrack.classroom_id)
        .where(ClassMember.learner_id == learner.id, Classroom.archived.is_(False))))
