"""The public page's proof of work: a challenge the server signs and the phone must pay for in hashing before a
report is taken — no outside service (the intranet has no internet), nothing for a person to solve.

`issue` gives a token `<payload>.<signature>`: the payload (base64url JSON) names a random nonce, the number of
leading zero bits asked for and when the challenge expires; the signature is HMAC-SHA256 with the server's key, so
no client can make or soften one. The page (a Web Worker) finds an `answer` such that SHA-256(`token:answer`)
starts with that many zero bits — about 2^bits hashes; the server checks it with one. `redeem` checks the
signature, the expiry and the work, and refuses a token used before: the nonces redeemed are kept per hour of
expiry as store records (kind `resident-challenges`), shared by every worker and instance like the reports.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta

from geo.errors import GuatuError
from geo.messages import t
from geo.store.base import Store

KIND = "resident-challenges"
LIFETIME = timedelta(minutes=30)  # a phone offline for longer asks for a new challenge when it is back


class ChallengeRefused(GuatuError):
    """No, a forged, an expired, an unpaid or a reused challenge (403)."""

    http_status = 403
    code = "forbidden"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, b"guatu-report-challenge:" + payload.encode(), hashlib.sha256).digest())


def issue(secret: bytes, now: datetime, bits: int) -> dict:
    """A new challenge: `{"challenge": token, "bits": bits, "expires": ISO UTC}`."""
    expires = (now + LIFETIME).astimezone(UTC).replace(microsecond=0)
    payload = _b64(json.dumps({"n": secrets.token_hex(16), "b": int(bits), "e": int(expires.timestamp())},
                              separators=(",", ":")).encode())
    return {"challenge": f"{payload}.{_sign(secret, payload)}", "bits": int(bits),
            "expires": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}


def leading_zero_bits(digest: bytes) -> int:
    n = 0
    for byte in digest:
        if byte == 0:
            n += 8
            continue
        return n + 8 - byte.bit_length()
    return n


def solve(token: str, bits: int) -> str:
    """An answer to the challenge (what the page's worker computes; here for tests and scripted clients)."""
    i = 0
    while leading_zero_bits(hashlib.sha256(f"{token}:{i}".encode()).digest()) < bits:
        i += 1
    return str(i)


def _payload(secret: bytes, token: object) -> dict:
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 400:
        raise ChallengeRefused(t("residents.challenge_missing"))
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        raise ChallengeRefused(t("residents.challenge_forged"))
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def redeem(store: Store, secret: bytes, token: object, answer: object, now: datetime, *, least_bits: int) -> None:
    """Accept the challenge once: ChallengeRefused when it is missing, forged, asks fewer than `least_bits`,
    expired, not paid for by `answer`, or was redeemed before."""
    data = _payload(secret, token)
    if int(data["b"]) < least_bits:
        raise ChallengeRefused(t("residents.challenge_forged"))
    if now.timestamp() > data["e"]:
        raise ChallengeRefused(t("residents.challenge_expired"))
    if not isinstance(answer, str) or len(answer) > 32 or \
            leading_zero_bits(hashlib.sha256(f"{token}:{answer}".encode()).digest()) < int(data["b"]):
        raise ChallengeRefused(t("residents.challenge_unpaid"))
    key = "h" + datetime.fromtimestamp(data["e"], UTC).strftime("%Y%m%d%H")
    with store.records_locked(KIND):
        used = store.record(KIND, key) or {"nonces": []}
        if data["n"] in used["nonces"]:
            raise ChallengeRefused(t("residents.challenge_reused"))
        used["nonces"].append(data["n"])
        store.put_record(KIND, key, used)
