"""A packed document written a piece at a time (geo/wall/codec.py `json_pieces`, `binary_pieces`): the pieces put
together are the bytes the document is as a whole, whatever the size of a piece."""

from __future__ import annotations

import numpy as np
import orjson
from hypothesis import given
from hypothesis import strategies as st

from geo.wall.codec import BINARY_MAGIC, EncodedNames, binary_body, binary_pieces, json_pieces

TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), FLOATS, TEXTS)
NUMBERS = st.one_of(st.lists(st.integers(-2**31, 2**31 - 1), max_size=30).map(lambda v: np.array(v, dtype=np.int32)),
                    st.lists(FLOATS, max_size=30).map(lambda v: np.array(v, dtype=np.float64)))
NAMES = st.lists(st.one_of(st.none(), TEXTS), max_size=30).map(EncodedNames.of)  # (a database's view's names)
VALUES = st.recursive(st.one_of(SCALARS, NUMBERS, NAMES),
                      lambda inner: st.one_of(st.lists(inner, max_size=12), st.dictionaries(TEXTS, inner, max_size=5)),
                      max_leaves=40)


def as_written(value: object) -> object:
    """The document with its names as the packed format writes them ("" for none), for `orjson.dumps`."""
    if isinstance(value, EncodedNames):
        return [n or "" for n in value.tolist()]
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_written(v) for v in value]
    return value


@given(st.dictionaries(TEXTS, VALUES, max_size=6), st.integers(1, 9))
def test_a_document_in_pieces_is_the_document_whole(doc, items):
    pieces = list(json_pieces(doc, items))
    assert b"".join(pieces) == orjson.dumps(as_written(doc), option=orjson.OPT_SERIALIZE_NUMPY)


def test_a_long_column_comes_a_few_items_at_a_time():
    doc = {"name": [f"院{i}" for i in range(10)], "coords": np.arange(7, dtype=np.int32), "count": 10}
    pieces = list(json_pieces(doc, 4))
    assert max(len(p) for p in pieces) < len(orjson.dumps(doc["name"]))
    assert orjson.loads(b"".join(pieces)) == {**doc, "coords": list(range(7))}


@given(st.lists(st.integers(-2**31, 2**31 - 1), max_size=50))
def test_the_binary_body_in_pieces_is_its_magic_header_and_four_byte_planes(values):
    values = np.array(values, dtype=np.int32)
    header = {"count": len(values), "geometry": {"n": len(values)}}
    pieces = list(binary_pieces(header, values))
    assert b"".join(pieces) == binary_body(header, values)
    head, planes = pieces[0], pieces[1:]
    text = orjson.dumps(header)
    padded = text + b" " * (-len(text) % 4)
    assert head == BINARY_MAGIC + len(padded).to_bytes(4, "little") + padded and len(planes) == 4
    raw = values.astype("<i4").tobytes()
    assert planes == [raw[k::4] for k in range(4)]
