"""The inspection route (geo/route.py): a short open path from the start, never longer than nearest neighbour,
the best one on small cases, stored as the list's order."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from geo import inspections as insp
from geo.errors import ValidationError
from geo.route import distances, nearest_neighbour, path_length, plan, project, two_opt

DAY = date(2026, 11, 24)
START = (113.63, 34.715)


def _best(d: np.ndarray) -> float:
    """The shortest open path from node 0 through all the others, by trying every order."""
    return min(path_length(d, (0, *p)) for p in itertools.permutations(range(1, len(d))))


def _random_points(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    return [(START[0] + dx, START[1] + dy) for dx, dy in rng.uniform(-0.03, 0.03, size=(n, 2))]


def test_two_opt_is_never_longer_than_nearest_neighbour():
    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 10, 25, 60):
        for _ in range(5):
            d = distances(project([START, *_random_points(rng, n)], "EPSG:32649"))
            nn = nearest_neighbour(d)
            opt = two_opt(d, nn)
            assert sorted(opt) == list(range(n + 1)) and opt[0] == 0
            assert path_length(d, opt) <= path_length(d, nn) + 1e-6


def test_a_zigzag_along_a_street_becomes_a_walk_along_it():
    # six places along one east-west street, drawn in a zigzag; the start at its west end
    xs = [0.004, 0.020, 0.008, 0.016, 0.012, 0.024]
    points = [(START[0] + x, START[1]) for x in xs]
    route = plan(points, START, "EPSG:32649")
    assert [xs[i] for i in route.order] == sorted(xs)
    assert route.length_m == pytest.approx(route_metres(START, points[5]), rel=1e-3)
    assert route.given_length_m > 2 * route.length_m


def route_metres(a, b) -> float:
    xy = project([a, b], "EPSG:32649")
    return float(np.hypot(*(xy[1] - xy[0])))


def test_small_cases_get_the_best_route():
    rng = np.random.default_rng(3)
    for _ in range(20):
        points = _random_points(rng, 6)
        route = plan(points, START, "EPSG:32649")
        d = distances(project([START, *points], "EPSG:32649"))
        assert route.length_m == pytest.approx(path_length(d, (0, *(i + 1 for i in route.order))), abs=0.1)
        assert route.length_m <= _best(d) * 1.02  # 2-opt finds the best (or within 2 %) on six stops
    # a known case: a square's corners seen from outside it — nearest neighbour crosses, the best does not
    square = [(START[0] + 0.01, START[1]), (START[0] + 0.02, START[1] + 0.01), (START[0] + 0.02, START[1]),
              (START[0] + 0.01, START[1] + 0.01)]
    route = plan(square, START, "EPSG:32649")
    d = distances(project([START, *square], "EPSG:32649"))
    assert route.length_m == pytest.approx(_best(d), abs=0.1)


def test_the_same_points_give_the_same_route():
    points = _random_points(np.random.default_rng(11), 30)
    assert plan(points, START) == plan(points, START)
    assert plan([], START).order == ()


def test_the_days_list_is_stored_in_route_order_from_the_configured_start(seeded, campaign):
    listing = insp.generate(seeded, campaign, DAY, n=6, seed=5, user="李编")
    route = listing["route"]
    assert route["start"] == [campaign.map.center[1], campaign.map.center[0]] and route["start_place"] is None
    assert route["length_m"] <= route["drawn_length_m"]
    points = insp.interior_points([seeded.get(p["layer"], p["id"])["geometry"] for p in listing["places"]])
    d = distances(project([tuple(route["start"]), *points], "EPSG:32649"))
    assert path_length(d, range(len(points) + 1)) == pytest.approx(route["length_m"], abs=0.5)
    # every screen numbers the places in this order
    summary = insp.wall_summary(seeded, campaign, insp.load(seeded, DAY), DAY)
    assert [(r["order"], r["id"]) for r in summary["places"]] == [(i, p["id"]) for i, p in
                                                                    enumerate(listing["places"], 1)]


def test_a_route_can_start_at_a_place_and_an_unknown_place_is_refused(seeded, campaign):
    first = sorted(f["id"] for f in seeded.features("courtyards"))[0]
    at_place = replace(campaign, inspections=replace(campaign.inspections, route_start=first))
    listing = insp.generate(seeded, at_place, DAY, n=4, seed=5, user="李编")
    assert listing["route"]["start_place"] == first
    assert listing["route"]["start"] == insp.interior_points([seeded.get("courtyards", first)["geometry"]])[0]
    nowhere = replace(campaign, inspections=replace(campaign.inspections, route_start="no-such-place"))
    with pytest.raises(ValidationError) as caught:
        insp.generate(seeded, nowhere, DAY, n=4, seed=5, user="李编", replace=True)
    assert "no-such-place" in str(caught.value.message) or "no-such-place" in repr(caught.value.errors)
    assert insp.load(seeded, DAY)["route"]["start_place"] == first  # the list stays as it was
