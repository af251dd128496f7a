"""The try-it panel's pure core: check a learner's request, send it, describe the result.

- request.py: validate() -> TryRequest, or TryItError with a message for the learner
- client.py: send() calls the sandbox's WSGI app in-process (no socket, no HTTP
  library) and returns an Exchange
- urls.py: the public origin, paths percent-encoded as browsers do, redirect targets
- result.py: Exchange, Hop, ResponseView (frozen; to_dict()/from_dict() for the history)
- export.py: the same request as curl, Python requests and Python httpx code
- statuses.py: reason phrases and one plain-words line per status code

No Flask here: the views parse the form, call these, save and render.
"""

from __future__ import annotations

from .request import METHODS, TryItError, TryRequest, validate
from .result import Exchange, Hop, ResponseView

__all__ = ["METHODS", "Exchange", "Hop", "ResponseView", "TryItError", "TryRequest", "validate"]
