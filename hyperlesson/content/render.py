"""Markdown to HTML for lesson prose: CommonMark with raw HTML off, tables, server-side
highlighting with Pygments, and image paths resolved next to the lesson file."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True, classprefix="tok-")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)

# The renderer calls these back; the parser sets them per file.
ImageResolver = Callable[[str], str]  # relative src -> public URL
FenceHook = Callable[[str, str, int], str | None]  # (info, content, line) -> html or None


def _highlight(code: str, lang: str, _attrs: str) -> str:
    lexer = _lexer(lang) if lang else None
    if lexer is None:
        return ""  # markdown-it escapes the code itself
    return highlight(code, lexer, _FORMATTER)


@cache
def _lexer(lang: str) -> Lexer | None:
    """One lexer per language: finding one by name searches every lexer Pygments has."""
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def make_markdown() -> MarkdownIt:
    """A CommonMark parser: raw HTML off (shown as text), tables on, code highlighted."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable("table")
    # With html off these rules only ever answer "no", on every line and at every "<".
    md.disable(["html_block", "html_inline"])
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
        # Focusable, so a keyboard can scroll a wide block on a narrow screen; a focusable
        # element needs a name, and a group (unlike a region) need not have a unique one.
        name = escape(_code_name(token.info), quote=True)
        return default_fence(tokens, idx, options, env).replace(
            "<pre>", f'<pre tabindex="0" role="group" aria-label="{name}">', 1)

    def table_open(_renderer, tokens, idx, options, env):
        # A scroll region needs a name, unique on the page: the table's header row, and
        # its number too when another table on the page already has that header row.
        # The list is shared by every render of the file: [count, names used so far...].
        counter = env.setdefault("table_counter", [0])
        counter[0] += 1
        header = _header_text(tokens, idx)
        name = f"Table: {header}" if header else f"Table {counter[0]}"
        if name in counter[1:]:
            name = f"Table {counter[0]}: {header}"
        counter.append(name)
        return (f'<div class="table-wrap" tabindex="0" role="region" '
                f'aria-label="{escape(name, quote=True)}">\n<table>\n')

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


def _code_name(info: str) -> str:
    """'Code: python' for a fenced block in Python; 'Code example' without a language."""
    lang = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    return f"Code: {lang}" if lang and lang != "text" else "Code example"


def _plain(inline) -> str:
    """An inline token's text without its Markdown: `code` and *emphasis* as plain words."""
    children = inline.children or []
    return "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()


def _header_text(tokens, idx: int) -> str:
    """The header cells of the table opening at idx, joined: 'Method, On the collection'."""
    cells = []
    for token in tokens[idx + 1:]:
        if token.type in ("thead_close", "tbody_open", "table_close"):
            break
        if token.type == "inline":
            cells.append(_plain(token))
    return ", ".join(c for c in cells if c)


def render_heading(md: MarkdownIt, text: str, env: dict,
                   links: bool = True) -> tuple[str, str]:
    """A heading's inline Markdown as HTML, and as plain words for where HTML does not
    belong (the contents list's links, a help request's label). `links=False` keeps a
    link's words only: for a heading that is a button's label."""
    inline = md.parseInline(text, env)[0]
    children = [child for child in inline.children or []
                if links or child.type not in ("link_open", "link_close")]
    return md.renderer.renderInline(children, md.options, env), _plain(inline)


def render_tokens(md: MarkdownIt, tokens: list, env: dict) -> str:
    return md.renderer.render(tokens, md.options, env)




