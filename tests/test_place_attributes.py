"""What a map shows of some places beside their shapes, as columns (geo/wall/codec.py `PlaceAttributes`).

A viewport's places come from a database a chunk at a time, or from the embedded store's index of a whole layer,
and are then cut to a scope and put in the packed document's order. Whatever the way, the packed attributes must
be those of the places as they are: the tables of the values they have, in the order they first come, "" for
none, and a number per place.
"""

from __future__ import annotations

import numpy as np
import orjson
from hypothesis import given
from hypothesis import strategies as st

from geo.wall.codec import AttributeColumns, EncodedNames, PlaceAttributes, json_pieces

VALUES = st.sampled_from([None, "", "楼院", "小区", "大学路街道", "建设路街道", "幸福社区", "和平社区"])
ROWS = st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=6)), VALUES, VALUES, VALUES), max_size=40)


def written(rows: list[tuple]) -> dict:
    """The packed attributes of these places, written a place at a time."""
    tables: list[dict] = [{}, {}, {}]
    numbers: list[list[int]] = [[], [], []]
    for row in rows:
        for k in range(3):
            numbers[k].append(tables[k].setdefault(row[k + 1] or "", len(tables[k])))
    return {"name": [row[0] or "" for row in rows], "kinds": list(tables[0]), "streets": list(tables[1]),
            "communities": list(tables[2]), "kind": numbers[0], "street": numbers[1], "community": numbers[2]}


@given(ROWS, st.integers(1, 7), st.randoms(use_true_random=False), st.booleans())
def test_columns_made_in_chunks_and_taken_in_any_order_are_the_places_as_written(rows, chunk, random, encoded):
    made = AttributeColumns(encoded=encoded)  # (encoded: the names kept as their JSON texts, as a database's view)
    for start in range(0, len(rows), chunk):  # as a database's rows come
        part = rows[start:start + chunk]
        made.add(*([row[k] for row in part] for k in range(4)))
    attributes = made.done()
    assert attributes.rows() == rows and PlaceAttributes.of_rows(rows).rows() == rows
    order = list(range(len(rows)))
    random.shuffle(order)
    taken = order[:random.randint(0, len(rows))]  # some of them, in the document's order
    columns = attributes.take(np.array(taken, dtype=np.int64)).columns()
    assert orjson.loads(b"".join(json_pieces(columns, 3))) == written([rows[i] for i in taken])  # as written
    assert list(columns) == list(written([]))  # the keys in the document's order
    assert attributes.take(np.array(taken, dtype=np.int64)).rows() == [rows[i] for i in taken]


@given(ROWS, VALUES, VALUES)
def test_a_scope_keeps_the_places_of_its_sub_district_and_community(rows, street, community):
    attributes = PlaceAttributes.of_rows(rows)
    kept = attributes.in_scope(street, community)
    assert kept.tolist() == [(not street or row[2] == street) and (not community or row[3] == community)
                             for row in rows]


@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=30), st.integers(1, 5), st.randoms(use_true_random=False))
def test_names_kept_as_their_json_texts_are_taken_read_and_written_as_the_names_are(names, items, random):
    parts = [EncodedNames.of(names[at:at + items]) for at in range(0, len(names), items)]
    parts.insert(random.randint(0, len(parts)), EncodedNames.of([]))  # (a chunk of none)
    encoded = EncodedNames.joined(parts)
    assert parts == [] and len(encoded) == len(names) and encoded.tolist() == names
    assert orjson.loads(b"".join(encoded.json_pieces(items))) == [n or "" for n in names]
    rows = [random.randrange(len(names)) for _ in range(random.randint(0, 2 * len(names)))] if names else []
    taken = encoded[np.array(rows, dtype=np.int64)]
    assert taken.tolist() == [names[i] for i in rows]
    assert encoded[np.array([n is None for n in names], dtype=bool)].tolist() == [None] * names.count(None)
