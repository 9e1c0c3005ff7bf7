"""A cached answer as it is sent (web/core/http.py `send_cached`): gzipped when the client takes it, a large one
compressed fast, and either way the same bytes once unzipped."""

from __future__ import annotations

import gzip
import os

from flask import Flask

from web.core.cached import LARGE_BODY, Cached
from web.core.http import send_cached

FASTEST = 4  # the gzip header's XFL byte for "compressed with the fastest algorithm" (RFC 1952, 2.3.1)


def _sent(body: bytes) -> bytes:
    app = Flask(__name__)
    with app.test_request_context(headers={"Accept-Encoding": "gzip"}):
        resp = send_cached(Cached(body=body, etag="e1"))
        assert resp.headers["Content-Encoding"] == "gzip"
        return resp.get_data()


def test_a_large_answer_is_compressed_fast_and_a_small_one_well_both_unzipping_to_the_same_bytes():
    small = os.urandom(1000) * 50  # 50 kB, repeating: compressible
    large = os.urandom(1000) * (LARGE_BODY // 1000 + 1)
    small_sent, large_sent = _sent(small), _sent(large)
    assert gzip.decompress(small_sent) == small and gzip.decompress(large_sent) == large
    assert large_sent[8] == FASTEST and small_sent[8] != FASTEST
