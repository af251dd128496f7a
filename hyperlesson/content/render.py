"""Markdown to HTML for lesson prose: CommonMark with raw HTML off, tables, server-side
highlighting with Pygments, and image paths resolved next to the lesson file."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True, classprefix="tok-")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)

# The renderer calls these back; the parser sets them per file.
ImageResolver = Callable[[str], str]  # relative src -> public URL
FenceHook = Callable[[str, str, int], str | None]  # (info, content, line) -> html or None


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""  # markdown-it escapes the code itself
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, _FORMATTER)


def make_markdown() -> MarkdownIt:
    """A CommonMark parser: raw HTML off (shown as text), tables on, code highlighted."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable("table")
    default_fence = md.renderer.rules["fence"]
    default_image = md.renderer.rules["image"]
    default_link_open = md.renderer.rules.get("link_open")

    def fence(_renderer, tokens, idx, options, env):
        token = tokens[idx]
        hook: FenceHook | None = env.get("fence_hook")
        if hook is not None:
            line = env.get("line_offset", 0) + (token.map[0] + 1 if token.map else 0)
            html = hook(token.info.strip(), token.content, line)
            if html is not None:
                return html
        # Focusable, so a keyboard can scroll a wide block on a narrow screen.
        return default_fence(tokens, idx, options, env).replace("<pre>", '<pre tabindex="0">', 1)

    def table_open(_renderer, tokens, idx, options, env):
        # A scroll region needs a name, unique on the page: number the tables.
        counter = env.setdefault("table_counter", [0])
        counter[0] += 1
        return (f'<div class="table-wrap" tabindex="0" role="region" '
                f'aria-label="Table {counter[0]}">\n<table>\n')

    def table_close(_renderer, tokens, idx, options, env):
        return "</table>\n</div>\n"

    def image(_renderer, tokens, idx, options, env):
        token = tokens[idx]
        src = token.attrGet("src") or ""
        resolve: ImageResolver | None = env.get("resolve_image")
        if resolve is not None and src and not _EXTERNAL.match(src):
            token.attrSet("src", resolve(src))
        token.attrSet("loading", "lazy")
        return default_image(tokens, idx, options, env)

    def link_open(_renderer, tokens, idx, options, env):
        token = tokens[idx]
        if _EXTERNAL.match(token.attrGet("href") or ""):
            token.attrSet("rel", "noopener noreferrer")
        if default_link_open is not None:
            return default_link_open(tokens, idx, options, env)
        return md.renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("fence", fence)
    md.add_render_rule("image", image)
    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    md.add_render_rule("link_open", link_open)
    return md


def render_tokens(md: MarkdownIt, tokens: list, env: dict) -> str:
    return md.renderer.render(tokens, md.options, env)




