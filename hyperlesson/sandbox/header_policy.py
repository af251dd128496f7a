"""Which response headers a learner may ask the sandbox for (pure; no Flask here).

The sandbox answers on the lesson server's own origin (or on its host, at another
port: cookies ignore ports), so a header it sends acts on the whole site, not only on
the learner's experiment. /response-headers and /cookies/set therefore keep what a
learner chooses inside the sandbox:

- Set-Cookie: never the app's own cookie names, never Domain, a Path only under the
  sandbox (without one the browser scopes it to the sandbox by itself);
- Location and Refresh: only to sandbox paths, never elsewhere (no open redirect);
- no header that the browser applies to the whole origin (Clear-Site-Data, HSTS, NEL...);
- no script or stylesheet Content-Type: with `nosniff`, a browser then refuses the
  response as a script or a stylesheet, so no page of the site can be made to load one.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .params import TOKEN, check_header, redirect_target
from .responses import ProblemError

# Headers a browser applies to the whole origin (or keeps for it), not to one response.
ORIGIN_WIDE = frozenset({
    "accept-ch", "critical-ch", "alt-svc", "clear-site-data", "nel", "origin-trial",
    "report-to", "reporting-endpoints", "service-worker-allowed", "set-login",
    "speculation-rules", "strict-transport-security",
})
# The sandbox sets these on every response to contain it; a learner's value would be
# overwritten, so asking for one is refused rather than silently ignored.
CONTAINMENT_HEADERS = frozenset({"content-security-policy", "x-content-type-options"})
# A Content-Type that a page could load as a script or a stylesheet (WHATWG MIME Sniffing:
# the JavaScript MIME type essences, CSS and WebAssembly).
ACTIVE_TYPES = frozenset({
    "application/ecmascript", "application/javascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript",
    "text/x-javascript", "text/css", "application/wasm",
})


def check_chosen_header(name: str, value: str, *, prefix: str, host: str,
                        app_cookies: Collection[str]) -> None:
    """Refuse (ProblemError 400) a header a learner asked for that could act outside the
    sandbox. `prefix` is the sandbox's mount path with a trailing "/"."""
    check_header(name, value)
    lowered = name.lower()
    if lowered in ORIGIN_WIDE:
        raise ProblemError(400, f"The sandbox does not send {name}: a browser applies it to "
                                "the whole lesson server, not just to this response.")
    if lowered in CONTAINMENT_HEADERS:
        raise ProblemError(400, f"The sandbox sets {name} itself, on every response, to keep "
                                "what it sends from acting on the lesson server.")
    if lowered == "content-type":
        check_content_type(value)
    elif lowered == "set-cookie":
        check_set_cookie(value, prefix=prefix, app_cookies=app_cookies)
    elif lowered == "location":
        redirect_target(value, host=host, prefix=prefix)
    elif lowered == "refresh":
        target = refresh_url(value)
        if target is not None:
            redirect_target(target, host=host, prefix=prefix)


def check_content_type(value: str) -> None:
    essence = value.split(";", 1)[0].strip().lower()
    if essence in ACTIVE_TYPES:
        raise ProblemError(400, f"The sandbox does not serve {essence}: a page of the lesson "
                                "server could load it as a script or a stylesheet. Any other "
                                "type works, text/plain included.")


def check_cookie_name(name: str, app_cookies: Collection[str]) -> None:
    """A cookie name the sandbox may set: a token, and none of the lesson server's own."""
    if not TOKEN.fullmatch(name):
        raise ProblemError(400, f"{name[:40]!r} is not a valid cookie name.")
    if name.lower() in {cookie.lower() for cookie in app_cookies}:
        raise ProblemError(400, f"{name} is the name of one of the lesson server's own "
                                "cookies; choose another name for a sandbox cookie.")
    if name.lower().startswith(("__host-", "__secure-")):
        raise ProblemError(400, f"{name}: a __Host- or __Secure- cookie must be set over "
                                "HTTPS for the whole site, which the sandbox never does.")


def check_set_cookie(value: str, *, prefix: str, app_cookies: Collection[str]) -> None:
    """A Set-Cookie line that stays inside the sandbox (RFC 6265 section 5.2 parsing)."""
    pair, *attributes = value.split(";")
    if "=" not in pair:
        raise ProblemError(400, "A Set-Cookie value starts with name=value.")
    check_cookie_name(pair.split("=", 1)[0].strip(), app_cookies)
    for attribute in attributes:
        key, _, attribute_value = attribute.partition("=")
        key, attribute_value = key.strip().lower(), attribute_value.strip()
        if key == "domain":
            raise ProblemError(400, "A sandbox cookie cannot name a Domain: it would reach "
                                    "other sites or the whole lesson server.")
        # A Path that does not start with "/" is ignored by browsers (the default applies).
        if key == "path" and attribute_value.startswith("/") and not _inside(
                attribute_value, prefix):
            raise ProblemError(400, f"A sandbox cookie's Path must be under {prefix} (or left "
                                    "out): the rest of the site belongs to the lesson server.")


def _inside(path: str, prefix: str) -> bool:
    return path == prefix.rstrip("/") or path.startswith(prefix)


# The two forms of Refresh a lesson needs: a delay, or a delay and where to go. Browsers
# parse anything else leniently and differently, so nothing else is sent.
REFRESH = re.compile(r"[ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*(?:[;,][ \t]*(?:url[ \t]*=[ \t]*)?"
                     r"(?P<url>[^ \t'\"]+)[ \t]*)?", re.IGNORECASE)


def refresh_url(value: str) -> str | None:
    """Where a Refresh header sends the browser: None when it only reloads the page."""
    match = REFRESH.fullmatch(value)
    if match is None:
        raise ProblemError(400, "Refresh takes a number of seconds, optionally followed by "
                                "; url=/sandbox/... (for example 5; url=/sandbox/get).")
    return match.group("url")
