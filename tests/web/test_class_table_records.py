"""The class table against the learner's own page: the same percent and first-try
counts from the same records, however the records look."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hyperlesson.extensions import db
from hyperlesson.progress import compute
from hyperlesson.quiz import Attempt, quiz_state
from hyperlesson.records.classroom_models import Classroom
from hyperlesson.records.models import FaqOpened, QuizAttempt, SectionReached, TryItRun
from hyperlesson.records.task_models import TaskDone
from hyperlesson.web.dashboard import class_board, first_tries

from .test_dashboard import join, learner_id, new_class, signed_up, teacher_client


def test_the_table_counts_first_tries_as_the_learners_page_does(app):
    """first_tries() skips grading for speed; it must agree with quiz_state()."""
    lesson = app.extensions["catalog"].lesson("python-backend", "http-basics")
    rng = random.Random(7)
    for _ in range(200):
        picks = [(rng.choice([q.id for q in lesson.questions] + ["gone"]), rng.choice("abcdz"))
                 for _ in range(rng.randint(0, 12))]
        attempts = [Attempt(qid, choice, _is_right(lesson, qid, choice)) for qid, choice in picks]
        state = quiz_state(lesson, attempts)
        assert first_tries(lesson, [(a.question_id, a.choice, a.correct) for a in attempts]
                           ) == (state.first_try_correct, state.answered, state.started)


def _is_right(lesson, question_id: str, choice: str) -> bool:
    question = lesson.question(question_id)
    option = question.option(choice) if question else None
    return bool(option and option.correct)


def test_the_table_shows_what_quiz_state_and_compute_give_from_the_records(app):
    """The table reads counts and grouped rows, not every record in order; each cell must
    still be what the learner's own page computes from the records as stored: answers in
    (created_at, id) order, with options, questions and sections the lesson no longer has,
    a right answer stored as wrong (an edited lesson), equal times, a lesson with only an
    FAQ opened, and a learner whose only record is a try-it run."""
    teacher = teacher_client(app)
    url, code = new_class(teacher)
    names = ["ada", "bob", "cyd", "dee", "eve"]
    for name in names:
        join(signed_up(app, name), code)
    ids = {name: learner_id(app, name) for name in names}
    lessons = [lesson for track in app.extensions["catalog"].tracks for lesson in track.lessons]
    rng = random.Random(5)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    stored = {"attempts": [], "reached": [], "opened": [], "done": []}

    def add(kind, record):  # flushed one by one: ids follow this order
        db.session.add(record)
        db.session.flush()
        stored[kind].append(record)

    def answer_at(who, lesson, question_id, choice, correct, at):
        add("attempts", QuizAttempt(learner_id=ids[who], lesson_key=lesson.key,
                                    question_id=question_id, choice=choice, correct=correct,
                                    created_at=at))

    with app.app_context():
        for who in names[:3]:
            for lesson in rng.sample(lessons, 3):
                for section_id in rng.sample([s.id for s in lesson.sections] + ["old"],
                                             rng.randint(0, len(lesson.sections) + 1)):
                    add("reached", SectionReached(
                        learner_id=ids[who], lesson_key=lesson.key, section_id=section_id,
                        created_at=start + timedelta(seconds=rng.randint(0, 9000))))
                for question in [q for q in lesson.questions if rng.random() < 0.8]:
                    keys = [o.key for o in question.options] + ["z"]  # "z": no such option
                    for choice in rng.sample(keys, rng.randint(1, len(keys))):
                        option = question.option(choice)
                        correct = option.correct if option and rng.random() < 0.9 else (
                            rng.random() < 0.5)
                        answer_at(who, lesson, question.id, choice, correct,
                                  start + timedelta(seconds=rng.randint(0, 9000)))
                answer_at(who, lesson, "q99", "a", True, start)  # a question since removed
                for task_id in [t.id for t in lesson.tasks] + ["task-since-removed"]:
                    if rng.random() < 0.5:
                        add("done", TaskDone(learner_id=ids[who], lesson_key=lesson.key,
                                             task_id=task_id, created_at=start + timedelta(
                                                 seconds=rng.randint(0, 9000))))
        # Eve did all of HTTP basics, at one time: the lower id is the first try, so her
        # first answer to question 1 is the wrong one.
        http = next(lesson for lesson in lessons if lesson.slug == "http-basics")
        tie = start + timedelta(hours=5)
        for section in http.sections:
            add("reached", SectionReached(learner_id=ids["eve"], lesson_key=http.key,
                                          section_id=section.id, created_at=tie))
        q1 = http.questions[0]
        answer_at("eve", http, q1.id, next(o.key for o in q1.options if not o.correct),
                  False, tie)
        for question in http.questions:
            answer_at("eve", http, question.id, question.correct_key, True, tie)
        for task in http.tasks:
            add("done", TaskDone(learner_id=ids["eve"], lesson_key=http.key, task_id=task.id,
                                 created_at=tie))
        faq_only = next(lesson for lesson in lessons if lesson.faqs and lesson is not http)
        add("opened", FaqOpened(learner_id=ids["eve"], lesson_key=faq_only.key,
                                faq_id=faq_only.faqs[0].id, times=2, created_at=tie))
        # Dee only sent a request from the try-it panel.
        db.session.add(TryItRun(learner_id=ids["dee"], exchange_json="{}", summary="GET /",
                                status=200, created_at=tie + timedelta(hours=1)))
        db.session.commit()
        # What each learner's page computes, lesson by lesson, from the stored records.
        by_cell: dict[tuple[int, str], dict] = {}
        for kind, records in stored.items():
            for record in records:
                found = by_cell.setdefault((record.learner_id, record.lesson_key),
                                           {"attempts": [], "reached": [], "done": [],
                                            "times": []})
                found["times"].append(record.created_at)
                if kind == "attempts":
                    found["attempts"].append(record)
                elif kind == "reached":
                    found["reached"].append(record.section_id)
                elif kind == "done":
                    found["done"].append(record.task_id)
        expected = {}
        for key, found in by_cell.items():
            lesson = next(lesson for lesson in lessons if lesson.key == key[1])
            state = quiz_state(lesson, [
                Attempt(a.question_id, a.choice, a.correct)
                for a in sorted(found["attempts"], key=lambda a: (a.created_at, a.id))])
            expected[key] = (compute(lesson, found["reached"], state.answered,
                                     found["done"]).percent,
                             state.first_try_correct, state.started, max(found["times"]))

    with app.test_request_context():
        board = class_board(db.session.get(Classroom, int(url.rsplit("/", 1)[1])))
        shown = {(row.learner_id, column.lesson.key): (cell.percent, cell.first_try,
                                                       cell.answered, cell.last_active)
                 for row in board.rows
                 for column, cell in zip(board.columns, row.cells, strict=True)
                 if cell.started}
        assert shown == expected
        assert shown[ids["eve"], http.key] == (100, len(http.questions) - 1, True, tie)
        assert shown[ids["eve"], faq_only.key] == (0, 0, False, tie)
        last_active = {row.name: row.last_active for row in board.rows}
        assert last_active["eve"] == tie and last_active["dee"] == tie + timedelta(hours=1)
        dee = next(row for row in board.rows if row.name == "dee")
        assert not any(cell.started for cell in dee.cells)
        assert {column.lesson.key for column in board.columns} == {key for _, key in expected}
        assert all(column.started == sum(1 for learner, key in expected
                                         if key == column.lesson.key)
                   for column in board.columns)
