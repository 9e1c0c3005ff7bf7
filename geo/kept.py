"""One object for equal values among what a process keeps for every place.

The wall state, the dashboard and the milestones each keep a share of
every place (geo/wall/data.py, geo/dashboard.py, geo/progress_kept.py),
walked from the store: with PostgreSQL and a layer too large to keep
(`GUATU_DATABASE_LAYER_CACHE`), each walk parses the places again, so
without this each of them holds its own copy of every place's id, status,
sub-district, category, dates and people's names — most of them the same
few hundred strings over and over.

`kept_place` does the same for a place a store keeps parsed in memory (the
embedded store's layers, a database layer small enough to keep): each
string of its properties, its problems' and its people's, one object.

`interned` gives one string object for equal strings (`sys.intern`: on
CPython 3.11, which Guatu runs on, an interned string is freed when nothing
refers to it any more, so nothing here outlives what keeps it — CPython
3.12.0 to 3.12.4 kept every interned string for ever) and one int object
for equal ints between -4096 and 4096 (the interpreter keeps only -5 to 256
so: every other day count, e.g. how late a problem is, is a new object each
time it is computed); `shared` one tuple for equal tuples of plain values,
in a bounded cache. `PlaceMap` keeps a value per place by (layer, id) without
a tuple per place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Generic, TypeVar

V = TypeVar("V")

_INTS: dict[int, int] = {}  # the numbers a place's share repeats (days late, counts), one object each
_INT_RANGE = range(-4096, 4097)  # bounded: about eleven years of days either way


def interned(value: object) -> object:
    """The one string object equal to `value`, if it is a string; the one int object, if it is a small int (the
    interpreter keeps only -5 to 256 as one object each); any other value as it is."""
    kind = type(value)
    if kind is str:
        return sys.intern(value)
    if kind is int and value in _INT_RANGE:
        return _INTS.setdefault(value, value)
    return value


def sharing(maxsize: int) -> Callable[[tuple], tuple]:
    """A `shared` of its own, with its own cache of `maxsize` tuples: for tuples most of which are one place's
    own, which would push the common ones out of `shared`'s cache."""
    return lru_cache(maxsize=maxsize, typed=True)(_same)


def _same(value: tuple) -> tuple:
    return value


@lru_cache(maxsize=16384, typed=True)
def shared(value: tuple) -> tuple:
    """One tuple for equal values of the same type (of the most recently used 16,384: a named tuple is never
    answered with a plain one): most places' counts, groups and dates are alike, so most of those tuples are
    one object each."""
    return value


KEPT_TEXT = 64  # characters: longer texts (a problem's description, a note) seldom repeat and are left as they are


def kept_place(feature: dict) -> dict:
    """`feature`, as parsed, with each short string of its properties one object for equal strings (changed in
    place; returned): 20,000 synthetic places hold 637,000 such strings of 93,000 values. Anything that is not a
    place (a damaged file's line) is returned as it is, for the store's checks to name."""
    props = feature.get("properties") if type(feature) is dict else None
    if type(props) is dict:
        _intern_in(props, 0)
    return feature


def _intern_in(d: dict, depth: int) -> None:
    if depth > 8:  # (a place's properties nest three levels: problems, their cases, their timelines)
        return
    intern = sys.intern
    for k, v in d.items():  # (values replaced, no key added: the dict may be changed while walked)
        kind = type(v)
        if kind is str:
            if len(v) <= KEPT_TEXT:
                d[k] = intern(v)
        elif kind is dict:
            _intern_in(v, depth + 1)
        elif kind is list:
            for i, x in enumerate(v):
                if type(x) is str:
                    if len(x) <= KEPT_TEXT:
                        v[i] = intern(x)
                elif type(x) is dict:
                    _intern_in(x, depth + 1)


_MISSING = object()  # no default given


class PlaceMap(Generic[V]):
    """A value per place, by (layer, id), as a dict per layer, without a (layer, id) tuple kept per place (at a
    million places, 53 MB for each view that keeps one). It answers `[]`, `in`, `len`, `get`, `pop` and sets as a
    dict by (layer, id) does; unlike one, it walks (`iter`, `items`, `values`: each a new iterator, not a view)
    layer by layer, each layer's places in the order they came, and makes the keys it hands out as it goes."""

    __slots__ = ("_layers", "_len")

    def __init__(self) -> None:
        self._layers: dict[str, dict[str, V]] = {}
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key[1] in self._layers.get(key[0], ())

    def __getitem__(self, key: tuple[str, str]) -> V:
        try:
            return self._layers[key[0]][key[1]]
        except KeyError:
            raise KeyError(key) from None

    def get(self, key: tuple[str, str], default: V | None = None) -> V | None:
        return self._layers.get(key[0], {}).get(key[1], default)

    def __setitem__(self, key: tuple[str, str], value: V) -> None:
        places = self._layers.setdefault(key[0], {})
        self._len += key[1] not in places
        places[key[1]] = value

    def pop(self, key: tuple[str, str], default: object = _MISSING) -> V | None:
        places = self._layers.get(key[0])
        if places is None or key[1] not in places:
            if default is _MISSING:
                raise KeyError(key)
            return default
        self._len -= 1
        return places.pop(key[1])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((layer, fid) for layer, places in self._layers.items() for fid in places)

    def items(self) -> Iterator[tuple[tuple[str, str], V]]:
        return (((layer, fid), v) for layer, places in self._layers.items() for fid, v in places.items())

    def values(self) -> Iterator[V]:
        return (v for places in self._layers.values() for v in places.values())
