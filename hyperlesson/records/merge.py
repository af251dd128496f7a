"""Logging in on a device where an anonymous learner already did something: their work
joins the account's, in the caller's transaction, and merging twice changes nothing.

- quiz attempts are all kept with their times (so "first try" stays the earliest);
  where both answered the same option (and neither cleared it with "Start over"), the
  earlier time is kept;
- sections reached and FAQ answers opened are united (FAQ counts add up);
- try-it runs move over, and the account keeps its newest ones;
- tasks done are united, and exchanges recorded for tasks move over (graded on the
  account's next page);
- the account's sandbox data is kept: the device's copy is dropped;
- the try-it panel's cookie jar of the device, if it has one, becomes the account's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from ..extensions import db
from ..sandbox.store import drop_datasets, is_seeded
from .cookie_jars import move_jar
from .models import FaqOpened, Learner, QuizAttempt, SectionReached, TryItRun
from .task_models import TaskDone, TaskExchange
from .tryit_runs import keep_newest


@dataclass(frozen=True)
class Merged:
    anything: bool  # the device's learner had done something
    sandbox_replaced: bool  # ... including sandbox data, now replaced by the account's


def merge_learner(source: Learner, into: Learner) -> Merged:
    """Move `source`'s work to `into`, then delete `source`."""
    if source.id == into.id:
        return Merged(False, False)
    moved = _merge_attempts(source, into)
    moved |= _unite(SectionReached, "section_id", source, into)
    moved |= _merge_faqs(source, into)
    moved |= _unite(TaskDone, "task_id", source, into)
    runs = db.session.execute(update(TryItRun).where(TryItRun.learner_id == source.id)
                              .values(learner_id=into.id)).rowcount
    runs += db.session.execute(update(TaskExchange).where(TaskExchange.learner_id == source.id)
                               .values(learner_id=into.id)).rowcount
    keep_newest(into)
    move_jar(source, into)
    sandbox = is_seeded(source.sandbox_key)
    if sandbox:
        drop_datasets([source.sandbox_key])
    db.session.delete(source)
    db.session.flush()
    return Merged(bool(moved or runs or sandbox), sandbox)


def _merge_attempts(source: Learner, into: Learner) -> bool:
    """Answers "Start over" cleared move as they are (the teacher's records; no rule
    makes them unique). A live answer the account also has live is one answer."""
    key = (QuizAttempt.lesson_key, QuizAttempt.question_id, QuizAttempt.choice)
    live = QuizAttempt.cleared_at.is_(None)
    theirs = {tuple(row[:3]): row[3] for row in db.session.execute(
        select(*key, QuizAttempt.created_at).filter_by(learner_id=into.id).where(live))}
    rows = db.session.scalars(select(QuizAttempt).filter_by(learner_id=source.id)).all()
    for attempt in rows:
        same = (attempt.lesson_key, attempt.question_id, attempt.choice)
        if attempt.cleared_at is not None or same not in theirs:
            attempt.learner_id = into.id
            continue
        if attempt.created_at < theirs[same]:  # the earlier answer is the one that counts
            db.session.execute(update(QuizAttempt).filter_by(
                learner_id=into.id, lesson_key=same[0], question_id=same[1], choice=same[2])
                .where(live).values(created_at=attempt.created_at))
        db.session.delete(attempt)
    return bool(rows)


def _unite(model, id_column: str, source: Learner, into: Learner) -> bool:
    """Move the rows `into` does not have yet; drop the rest."""
    column = getattr(model, id_column)
    have = set(db.session.execute(select(model.lesson_key, column)
                                  .filter_by(learner_id=into.id)).all())
    rows = db.session.scalars(select(model).filter_by(learner_id=source.id)).all()
    for row in rows:
        if (row.lesson_key, getattr(row, id_column)) in have:
            db.session.delete(row)
        else:
            row.learner_id = into.id
    return bool(rows)


def _merge_faqs(source: Learner, into: Learner) -> bool:
    for row in db.session.scalars(select(FaqOpened).filter_by(learner_id=source.id)):
        db.session.execute(update(FaqOpened).filter_by(
            learner_id=into.id, lesson_key=row.lesson_key, faq_id=row.faq_id)
            .values(times=FaqOpened.times + row.times))
    return _unite(FaqOpened, "faq_id", source, into)
