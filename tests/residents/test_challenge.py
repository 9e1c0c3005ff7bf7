"""The proof of work: a challenge the server signed, paid for with hashing, redeemed once — on both stores, since
the nonces redeemed are shared by every worker and instance — and refused when forged, softened, expired, unpaid
or used before."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest

from geo.residents.challenge import ChallengeRefused, issue, leading_zero_bits, redeem, solve
from tests.residents.conftest import NOW

KEY = b"a key of the server"


def test_leading_zero_bits():
    assert leading_zero_bits(bytes([0, 0, 0x80])) == 16
    assert leading_zero_bits(bytes([0, 0x0F])) == 12
    assert leading_zero_bits(bytes([0xFF])) == 0


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_paid_challenge_is_redeemed_once(store_factory, backend):
    store = store_factory(backend)
    challenge = issue(KEY, NOW, 8)
    answer = solve(challenge["challenge"], 8)
    redeem(store, KEY, challenge["challenge"], answer, NOW + timedelta(minutes=5), least_bits=8)
    with pytest.raises(ChallengeRefused, match="用过"):
        redeem(store, KEY, challenge["challenge"], answer, NOW + timedelta(minutes=6), least_bits=8)
    other = store_factory(backend)  # another worker or instance sees the same redeemed nonces
    with pytest.raises(ChallengeRefused, match="用过"):
        redeem(other, KEY, challenge["challenge"], answer, NOW + timedelta(minutes=6), least_bits=8)


def test_forged_softened_expired_and_unpaid_challenges_are_refused(store_factory):
    store = store_factory()
    challenge = issue(KEY, NOW, 8)["challenge"]
    answer = solve(challenge, 8)
    with pytest.raises(ChallengeRefused, match="无效"):
        redeem(store, b"another key", challenge, answer, NOW, least_bits=8)
    payload, signature = challenge.split(".")
    softer = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    softer["b"] = 1
    forged = base64.urlsafe_b64encode(json.dumps(softer).encode()).rstrip(b"=").decode() + "." + signature
    with pytest.raises(ChallengeRefused, match="无效"):
        redeem(store, KEY, forged, "0", NOW, least_bits=8)
    weak = issue(KEY, NOW, 8)["challenge"]
    with pytest.raises(ChallengeRefused, match="无效"):  # signed, but asks less than the server now wants
        redeem(store, KEY, weak, solve(weak, 8), NOW, least_bits=12)
    with pytest.raises(ChallengeRefused, match="过期"):
        redeem(store, KEY, challenge, answer, NOW + timedelta(minutes=31), least_bits=8)
    unpaid = next(str(i) for i in range(10_000)
                  if leading_zero_bits(hashlib.sha256(f"{challenge}:{i}".encode()).digest()) < 8)
    with pytest.raises(ChallengeRefused, match="未通过"):
        redeem(store, KEY, challenge, unpaid, NOW, least_bits=8)
    for missing in (None, "", "no-dot", 42):
        with pytest.raises(ChallengeRefused, match="缺少"):
            redeem(store, KEY, missing, answer, NOW, least_bits=8)
    redeem(store, KEY, challenge, answer, NOW, least_bits=8)  # none of the refusals used it up
