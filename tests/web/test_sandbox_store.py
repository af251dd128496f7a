"""The sandbox store against a real database: lazy seeding under a race, reset, purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hyperlesson.extensions import db
from hyperlesson.sandbox import store
from hyperlesson.sandbox.store import SandboxOwner, SandboxUser

from .test_sandbox_support import make_sandbox


@pytest.fixture
def ctx(tmp_path):
    app = make_sandbox(tmp_path)
    with app.app_context():
        yield app


def count(owner: str) -> int:
    return db.session.scalar(select(func.count()).select_from(SandboxUser)
                             .where(SandboxUser.owner == owner))


def test_seeding_is_idempotent(ctx):
    store.ensure_seeded("k")
    store.ensure_seeded("k")
    assert count("k") == 3
    assert [u.user_id for u in store.all_users("k")] == [1, 2, 3]


def test_a_seed_that_loses_the_race_rolls_back_quietly(ctx, monkeypatch):
    store.ensure_seeded("k")  # the other request got there first
    db.session.remove()  # ours is a fresh session, as in another worker
    real_get, real_rollback = db.session.get, db.session.rollback
    rollbacks = []
    monkeypatch.setattr(db.session, "get", lambda *a, **kw: None, raising=False)
    monkeypatch.setattr(db.session, "rollback", lambda: rollbacks.append(real_rollback()),
                        raising=False)
    store.ensure_seeded("k")  # sees no owner, inserts, hits the unique constraint
    monkeypatch.setattr(db.session, "get", real_get, raising=False)
    assert len(rollbacks) == 1
    assert count("k") == 3
    assert store.get_user("k", 1).name == "Ada Lovelace"


def test_reset_users_is_a_plain_function(ctx):
    user = store.get_user("k", 1)
    store.update_user(user, {"name": "Changed"})
    store.create_user("k", {"name": "New", "email": "n@x"})
    fresh = store.reset_users("k")
    assert [u["name"] for u in fresh] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert store.reset_users("never-seen")[0]["id"] == 1


def test_versions_count_changes(ctx):
    user = store.get_user("k", 2)
    assert user.version == 1
    store.update_user(user, {"name": "Alan M. Turing"})
    store.update_user(user, {"name": "Alan M. Turing"})  # no change, no bump
    assert store.get_user("k", 2).version == 2


def test_purge_idle_drops_old_datasets_but_public(ctx):
    for owner in ("old", "recent", "public"):
        store.ensure_seeded(owner)
    long_ago = datetime.now(UTC) - timedelta(days=30)
    db.session.execute(SandboxOwner.__table__.update()
                       .where(SandboxOwner.key.in_(["old", "public"]))
                       .values(updated_at=long_ago))
    db.session.commit()
    assert store.purge_idle(datetime.now(UTC) - timedelta(days=7)) == 1
    assert count("old") == 0 and count("recent") == 3 and count("public") == 3
    assert db.session.get(SandboxOwner, "old") is None


def test_model_shape_for_the_migration(ctx):
    table = SandboxUser.__table__
    assert table.name == "sandbox_users"
    assert {c.name for c in table.columns} >= {"owner", "user_id", "name", "email", "version",
                                               "created_at", "updated_at"}
    assert any(c.name == "uq_sandbox_users_owner" for c in table.constraints)
    assert table.c.owner.index and table.c.owner.type.length == 64
