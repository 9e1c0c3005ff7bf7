"""The storage seam: one interface, one module per backend.

`Store` owns the rules every backend shares — validation of each write,
optimistic concurrency (a write names the version it started from), version
stamping and the shape of journal entries — and asks the backend only for a
transaction that can read current features and commit a batch of changes
atomically. Backends: `geo.store.geojson` (embedded, default) and, for
deployments that outgrow one machine, PostGIS.
"""

from __future__ import annotations

import copy
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import orjson

from geo.config import Campaign, Layer
from geo.diskspace import SpaceWatch
from geo.errors import BrokenLayer, BrokenRecord, Conflict, FieldError, NotFound, ValidationError
from geo.features_query import ItemsQuery, LayerIndex, LayerSummary, Selection
from geo.journal import ChangeSummary
from geo.messages import compose, t
from geo.name_search import Candidate, best, in_area, name_key
from geo.photos.blobs import Blobs
from geo.scope import Scope, check_write
from geo.validate import PHOTO_ID, SYSTEM_PROPERTIES, validate_feature
from geo.wall.codec import GEOMETRY_CODES, flatten_geometry
from geo.wall.params import in_scope

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Op:
    """One change in a batch. `update` merges `properties` into the current ones.

    A place's photos are written by the photo API alone (geo/photos), through `photos`: the whole new list.
    A `photos` member of `properties` is ignored, so an edit, an import, a revert or an OGC replace keeps the
    place's photos as they are and can never point one at a file that is not kept.

    A ledger problem's case (`case`, geo/cases) is written by the case loop alone, through ops marked `cases`:
    on every other write each existing problem keeps its case — and the ledger fields that follow it — as they
    are, and a new problem's sent case is dropped (`keep_cases`)."""

    kind: Literal["create", "update", "delete"]
    layer: str
    id: str | None = None
    properties: dict | None = None
    geometry: dict | None = None
    expected_version: int | None = None
    photos: list | None = None
    cases: bool = False


CASE_FIELDS = ("status", "closed_on", "deadline", "responsible")  # a problem's ledger fields that follow its case


def keep_cases(before: list | None, after):
    """The problems `after` with each problem's case as it is in `before` (and, when it has one, the ledger
    fields that follow it); a case `before` does not have is dropped. Anything that is not a list of problems is
    left to validation."""
    if not isinstance(after, list):
        return after
    old = {p.get("id"): p for p in before or () if isinstance(p, dict) and isinstance(p.get("case"), dict)}
    out = []
    for problem in after:
        if not isinstance(problem, dict):
            out.append(problem)
            continue
        problem = {k: v for k, v in problem.items() if k != "case"}
        kept = old.get(problem.get("id"))
        if kept is not None:
            problem["case"] = copy.deepcopy(kept["case"])
            for name in CASE_FIELDS:
                if name in kept:
                    problem[name] = kept[name]
                else:
                    problem.pop(name, None)
        out.append(problem)
    return out


@dataclass
class WriteResult:
    feature: dict | None
    change: dict
    notes: list[str] = field(default_factory=list)


class Transaction(ABC):
    """A backend's view of the data while it holds the write lock."""

    @abstractmethod
    def current(self, layer: str, fid: str) -> dict | None: ...

    @abstractmethod
    def next_id(self, layer: Layer) -> str: ...

    @abstractmethod
    def used_before(self, layer: str, fid: str) -> bool:
        """The id belonged to a place of `layer` (the journal has a change of it): it is never given again."""

    @abstractmethod
    def last_seq(self) -> int: ...

    @abstractmethod
    def commit(self, changes: list[dict]) -> None:
        """Make every change durable, all or nothing."""


@dataclass(frozen=True)
class Finding:
    """One inconsistency `Store.check` found: where (a file and line, a table, a record), what is
    wrong and what `store repair` would do about it, all in the user's language (geo.messages)."""

    where: str
    problem: str
    remedy: str
    repairable: bool = True
    code: str = "damaged"  # for machines: broken_layer, journal_damaged, disk_low, database_unavailable…

    def to_dict(self) -> dict:
        return {"code": self.code, "where": self.where, "message": self.problem, "remedy": self.remedy}


@dataclass
class RepairReport:
    """What `Store.repair` did: what it moved aside (never deleted), what it rebuilt and from what,
    and what it could not recover."""

    moved_aside: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    unrecovered: list[str] = field(default_factory=list)


class LeaderLock(ABC):
    """A lock held by at most one holder among every process and instance; asked for, never waited for."""

    @abstractmethod
    def try_acquire(self) -> bool:
        """True when this holder has the lock: taken now, or held since and still sound (a lost database
        connection loses it); False when another has it."""

    @abstractmethod
    def release(self) -> None:
        """Let the lock go (nothing when not held)."""


# the kinds of records a campaign keeps (copies between backends carry them): the inspection lists, and the
# notifications' events, inboxes, channels, people's settings and outbox, and the sender's cursor and open cases
# (geo/notify/; they go with the journal, which a copy carries with the same revisions)
RECORD_KINDS = ("inspections", "notify-events", "notify-pending", "notify-inbox", "notify-channels", "notify-people",
                "notify-outbox", "notify-delivered", "notify-cursor", "notify-cases")


def parse_record(data: bytes | str, where: str) -> dict:
    """A stored record's body as a dict; BrokenRecord (503, naming it and the remedy) when it does not parse or
    is not an object (edited by hand, a bad restore: Guatu writes records whole, never in part)."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        detail = str(exc)
    else:
        if isinstance(value, dict):
            return value
        detail = t("feature.not_an_object_value")
    raise broken_record(where, detail)


def broken_record(where: str, detail: str, *, by_hand: bool = False) -> BrokenRecord:
    """The error for a record that cannot be used: `store repair` moves aside one that does not parse; one that
    parses but is not what Guatu writes (`by_hand`) must be put right by hand or from a backup."""
    problem = t("store.record_not_as_written" if by_hand else "store.record_unreadable", file=where, detail=detail)
    remedy = t("store.record_fix_by_hand") if by_hand else t("store.record_remedy")
    error = BrokenRecord(compose("{problem};{remedy}", problem=problem, remedy=remedy))
    error.finding = Finding(where=where, problem=problem, remedy=remedy, repairable=not by_hand, code="broken_record")
    return error


def checked_record(store: Store, kind: str, key: str, faults_of: Callable[[dict], list[FieldError]]) -> dict | None:
    """The record, or None; BrokenRecord (503) naming it when `faults_of` finds it is not as the module that owns
    the kind writes it (edited by hand, a bad restore): it must then be put right, never written over."""
    record = store.record(kind, key)
    faults = faults_of(record) if record is not None else []
    if faults:
        raise broken_record(f"{kind}/{key}", faults[0].text(), by_hand=True)
    return record


def records_not_as_written(store: Store, kind: str, keys: Iterable[str],
                           faults_of: Callable[[dict], list[FieldError]]) -> list[Finding]:
    """Each of the records that parses but is not as its module writes it (`store check`; one that does not parse
    is the store's own `check`'s)."""
    found = []
    for key in keys:
        try:
            checked_record(store, kind, key, faults_of)
        except BrokenRecord as exc:
            if not exc.finding.repairable:  # repairable: it does not parse, which `check` reports itself
                found.append(exc.finding)
    return found


class Store(ABC):
    space_watch: SpaceWatch | None = None  # the folders whose free space `problems` reports (the app sets it)
    blobs: Blobs  # the campaign's photo files (geo/photos/blobs.py), set by each backend's constructor

    def __init__(self, campaign: Campaign, *, clock: Clock = utc_now) -> None:
        self.campaign = campaign
        self.clock = clock
        self._query_indexes: dict[str, tuple[int, LayerIndex]] = {}  # layer → (revision, index): see _query_index
        self._name_keys: dict[str, tuple[int, list[tuple[str, Candidate]]]] = {}  # layer → (revision, its names)
        self._name_keys_locks: dict[str, threading.Lock] = {}  # layer → the lock its names are made under

    # --- reads -------------------------------------------------------------
    @abstractmethod
    def features(self, layer_id: str) -> list[dict]:
        """Every feature of a layer, as GeoJSON Feature dicts."""

    def each_feature(self, layer_id: str) -> Iterator[dict]:
        """Every feature of a layer, one at a time, in the layer's order: for a reader that goes through the
        layer once (a view built from every place). A backend may read a large layer piece by piece, so the
        whole layer is never held at once; the places may then be newer than the revision read before."""
        return iter(self.features(layer_id))

    @abstractmethod
    def get(self, layer_id: str, fid: str) -> dict:
        """One feature; raises NotFound."""

    def get_many(self, layer_id: str, fids: Iterable[str]) -> dict[str, dict]:
        """The features of these ids that the layer has, by id (PostGIS: in one read); NotFound for no such layer."""
        self.layer(layer_id)
        found = {}
        for fid in fids:
            try:
                found[fid] = self.get(layer_id, fid)
            except NotFound:
                continue
        return found

    @abstractmethod
    def revision(self) -> int:
        """Sequence number of the last change; grows with every write."""

    @abstractmethod
    def layer_revision(self, layer_id: str) -> int:
        """Sequence number of the last change to this layer."""

    def layer_revisions(self) -> tuple[int, dict[str, int]]:
        """`revision()` and every layer's `layer_revision`, together (PostGIS: in one query)."""
        return self.revision(), {x.id: self.layer_revision(x.id) for x in self.campaign.layers}

    @abstractmethod
    def changes_since(self, seq: int, upto: int | None = None) -> list[ChangeSummary]:
        """Summaries of every change after `seq`, oldest first. `upto`: the journal's head as the caller just
        read it; the changes after it may be left out (PostGIS then asks the database only if this process
        has not seen that far)."""

    @abstractmethod
    def history(self, layer_id: str, fid: str) -> list[dict]:
        """Journal entries of one feature, oldest first."""

    @abstractmethod
    def change_entries(self, summaries: list[ChangeSummary]) -> list[dict]:
        """The full journal entries (with before and after) behind these summaries."""

    def place_count(self, layer_id: str) -> int:
        """How many places the layer has (a backend may count without reading them)."""
        return len(self.features(layer_id))

    def ids_in_area(self, layer_id: str, street: str | None, community: str | None) -> frozenset[str]:
        """The ids of a layer's places of a sub-district and community (either None: any), as a wall screen's
        scope keeps them (geo/wall/params.py `in_scope`). Here from the places; a backend may ask its database."""
        return frozenset(f["id"] for f in self.each_feature(layer_id)
                         if in_scope(f["properties"], street, community))

    def places_extent(self, layer_id: str, street: str | None = None,
                      community: str | None = None) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of a layer's places that have a geometry, of a sub-district and community
        (either None: any), as a wall screen's scope keeps them; None for none. Here a walk over the places, their
        positions folded a batch at a time (at a million places the positions all at once held 670 MB); a backend
        may ask its database."""
        bounds = _Bounds()
        for f in self.each_feature(layer_id):
            geometry = f.get("geometry")
            if geometry and geometry.get("type") in GEOMETRY_CODES and in_scope(f["properties"], street, community):
                bounds.add(geometry)
        return bounds.total()

    # --- queries (OGC API – Features items, /api bbox reads) ------------------
    def select_items(self, layer_id: str, query: ItemsQuery) -> Selection:
        """The page of a layer's places an items query asks for, and how many match in all.
        Here: the layer's in-memory query index; a backend may answer in its database instead."""
        return self._query_index(layer_id).select(query)

    def bbox_query_ready(self, layer_id: str) -> bool:
        """Whether a bbox query (`select_items`) now answers without first indexing the whole layer: here when
        the layer's query index is made for its revision (it takes seconds at 100,000 places, once per change); a
        backend whose database keeps the index says always."""
        hit = self._query_indexes.get(layer_id)
        return hit is not None and hit[0] == self.readable_revision(layer_id)

    def layer_summary(self, layer_id: str) -> LayerSummary:
        """How many places the layer has, its extent, and the values its text queryables take."""
        return self._query_index(layer_id).summary()

    def find_by_name(self, layer_id: str, text: str, limit: int, *, street: str | None = None,
                     community: str | None = None) -> list[dict]:
        """The places of a layer found by name (geo/name_search.py), best first, as {id, name, street, community};
        with `street` or `community`, only that sub-district's or community's (a wall screen's scope). Here each
        name's normal form, kept for the layer's revision (the newest only, made once however many ask for it); a
        backend may search in its database instead."""
        revision = self.readable_revision(layer_id)
        hit = self._name_keys.get(layer_id)
        if hit is None or hit[0] != revision:
            with self._name_keys_locks.setdefault(layer_id, threading.Lock()):  # one build per layer at a time
                hit = self._name_keys.get(layer_id)
                if hit is None or hit[0] != revision:
                    names = [(name_key(p.get("name")), (f["id"], p.get("name"), p.get("street"), p.get("community")))
                             for f in self.each_feature(layer_id) for p in (f["properties"],)]
                    hit = self._name_keys[layer_id] = (revision, names)
        return best(in_area(hit[1], street, community), text, limit)

    def _query_index(self, layer_id: str) -> LayerIndex:
        """The layer's query index, rebuilt when the layer's revision moves (the places unchanged since keep their
        geometries): one per layer, the newest only."""
        revision = self.readable_revision(layer_id)  # BrokenLayer while withheld: the index made before is not used
        hit = self._query_indexes.get(layer_id)
        if hit is not None and hit[0] == revision:
            return hit[1]
        index = LayerIndex(self.features(layer_id), previous=hit[1] if hit is not None else None)
        self._query_indexes[layer_id] = (revision, index)
        return index

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Transaction]: ...

    # --- records kept beside the layers (the daily inspection lists) ----------------
    # A record is a small JSON document named by a kind and a key, shared by every process and instance
    # of the campaign like the layers: files `<kind>/<key>.json` in the data directory, or a table.

    @abstractmethod
    def record(self, kind: str, key: str) -> dict | None:
        """The record `key` of `kind`, or None."""

    @abstractmethod
    def record_keys(self, kind: str) -> list[str]:
        """The keys of every record of `kind`, sorted."""

    @abstractmethod
    def records_locked(self, kind: str) -> AbstractContextManager[None]:
        """Hold the lock of `kind` (in every process and instance) for a read-then-write; StoreBusy when
        it cannot be had within the store's lock timeout."""

    @abstractmethod
    def put_record(self, kind: str, key: str, value: dict) -> None:
        """Store a record whole (written atomically; call it inside `records_locked(kind)`)."""

    @abstractmethod
    def delete_record(self, kind: str, key: str) -> None:
        """Remove a record (nothing when there is none; call it inside `records_locked(kind)`)."""

    @abstractmethod
    def leader_lock(self, name: str) -> LeaderLock:
        """The lock `name` that one holder at a time has among every process and instance of the campaign,
        never waited for: the notifications' sender takes it to be the one that sends (docs/notifications.md)."""

    def collection_bytes(self, layer_id: str) -> bytes:
        """The layer as a serialised GeoJSON FeatureCollection."""
        from geo.geojson_io import collection_bytes, feature_line

        return collection_bytes((feature_line(f) for f in self.features(layer_id)), name=layer_id)

    def collection_stream(self, layer_id: str) -> Iterator[bytes] | None:
        """For a layer this process does not keep whole, its FeatureCollection in pieces read from the backend as
        they are taken (`geo.geojson_io.collection_pieces`, one snapshot; close it to stop early); None when
        `collection_bytes` is the answer (the layer is at hand: here always)."""
        return None

    @abstractmethod
    def retired_ids(self, layer_id: str, fids: Iterable[str]) -> set[str]:
        """Those of `fids` that belonged to a place of the layer that was deleted: a create naming one is
        refused (ids are never given twice, so an old ETag or link can never reach another place)."""

    def layer_errors(self) -> dict[str, str]:
        """Layers that cannot be read, with the reason (none by default)."""
        return {}

    def readable_revision(self, layer_id: str) -> int:
        """The layer's revision, to key cached reads of it; raises BrokenLayer while the layer is withheld,
        so what a process cached before the damage is never served instead."""
        error = self.layer_errors().get(layer_id)
        if error:
            raise BrokenLayer(t("store.layer_withheld", reason=error))
        return self.layer_revision(layer_id)

    def readable_layers(self) -> list[Layer]:
        """The campaign's layers that can be read now: views of the whole campaign
        (wall state, dashboard, counts) show these and report the others."""
        broken = self.layer_errors()
        return [x for x in self.campaign.layers if x.id not in broken]

    def withheld_layers(self) -> list[Layer]:
        """The campaign's layers that cannot be read now, in its order: what a view of the whole campaign left
        out (`readable_layers` are the others), for it to say so."""
        broken = self.layer_errors()
        return [x for x in self.campaign.layers if x.id in broken]

    def readable_revisions(self) -> tuple[int, tuple[tuple[str, int], ...]]:
        """`revision()` and each readable layer's revision, (id, revision) in the campaign's order: what a wall's
        poll checks first (`layer_revisions`, one query on PostGIS; a layer added meanwhile asked on its own)."""
        head, heads = self.layer_revisions()
        return head, tuple((x.id, heads[x.id] if x.id in heads else self.layer_revision(x.id))
                           for x in self.readable_layers())

    def layer(self, layer_id: str) -> Layer:
        try:
            return self.campaign.layer(layer_id)
        except KeyError:
            raise NotFound(t("store.no_layer", layer=layer_id, layers=", ".join(x.id for x in self.campaign.layers))) from None

    def adopt_campaign(self, campaign: Campaign) -> list[Layer]:
        """Take `campaign`, whose layers are this one's and new ones (an import made a layer, see
        geo/exchange/new_layer.py): the new layers become readable and writable here. Returns them."""
        known = {x.id for x in self.campaign.layers}
        added = [x for x in campaign.layers if x.id not in known]
        self._add_layers(added)  # before the campaign names them: a layer found is a layer ready
        self.campaign = campaign
        return added

    def _add_layers(self, layers: list[Layer]) -> None:
        """What a backend keeps per layer, for layers added while it is open (nothing by default)."""

    def close(self) -> None:
        """Release connections or handles (nothing for files)."""

    # --- integrity: `flask --app web store check` and `store repair` ------------------
    def layer_remedies(self) -> dict[str, str]:
        """What to do about a withheld layer when it is not `store.layer_remedy` (none by default)."""
        return {}

    def problems(self) -> list[Finding]:
        """What is wrong with the store now, found cheaply: health checks and the banner on every
        screen ask often. `check` is the thorough look."""
        remedies = self.layer_remedies()
        found = [Finding(where=self.layer(lid).file, problem=reason, remedy=remedies.get(lid) or t("store.layer_remedy"),
                         code="broken_layer") for lid, reason in self.layer_errors().items()]
        if self.space_watch is not None:  # before the disk is full: then every write is refused (507)
            found += [Finding(where=str(low.path), problem=low.message(), remedy=t("store.disk_low_remedy"),
                              repairable=False, code="disk_low") for low in self.space_watch.low()]
        return found

    @abstractmethod
    def check(self) -> list[Finding]:
        """Every inconsistency between the layers, the journal and the records (empty when sound).
        Reads only; safe while the server runs."""

    @abstractmethod
    def check_summary(self) -> str:
        """The one line `store check` prints when it found nothing: what it looked at."""

    @abstractmethod
    def repair(self, *, backups: Path | None = None, from_journal: tuple[str, ...] = ()) -> RepairReport:
        """Rebuild what `check` found that can be rebuilt (from the journal's after-images, else a backup
        in `backups` plus the journal; `from_journal`: layers the operator knows were made in Guatu alone),
        moving every damaged file or row aside first, never deleting it."""

    # --- writes ------------------------------------------------------------
    # Every write takes `scope`: where the writer may write (geo/scope.py; None: anywhere, the command line).
    # It is checked inside the transaction against each place as stored and as it would be written, so no
    # write path can slip past it: OutOfScope (403), and nothing of the batch is written.
    def create(self, layer_id: str, feature: dict, *, user: str, repair: bool = False,
               scope: Scope | None = None) -> WriteResult:
        fid = feature.get("id") if isinstance(feature, dict) else None
        if fid is not None and not isinstance(fid, str):  # an id of another type never reaches the store's tables
            raise ValidationError([FieldError("id", t("request.id_not_text"))])
        op = Op("create", layer_id, fid, properties=(feature or {}).get("properties") if isinstance(feature, dict) else None,
                geometry=feature.get("geometry") if isinstance(feature, dict) else None)
        return self.apply([op], user=user, repair=repair, scope=scope)[0]

    def update(self, layer_id: str, fid: str, *, expected_version: int, user: str,
               properties: dict | None = None, geometry: dict | None = None, repair: bool = False,
               photos: list | None = None, case_write: bool = False, scope: Scope | None = None) -> WriteResult:
        """Merge `properties` into the place's, replace its geometry when given; `photos`: the place's new photo
        list (the photo API's, geo/photos); `case_write`: the problems' cases are written too (geo/cases only)."""
        op = Op("update", layer_id, fid, properties, geometry, expected_version, photos, cases=case_write)
        return self.apply([op], user=user, repair=repair, scope=scope)[0]

    def delete(self, layer_id: str, fid: str, *, expected_version: int, user: str,
               scope: Scope | None = None) -> WriteResult:
        return self.apply([Op("delete", layer_id, fid, expected_version=expected_version)], user=user, scope=scope)[0]

    def apply(self, ops: list[Op], *, user: str, repair: bool = False, scope: Scope | None = None) -> list[WriteResult]:
        """Apply a batch all-or-nothing: every op is checked before any is written, its scope first (OutOfScope
        for a place `scope` does not cover before or after the change)."""
        if not ops:
            return []
        user = (user or "").strip() or "anonymous"
        for op in ops:
            self.layer(op.layer)
        self._check_photo_files(ops)
        with self._transaction() as txn:
            now = iso(self.clock())
            seq = txn.last_seq()
            results: list[WriteResult] = []
            errors: list[FieldError] = []
            pending: dict[tuple[str, str], dict | None] = {}
            for op in ops:
                try:
                    result = self._prepare(txn, op, pending, user=user, now=now, repair=repair, scope=scope)
                except ValidationError as exc:
                    errors.extend(exc.errors)
                    continue
                seq += 1
                result.change["seq"] = seq
                pending[(op.layer, result.change["id"])] = result.feature
                results.append(result)
            if errors:
                raise ValidationError(errors)
            txn.commit([r.change for r in results])
        return results

    def _check_photo_files(self, ops: list[Op]) -> None:
        """Every photo a write names must have its file kept already: the photo API (geo/photos) writes the
        files first, so an edit, an import or a hand-made request cannot add an entry pointing at nothing."""
        named: dict[str, tuple[Op, int]] = {}
        for op in ops:
            photos = op.photos
            if isinstance(photos, list):
                for i, entry in enumerate(photos):
                    pid = entry.get("id") if isinstance(entry, dict) else None
                    if isinstance(pid, str) and PHOTO_ID.match(pid):
                        named.setdefault(pid, (op, i))
        if not named:
            return
        missing = self.blobs.missing(named)
        if missing:
            raise ValidationError([FieldError(f"photos[{named[p][1]}].id", t("photo.file_missing", photo=p), named[p][0].id)
                                   for p in sorted(missing)])

    def _prepare(self, txn: Transaction, op: Op, pending: dict, *, user: str, now: str, repair: bool,
                 scope: Scope | None = None) -> WriteResult:
        layer = self.layer(op.layer)
        key = (op.layer, op.id)
        current = pending[key] if key in pending else (txn.current(op.layer, op.id) if op.id else None)
        if current is not None:  # the place as stored must be the writer's, whatever the op makes of it
            check_write(scope, current["properties"], None, current["id"])

        if op.kind == "create":
            if current is not None:
                raise Conflict(t("store.id_exists", id=op.id, layer=layer.title), current=current)
            if op.id and key not in pending and txn.used_before(op.layer, op.id):
                raise Conflict(t("ids.used_before", id=op.id, layer=layer.title))
            fid = op.id or txn.next_id(layer)
            while (op.layer, fid) in pending:
                fid = _bump(fid)
            props = {k: v for k, v in (op.properties or {}).items() if k != "photos"} \
                if isinstance(op.properties, dict) else op.properties
            if op.photos is not None and isinstance(props, dict):
                props["photos"] = op.photos
            if not op.cases and isinstance(props, dict) and "problems" in props:
                props["problems"] = keep_cases(None, props["problems"])
            candidate = {"type": "Feature", "id": fid, "properties": props or {}, "geometry": op.geometry}
            version = 1
        else:
            if current is None:
                raise NotFound(t("store.no_feature", fid=op.id, layer=layer.title))
            self._check_version(op, current)
            version = current["properties"]["version"] + 1
            if op.kind == "delete":
                change = self._change("delete", op.layer, op.id, version, user, now, current, None)
                return WriteResult(None, change)
            props = {k: v for k, v in current["properties"].items() if k not in SYSTEM_PROPERTIES}
            for k, v in (op.properties or {}).items():
                if k != "photos":  # written through `op.photos` only
                    props[k] = v
            if op.photos is not None:
                props["photos"] = op.photos
            if not op.cases and "problems" in props:
                props["problems"] = keep_cases(current["properties"].get("problems"), props["problems"])
            candidate = {
                "type": "Feature", "id": op.id, "properties": props,
                "geometry": op.geometry if op.geometry is not None else current["geometry"],
            }
        if isinstance(candidate["properties"], dict):  # and as written (a malformed one is validation's 422)
            check_write(scope, None, candidate["properties"], candidate["id"])
        moved = current is None or candidate["geometry"] != current["geometry"]
        checked = validate_feature(candidate, layer, self.campaign, repair=repair, check_area=moved)
        feature = checked.feature
        check_write(scope, None, feature["properties"], feature["id"])  # validation may have filled the names in
        feature["properties"].update(version=version, updated_at=now, updated_by=user)
        change = self._change(op.kind, op.layer, feature["id"], version, user, now, current, feature)
        return WriteResult(feature, change, checked.notes)

    @staticmethod
    def _check_version(op: Op, current: dict) -> None:
        have = current["properties"].get("version")
        if op.expected_version is None:
            raise ValidationError([FieldError("version", t("store.version_required"), op.id)])
        if op.expected_version != have:
            props = current["properties"]
            raise Conflict(
                t("store.changed_meanwhile", id=op.id, name=props.get("name"), version=have, user=props.get("updated_by"),
                  at=props.get("updated_at"), yours=op.expected_version),
                current=current,
            )

    @staticmethod
    def _change(op: str, layer: str, fid: str, version: int, user: str, now: str,
                before: dict | None, after: dict | None) -> dict:
        return {
            "seq": 0, "at": now, "user": user, "op": op, "layer": layer, "id": fid,
            "version": version, "before": copy.deepcopy(before), "after": after,
        }


def _bump(fid: str) -> str:
    head, _, num = fid.rpartition("-")
    if num.isdigit():
        return f"{head}-{int(num) + 1:0{len(num)}d}"
    return fid + "-1"


DRAWN_GEOMETRIES = tuple(GEOMETRY_CODES)  # the kinds of geometry a wall draws (geo/wall/codec.py)


class _Bounds:
    """The bounds of the geometries added, their positions folded `BATCH` at a time."""

    BATCH = 65536  # positions

    def __init__(self) -> None:
        self._points: list = []
        self._parts: list[int] = []  # (flatten_geometry's counts: not needed here)
        self._box: tuple[float, float, float, float] | None = None

    def add(self, geometry: dict) -> None:
        flatten_geometry(geometry, self._parts, self._points)
        self._parts.clear()
        if len(self._points) >= self.BATCH:
            self._fold()

    def total(self) -> tuple[float, float, float, float] | None:
        self._fold()
        return self._box

    def _fold(self) -> None:
        points = self._points
        if not points:
            return
        xy = np.array([p[:2] for p in points] if any(len(p) != 2 for p in points) else points, float)
        box = (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max()))
        old = self._box
        self._box = box if old is None else (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]),
                                             max(old[3], box[3]))
        points.clear()
