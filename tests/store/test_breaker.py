"""The database circuit breaker (geo/store/breaker.py), on a clock the test moves."""

from __future__ import annotations

import pytest

from geo.store.breaker import Breaker, Open


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_breaker_that_knows_nothing_lets_requests_try_briefly():
    breaker = Breaker(cooldown=2, clock=Ticks())
    assert breaker.admit().probe
    assert breaker.admit().probe  # nothing is refused before anything failed


def test_after_a_failure_requests_are_refused_at_once_until_the_cooldown_passes():
    ticks = Ticks()
    breaker = Breaker(cooldown=2, clock=ticks)
    assert breaker.failed("connection refused") == 2
    with pytest.raises(Open) as info:
        breaker.admit()
    assert info.value.retry_after == 2 and info.value.reason == "connection refused"
    ticks.now += 1.5
    with pytest.raises(Open) as info:
        breaker.admit()
    assert info.value.retry_after == 1


def test_after_the_cooldown_one_request_probes_while_the_others_are_still_refused():
    ticks = Ticks()
    breaker = Breaker(cooldown=2, clock=ticks)
    breaker.failed("down")
    ticks.now += 2
    assert breaker.admit().probe
    with pytest.raises(Open):
        breaker.admit()
    breaker.failed("still down")  # the probe failed: another cooldown
    with pytest.raises(Open):
        breaker.admit()
    ticks.now += 2
    assert breaker.admit().probe
    breaker.succeeded()
    assert breaker.state == "up"
    assert not breaker.admit().probe
    assert breaker.retry_after() == 0


def test_a_probe_that_learnt_nothing_lets_the_next_request_probe():
    ticks = Ticks()
    breaker = Breaker(cooldown=2, clock=ticks)
    breaker.failed("down")
    ticks.now += 3
    assert breaker.admit().probe
    breaker.released()
    assert breaker.admit().probe


def test_the_outage_is_dated_from_its_first_failure():
    ticks = Ticks()
    breaker = Breaker(cooldown=2, clock=ticks)
    breaker.failed("down")
    ticks.now += 5
    breaker.failed("still down")
    assert breaker.down_since == 100.0
