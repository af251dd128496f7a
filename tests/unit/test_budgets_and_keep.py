"""What a stranger can make the server store: the client network a budget counts
against, and the byte budget of a stored try-it run."""

from __future__ import annotations

import pytest

from hyperlesson.records.budgets import client_network
from hyperlesson.tryit.keep import (
    REQUEST_BODY_BYTES,
    RESPONSE_BODY_BYTES,
    RUN_BYTES,
    cut,
    kept_exchange,
    stored_size,
)
from hyperlesson.tryit.request import TryRequest
from hyperlesson.tryit.result import Exchange, Hop, response_view


@pytest.mark.parametrize("address,network", [
    ("192.0.2.7", "192.0.2.7"), ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"), ("::ffff:192.0.2.7", "192.0.2.7"),
    (None, "unknown"), ("", "unknown"), ("not an address", "unknown"),
])
def test_a_budget_counts_ipv6_by_its_64(address, network):
    assert client_network(address) == network


def test_cut_keeps_whole_characters_within_the_bytes():
    assert cut("héllo", 2) == "h"  # é is two bytes: never half of it
    assert cut("héllo", 3) == "hé"
    assert cut("short", 100) == "short"


def exchange(*, body: str = "", headers=(), response_body: bytes = b"", hops=()) -> Exchange:
    request = TryRequest("POST", "/sandbox/post", tuple(headers), body)
    view = response_view(200, [("Content-Type", "text/plain")], response_body, method="POST")
    return Exchange(request=request, wire="POST /sandbox/post HTTP/1.1\r\n\r\n" + body,
                    hops=tuple(hops), response=view, elapsed_ms=1.0)


def test_a_small_run_is_kept_whole():
    original = exchange(body='{"name": "Ada"}', response_body=b"ok")
    kept, whole = kept_exchange(original)
    assert whole and kept == original


def test_the_largest_run_the_panel_can_send_fits_the_budget():
    long_value = "v" * 8000
    hop = Hop("GET", "http://h/sandbox/" + "a" * 2000, 302, "Found",
              "/sandbox/" + "b" * 2000)
    original = exchange(body="x" * 64 * 1024, headers=[(f"X-H{i}", long_value)
                                                       for i in range(30)],
                        response_body=b"y" * 100_000, hops=[hop] * 10)
    kept, whole = kept_exchange(original)
    assert not whole
    assert stored_size(kept) <= RUN_BYTES
    assert len(kept.request.body) == REQUEST_BODY_BYTES
    assert kept.response.truncated and len(kept.response.body_text) <= RESPONSE_BODY_BYTES
    assert kept.wire.endswith("only the start of this request was kept]")


def test_characters_that_json_escapes_long_still_fit():
    # "\u0001" takes six bytes in JSON: the bodies shrink until the whole run fits.
    original = exchange(body="\x01" * 60_000, response_body=b"\x02" * 60_000)
    kept, whole = kept_exchange(original)
    assert not whole and stored_size(kept) <= RUN_BYTES
    assert kept.request.body and kept.response.body_text
