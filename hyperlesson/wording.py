"""Counted nouns for anything shown to people: "1 lesson", "3 lessons", "0 questions"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`number` and the noun in the form that number takes in English."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
