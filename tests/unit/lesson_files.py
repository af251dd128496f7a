"""Build lesson files for parser tests: a valid one, and small edits that break it."""

from __future__ import annotations

VALID = """\
---
title: Sample lesson
order: 1
summary: A lesson used by the tests.
---

An introduction.

## First section

Some words in the first section.

```python
print("hello")
```

## Second part {#second}

| a | b |
|---|---|
| 1 | 2 |

```tryit
POST /sandbox/users
Content-Type: application/json

{"name": "Ada"}
```

# Quiz

## Which number is even?

- [ ] 3
  Three leaves a remainder of one when divided by two.
- [x] 4
  Four divides by two with nothing left over.

# FAQ

## Why numbers?

Because they are easy to check.
"""


def edit(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(needle: str, text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)
