"""What must behave the same on SQLite and on PostgreSQL (`make test-postgres` runs this
folder on a PostgreSQL cluster too)."""

from __future__ import annotations

from sqlalchemy import select

from hyperlesson.extensions import db
from hyperlesson.records.models import FaqOpened, Learner
from hyperlesson.records.upsert import insert_once
from tests.web.helpers import HTMX, LESSON, post


def test_insert_once_tells_a_new_row_from_a_duplicate(app):
    with app.app_context():
        assert insert_once(Learner, token="t1", sandbox_key="k1") is True
        assert insert_once(Learner, token="t1", sandbox_key="k2") is False
        db.session.commit()
        assert db.session.scalars(select(Learner.sandbox_key)).all() == ["k1"]


def test_an_faq_opened_twice_is_counted_twice(app, client):
    post(client, f"{LESSON}/sections/what-is-http/reached", htmx=True)  # now a learner
    for _ in range(2):
        assert client.get(f"{LESSON}/faq/faq-1?open=1", headers=HTMX).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(FaqOpened.times)).all() == [2]
