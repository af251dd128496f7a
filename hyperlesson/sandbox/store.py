"""Sandbox users in the database, one dataset per owner key, so every worker sees them.

Two tables. `sandbox_users` holds the rows. `sandbox_owners` records that an owner's
dataset exists: without it, a learner who deletes all three sample users would get
them back on the next request (an empty dataset would look like a new one). Its
primary key also makes the lazy seeding safe under a race: two first requests both
try to insert the owner, one commits, the other rolls back and reads what is there.

Every function here commits its own work, so a write is acknowledged only once stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hyperlesson.extensions import db
from hyperlesson.timestamps import UTCDateTime, utcnow

from .responses import ProblemError
from .userdata import MAX_USERS, SAMPLE_USERS, representation, user_etag


class SandboxOwner(db.Model):
    """One owner key (a learner's X-Sandbox-Key, or "public") whose data is seeded."""

    __tablename__ = "sandbox_owners"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Last write by this owner: lets a cleanup job drop datasets nobody uses.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                 index=True)


class SandboxUser(db.Model):
    """A user in one owner's copy of the sample data; (owner, user_id) is the REST id."""

    __tablename__ = "sandbox_users"
    __table_args__ = (UniqueConstraint("owner", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 on each change: ETag
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                 onupdate=utcnow)

    def as_dict(self) -> dict:
        return representation(self.user_id, self.name, self.email)

    @property
    def etag(self) -> str:
        return user_etag(self.user_id, self.version, self.name, self.email)


def _sample_rows(owner: str) -> list[SandboxUser]:
    return [SandboxUser(owner=owner, user_id=u["id"], name=u["name"], email=u["email"])
            for u in SAMPLE_USERS]


def _touch(owner: str) -> None:
    db.session.execute(SandboxOwner.__table__.update()
                       .where(SandboxOwner.key == owner).values(updated_at=utcnow()))


def is_seeded(owner: str) -> bool:
    return db.session.get(SandboxOwner, owner) is not None


def ensure_seeded(owner: str) -> None:
    """Give `owner` the sample users the first time it is seen; safe to call every time."""
    if is_seeded(owner):
        return
    try:
        db.session.add(SandboxOwner(key=owner))
        db.session.add_all(_sample_rows(owner))
        db.session.commit()
    except IntegrityError:  # another request seeded it first
        db.session.rollback()


def reset_users(owner: str) -> list[dict]:
    """Restore `owner`'s sample data (seeding it if new); returns the fresh list."""
    for _attempt in range(3):
        db.session.execute(delete(SandboxUser).where(SandboxUser.owner == owner))
        if db.session.get(SandboxOwner, owner) is None:
            db.session.add(SandboxOwner(key=owner))
        else:
            _touch(owner)
        db.session.add_all(_sample_rows(owner))
        try:
            db.session.commit()
            return [user.as_dict() for user in all_users(owner)]
        except IntegrityError:  # a concurrent write to this owner: start again
            db.session.rollback()
    raise ProblemError(409, "This sandbox data changed during the reset; try again.")


def all_users(owner: str) -> list[SandboxUser]:
    ensure_seeded(owner)
    query = select(SandboxUser).where(SandboxUser.owner == owner).order_by(SandboxUser.user_id)
    return list(db.session.scalars(query))


def get_user(owner: str, user_id: int) -> SandboxUser | None:
    ensure_seeded(owner)
    return db.session.scalar(select(SandboxUser).where(SandboxUser.owner == owner,
                                                       SandboxUser.user_id == user_id))


def _count(owner: str) -> int:
    return db.session.scalar(select(func.count()).select_from(SandboxUser)
                             .where(SandboxUser.owner == owner)) or 0


def _check_room(owner: str) -> None:
    if _count(owner) >= MAX_USERS:
        raise ProblemError(409, f"This sandbox holds at most {MAX_USERS} users. Delete some, "
                                "or POST /users/reset to restore the sample data.")


def create_user(owner: str, fields: dict[str, str]) -> SandboxUser:
    """Insert at the owner's highest id + 1; a concurrent insert of the same id retries."""
    ensure_seeded(owner)
    for _attempt in range(5):
        _check_room(owner)
        highest = db.session.scalar(select(func.max(SandboxUser.user_id))
                                    .where(SandboxUser.owner == owner)) or 0
        if highest >= 2**31 - 1:
            raise ProblemError(409, "No user id is left above the highest one; reset the "
                                    "sandbox data.")
        user = SandboxUser(owner=owner, user_id=highest + 1, **fields)
        db.session.add(user)
        _touch(owner)
        try:
            db.session.commit()
            return user
        except IntegrityError:
            db.session.rollback()
    raise ProblemError(409, "Too many users were created at once; try again.")


def put_user(owner: str, user_id: int, fields: dict[str, str]) -> tuple[SandboxUser, bool]:
    """Replace the user at `user_id`, or create it there. Returns (user, created)."""
    ensure_seeded(owner)
    for _attempt in range(3):
        user = get_user(owner, user_id)
        if user is not None:
            return update_user(user, fields), False
        _check_room(owner)
        user = SandboxUser(owner=owner, user_id=user_id, **fields)
        db.session.add(user)
        _touch(owner)
        try:
            db.session.commit()
            return user, True
        except IntegrityError:  # created meanwhile: replace that one instead
            db.session.rollback()
    raise ProblemError(409, "This user changed while it was being replaced; try again.")


def update_user(user: SandboxUser, fields: dict[str, str]) -> SandboxUser:
    """Apply `fields`; the version (and so the ETag) moves only when something changed."""
    changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(user, key, value)
        user.version = SandboxUser.version + 1  # in SQL: two writers never lose a bump
        _touch(user.owner)
        db.session.commit()
    return user


def delete_user(user: SandboxUser) -> None:
    _touch(user.owner)
    db.session.delete(user)
    db.session.commit()


def purge_idle(before: datetime) -> int:
    """Drop every dataset (but "public") not written since `before`; returns how many.

    Any client can invent owner keys, so a periodic cleanup (a CLI command or cron job)
    keeps the tables bounded.
    """
    stale = select(SandboxOwner.key).where(SandboxOwner.updated_at < before,
                                           SandboxOwner.key != "public")
    keys = list(db.session.scalars(stale))
    for start in range(0, len(keys), 500):  # bound the parameters of each DELETE
        drop_datasets(keys[start:start + 500])
    db.session.commit()
    return len(keys)


def drop_datasets(keys: list[str]) -> None:
    """Delete these owners' datasets (in the caller's transaction)."""
    db.session.execute(delete(SandboxUser).where(SandboxUser.owner.in_(keys)))
    db.session.execute(delete(SandboxOwner).where(SandboxOwner.key.in_(keys)))


def count_datasets() -> int:
    return db.session.scalar(select(func.count()).select_from(SandboxOwner)) or 0
