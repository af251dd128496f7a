"""What the try-it panel shows: its form values, the result, the snippets, the history.

Shared by the /tryit page, lesson pages with presets, and the send view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import time
from typing import NoReturn

from flask import abort, current_app, request
from werkzeug.datastructures import MultiDict

from ..content import Section
from ..records.cookie_jars import jar_from_json, load_jar
from ..records.lesson_records import PageState
from ..records.tryit_runs import Run, RunSummary, find_run, recent_runs
from ..tryit import export
from ..tryit.client import BODY_HEADERS
from ..tryit.cookies import CookieJar, with_cookie
from ..tryit.request import METHODS, TryRequest
from ..tryit.result import Exchange
from ..tryit.urls import parse_origin, sandbox_target
from .catalog import current_catalog
from .htmx import is_htmx
from .identity import current_learner

COOKIES_CLEARED = "The panel's cookies are cleared: it sends none until the sandbox sets more."
BLANK_HEADER_ROWS = 2  # rows to type into without JavaScript; app.js can add more


@dataclass
class PanelForm:
    method: str = "GET"
    path: str = "/sandbox/users/1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    follow: bool = False
    lesson: str = ""  # "track/slug" when the panel sits in a lesson
    section: str = ""  # the section whose preset filled the panel: the way back

    @classmethod
    def from_values(cls, values: MultiDict, lesson: str = "") -> PanelForm:
        names, contents = values.getlist("header_name"), values.getlist("header_value")
        headers = [(n, v) for n, v in zip(names, contents, strict=False) if n.strip() or v.strip()]
        # Browsers send a textarea's newlines as CRLF; the learner typed LF.
        body = values.get("body", "").replace("\r\n", "\n")
        return cls(method=values.get("method", "GET")[:16], path=values.get("path", "")[:4096],
                   headers=headers[:100], body=body,
                   follow=values.get("follow") == "1", lesson=values.get("lesson", lesson),
                   section=values.get("section", "")[:100])

    @classmethod
    def from_run(cls, run: Run, lesson: str = "") -> PanelForm:
        return cls(run.request.method, run.request.path, list(run.request.headers),
                   run.request.body, run.follow, lesson)

    @classmethod
    def for_lesson(cls, lesson_key: str) -> PanelForm:
        """A lesson's panel starts with the lesson's first preset, where there is one."""
        lesson = current_catalog().lesson_by_key(lesson_key) if lesson_key else None
        first = next((preset for section in (lesson.sections if lesson else ())
                      for preset in section.presets), None)
        if first is None:
            return cls(lesson=lesson_key)
        return cls(method=first.method, path=first.path, headers=list(first.headers),
                   body=first.body, lesson=lesson_key)

    @property
    def header_rows(self) -> list[tuple[str, str]]:
        return self.headers + [("", "")] * BLANK_HEADER_ROWS

    @property
    def selected_method(self) -> str:
        """The <option> to select: a preset link may spell the method in lower case."""
        return self.method.upper()


# A host name, IPv4 or [IPv6] address, and an optional port: what a browser sends.
_HOST = re.compile(r"^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]+\])"
                   r"(?::(\d{1,5}))?$")


def base_url() -> str:
    """The sandbox's public origin: its own (SANDBOX_ORIGIN), or this server's as the
    learner reached it. The Host header is the client's to choose, so one that is not a
    plain host and port is refused."""
    if current_app.config["SANDBOX_ORIGIN"]:
        return current_app.config["SANDBOX_ORIGIN"]
    origin = f"{request.scheme}://{request.host}"
    match = _HOST.match(request.host)
    if match is None or (match.group(1) and not 0 < int(match.group(1)) < 65536):
        _unusable_host()
    try:
        parse_origin(origin)  # "[:::]" fits the pattern but is no IPv6 address
    except ValueError:
        _unusable_host()
    return origin


def _unusable_host() -> NoReturn:
    abort(400, "This page was reached under an address the try-it panel cannot use. "
               "Open it through the server's name or IP address.")


def sandbox_url() -> str:
    """Where the /tryit page tells learners to reach the sandbox with curl: on its own
    origin when it has one. Unlike base_url(), an odd Host is shown, not refused: this
    is only text on a page."""
    origin = current_app.config["SANDBOX_ORIGIN"] or request.host_url.rstrip("/")
    return f"{origin}/sandbox/"


def panel_context(form: PanelForm, exchange: Exchange | None = None, error: str | None = None,
                  notice: str | None = None, sent: TryRequest | None = None,
                  known: PageState | None = None, jar: CookieJar | None = None,
                  history: list[RunSummary] | None = None) -> dict:
    """`known`: the learner's runs and cookie jar, when the caller read them already;
    `jar` and `history`: the cookie jar and the runs as a send just left them."""
    learner = current_learner()
    snippets = None
    if exchange is not None and learner is not None:
        args = {"base_url": base_url(), "sandbox_key": learner.sandbox_key,
                "follow_redirects": form.follow}
        request_sent = with_cookie(sent or exchange.request, exchange.cookies)
        snippets = [("curl", export.as_curl(request_sent, **args)),
                    ("Python requests", export.as_requests(request_sent, **args)),
                    ("Python httpx", export.as_httpx(request_sent, **args))]
    return {"panel": form, "exchange": exchange, "back_to": _back_to(form),
            "cookies": jar_cookies(learner, known, jar),
            "panel_error": error, "panel_notice": notice, "snippets": snippets,
            "history": history if history is not None else (
                recent_runs(learner) if known is None else known.runs),
            "methods": METHODS,
            # Focus moves to a result that htmx swapped in, not on a page load.
            "focus_result": exchange is not None and is_htmx(),
            "resend": _resend(exchange)}


@dataclass(frozen=True)
class CookieLine:
    """A cookie as "Cookies the panel will send" lists it."""

    name: str
    value: str
    path: str
    until: str  # "until you clear them", or "until 14:05 UTC"


def jar_cookies(learner, known: PageState | None = None,
                jar: CookieJar | None = None) -> list[CookieLine]:
    if jar is None:
        jar = load_jar(learner) if known is None else jar_from_json(known.jar_json)
    now = time()
    return [CookieLine(cookie.name, cookie.value, cookie.path,
                       "until you clear them" if cookie.expires is None else
                       f"until {datetime.fromtimestamp(cookie.expires, UTC):%H:%M:%S} UTC")
            for cookie in jar.live(now)]


def _resend(exchange: Exchange | None) -> tuple[str, list[tuple[str, str]]] | None:
    """(path, headers) for "Send again with If-None-Match": a GET of the URL the ETag
    belongs to, with the request's headers but the ETag in place of any If-None-Match
    and none that describe a body. None when there is nothing to revalidate (no ETag)
    or the answer already was a 304."""
    if exchange is None or not exchange.response.etag or exchange.response.status == 304:
        return None
    kept = [(n, v) for n, v in exchange.request.headers
            if n.lower() != "if-none-match" and n.lower() not in BODY_HEADERS]
    return _etag_owner(exchange), [*kept, ("If-None-Match", exchange.response.etag)]


def _etag_owner(exchange: Exchange) -> str:
    """Where the shown response's ETag belongs: the URL the last redirect led to when
    the panel followed some, else the request's own; and for a 201, the new resource
    at its Location (not the collection that was posted to)."""
    origin = parse_origin(base_url())
    path = exchange.request.path
    if exchange.hops:
        last = exchange.hops[-1]
        path = sandbox_target(last.url, last.location or "", origin) or path
    if exchange.response.status == 201 and exchange.response.location:
        path = sandbox_target(f"{origin}{path}", exchange.response.location, origin) or path
    return path


def _back_to(form: PanelForm) -> Section | None:
    """The lesson section the learner came from, to offer a link back to it."""
    lesson = current_catalog().lesson_by_key(form.lesson) if form.lesson else None
    return lesson.section(form.section) if lesson and form.section else None


def panel_from_args(args: MultiDict, lesson: str = "", known: PageState | None = None) -> dict:
    """The panel for a page: a stored run (`?run=`), values from a preset link, or blank."""
    learner = current_learner()
    notice = "Your sandbox data is back to the sample users." if args.get("reset") else None
    notice = COOKIES_CLEARED if args.get("cookies") == "cleared" else notice
    run_id = args.get("run", type=int)
    if run_id is not None:
        run = find_run(learner, run_id)
        if run is not None:
            form = PanelForm.from_run(run, lesson)
            form.section = args.get("section", "")[:100]
            return panel_context(form, run.exchange, notice=notice, known=known)
    if args.get("path"):
        return panel_context(PanelForm.from_values(args, lesson), notice=notice,
                             known=known)
    return panel_context(PanelForm.for_lesson(lesson), notice=notice, known=known)
