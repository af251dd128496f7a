"""The `sources:` front-matter key: the documents a lesson rests on, each a title and a
link, listed at the end of the lesson so a learner can read further and check it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .model import Source

MAX_TITLE = 200
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$")


def read_sources(value: object) -> tuple[tuple[Source, ...], list[str]]:
    """The sources, and a message per mistake ("source 2: ...")."""
    if value is None:
        return (), []
    if not isinstance(value, list):
        return (), ["sources must be a list of '- title: ...' and 'url: https://...' pairs"]
    sources, mistakes = [], []
    for number, item in enumerate(value, start=1):
        message = _mistake(item)
        if message:
            mistakes.append(f"source {number}: {message}")
        else:
            sources.append(Source(item["title"].strip(), item["url"].strip()))
    return tuple(sources), mistakes


def _mistake(item: object) -> str | None:
    if not isinstance(item, dict):
        return "write it as 'title: ...' and 'url: https://...'"
    unknown = sorted(str(key) for key in item if key not in ("title", "url"))
    if unknown:
        return f"unknown key '{unknown[0]}' (allowed: title, url)"
    title, url = item.get("title"), item.get("url")
    if not isinstance(title, str) or not title.strip():
        return "missing title"
    if len(title) > MAX_TITLE:
        return f"the title is longer than {MAX_TITLE} characters"
    if not isinstance(url, str) or not url.strip():
        return "missing url"
    return _url_mistake(url.strip())


def _url_mistake(url: str) -> str | None:
    """Only web addresses: a javascript: or data: link must never reach the page."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return f"url must be a web address starting with https:// (got '{url[:80]}')"
    if any(c.isspace() or ord(c) < 32 or c in "<>\"" for c in url) or not _HOST.match(
            parts.netloc):
        return f"url '{url[:80]}' has characters a web address cannot have"
    return None
