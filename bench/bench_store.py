"""The embedded store at scale, without HTTP: open, edit, another process catching up, journal reads.

    .venv/bin/python -m bench.bench_store [--sizes 10000,100000] [--journal 100000] [--edits 20]

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic),
then, with `--journal N`, a journal of N status changes already applied to
the layer file (a long campaign). Two store objects open the same folder,
as two gunicorn workers do: A writes, B reads. Measured (median of `--edits`
where repeated):

* open: a store object and its first full read of the layer (journal index
  and layer file parse);
* edit: one status update through `Store.update`, and how much of it is
  building the file's bytes, writing them, and fsync;
* create, delete: the same for the other two kinds of write;
* B sees A's edit: B's first read after A wrote (`get`) against the naive
  way (B parses the whole layer file again, measured in the same run), then
  `layer_revision`, `changes_since` and `revision`, and how B got there
  (journal catch-up or whole-file parse);
* journal: indexing the whole journal from scratch, and the cost of
  `revision`, `layer_last_seq`, `summaries_since` and `history` once one
  more change is appended.

With `--open`, only a start on a long campaign (the layer file compacted by
the last close, the journal index persisted), median of `--repeats`: ready to
serve (the journal's last change and one place), the same with the garbage
collector left running during the bulk builds (geo/bulk.py paused as a
no-op), and the naive start measured in the same run (the layer file parsed
whole and every journal line read).

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager, nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

import geo.geojson_io  # noqa: E402
import geo.journal  # noqa: E402
import geo.store.geojson  # noqa: E402
from geo.config import load_campaign  # noqa: E402
from geo.geojson_io import write_collection  # noqa: E402
from geo.journal import Journal  # noqa: E402
from geo.store.geojson import JOURNAL_FILE, GeoJSONStore  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402

LAYER = "courtyards"
STATUSES = ("pending", "in_progress", "rectified", "accepted")


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def write_journal(data: Path, count: int) -> None:
    """`count` status changes of random places, written to the journal and applied to the layer file."""
    path = data / "layers" / f"{LAYER}.geojson"
    doc = orjson.loads(path.read_bytes())
    features = {f["id"]: f for f in doc["features"]}
    ids = list(features)
    with open(data / JOURNAL_FILE, "wb") as fh:
        for seq in range(1, count + 1):
            fid = ids[(seq * 7919) % len(ids)]
            before = features[fid]
            props = dict(before["properties"])
            props.update(status=STATUSES[seq % len(STATUSES)], version=props["version"] + 1,
                         updated_at=f"2026-11-{1 + seq % 28:02d}T08:00:00.000000Z", updated_by="bench")
            after = {**before, "properties": props}
            fh.write(orjson.dumps({"seq": seq, "at": props["updated_at"], "user": "bench", "op": "update",
                                   "layer": LAYER, "id": fid, "version": props["version"],
                                   "before": before, "after": after}) + b"\n")
            features[fid] = after
    write_collection(path, features.values(), name=LAYER, members={"guatu": {"seq": count}})


class Timers:
    """Time spent in the layer file write's parts, by wrapping them where the store calls them."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    @contextmanager
    def installed(self):
        # a write stages the file's next version beside it, appends the journal, then renames it into place
        saved = (geo.store.geojson.collection_bytes, geo.store.geojson.stage_write, geo.store.geojson.install,
                 geo.geojson_io.os.fsync)
        geo.store.geojson.collection_bytes = self._wrap("build", saved[0])
        geo.store.geojson.stage_write = self._wrap("write", saved[1])
        geo.store.geojson.install = self._wrap("write", saved[2])
        geo.geojson_io.os.fsync = self._wrap("fsync", saved[3])
        try:
            yield self
        finally:
            (geo.store.geojson.collection_bytes, geo.store.geojson.stage_write, geo.store.geojson.install,
             geo.geojson_io.os.fsync) = saved

    def _wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + ms(started)
        return timed


def parses(store: GeoJSONStore) -> int | None:
    """Whole-file parses so far, when the store counts them (older versions do not)."""
    return getattr(store._files[LAYER], "parses", None)


def long_campaign(data: Path, size: int, journal: int):
    """A synthetic campaign of `size` places with `journal` earlier status changes; its campaign."""
    write_synthetic(data, size)
    if journal:
        write_journal(data, journal)
    return load_campaign(data)


def run(size: int, journal: int, edits: int, root: Path) -> dict:
    data = root / f"c{size}"
    campaign = long_campaign(data, size, journal)
    os.sync()
    out: dict = {"size": size, "file_mb": (data / "layers" / f"{LAYER}.geojson").stat().st_size / 1e6,
                 "journal_mb": (data / JOURNAL_FILE).stat().st_size / 1e6 if journal else 0.0}

    started = time.perf_counter()
    a = GeoJSONStore(data, campaign)
    out["open_store"] = ms(started)
    started = time.perf_counter()
    features = a.features(LAYER)
    out["open_read"] = ms(started)
    b = GeoJSONStore(data, campaign)
    b.features(LAYER)
    ids = [f["id"] for f in features]
    del features

    edit, see, lrev, since, rev, parts, parsed = [], [], [], [], [], [], []
    timers = Timers()
    for i in range(edits):
        fid = ids[(i * 104729) % len(ids)]
        version = a.get(LAYER, fid)["properties"]["version"]
        seq = b.revision()
        timers.spent.clear()
        with timers.installed():
            started = time.perf_counter()
            a.update(LAYER, fid, expected_version=version, user="bench", properties={"status": STATUSES[i % 4]})
            edit.append(ms(started))
        parts.append(dict(timers.spent))
        before = parses(b) or 0
        started = time.perf_counter()
        got = b.get(LAYER, fid)
        see.append(ms(started))
        parsed.append(None if parses(b) is None else parses(b) - before)
        assert got["properties"]["version"] == version + 1, "B did not see A's edit"
        started = time.perf_counter()
        b.layer_revision(LAYER)
        lrev.append(ms(started))
        started = time.perf_counter()
        assert len(b.changes_since(seq)) == 1
        since.append(ms(started))
        started = time.perf_counter()
        b.revision()
        rev.append(ms(started))
    med = statistics.median
    out.update(edit=med(edit), see=med(see), layer_revision=med(lrev), changes_since=med(since), revision=med(rev))
    for part in ("build", "write", "fsync"):
        out[f"edit_{part}"] = med([p.get(part, 0.0) for p in parts])
    out["b_parses"] = None if None in parsed else sum(parsed)
    layer = b._files[LAYER]  # the naive way for B to see A's edit: read the whole layer file again
    whole = []
    for _ in range(3):
        started = time.perf_counter()
        layer._parse(layer.path.read_bytes(), layer._stat())
        whole.append(ms(started))
    out["see_naive"] = med(whole)
    out["see_ratio"] = out["see_naive"] / out["see"]

    template = a.get(LAYER, ids[0])
    started = time.perf_counter()
    created = a.create(LAYER, {"type": "Feature", "properties": {**template["properties"], "name": "bench 新建"},
                               "geometry": template["geometry"]}, user="bench").feature
    out["create"] = ms(started)
    started = time.perf_counter()
    b.get(LAYER, created["id"])
    out["see_create"] = ms(started)
    started = time.perf_counter()
    a.delete(LAYER, created["id"], expected_version=1, user="bench")
    out["delete"] = ms(started)
    started = time.perf_counter()
    assert created["id"] not in {f["id"] for f in b.features(LAYER)}
    out["see_delete"] = ms(started)

    started = time.perf_counter()
    fresh = Journal(data / JOURNAL_FILE)
    last = fresh.last_seq()
    out["journal_index"] = ms(started)
    a.update(LAYER, ids[1], expected_version=a.get(LAYER, ids[1])["properties"]["version"], user="bench",
             properties={"notes": "once more"})
    for name, call in (("j_revision", fresh.last_seq), ("j_layer_last", lambda: fresh.layer_last_seq(LAYER)),
                       ("j_since", lambda: fresh.summaries_since(last)),
                       ("j_history", lambda: fresh.history(LAYER, ids[1]))):
        started = time.perf_counter()
        call()
        out[name] = ms(started)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ready(data: Path, campaign, **kwargs) -> tuple[GeoJSONStore, float, float]:
    """A store started on `data`: (store, ms until it answers `revision` and one place, ms to then parse all)."""
    started = time.perf_counter()
    store = GeoJSONStore(data, campaign, **kwargs)
    store.revision()
    first = next(iter(store._files[LAYER].load().lines))
    store.get(LAYER, first)
    opened = ms(started)
    started = time.perf_counter()
    store.features(LAYER)
    return store, opened, ms(started)


def edits_of(store: GeoJSONStore, count: int, offset: int) -> list[float]:
    ids = list(store._files[LAYER].load().lines)
    out = []
    for i in range(count):
        fid = ids[((i + offset) * 104729) % len(ids)]
        version = store.get(LAYER, fid)["properties"]["version"]
        started = time.perf_counter()
        store.update(LAYER, fid, expected_version=version, user="bench", properties={"status": STATUSES[i % 4]})
        out.append(ms(started))
    return out


def run_write_path(size: int, journal: int, edits: int, root: Path) -> dict:
    """The write path before and after, in one run on one campaign: the old one (a save rewrites the layer file,
    a start parses the file and every journal line) against the journal-first one (a save appends, a start reads
    the compacted snapshot's ids and the persisted journal index)."""
    data = root / f"w{size}"
    campaign = long_campaign(data, size, journal)
    path = data / "layers" / f"{LAYER}.geojson"
    os.sync()
    out: dict = {"size": size}
    # old: the file as the old code wrote it (no crc), no journal index; every save rewrites the file
    old, out["old_open"], out["old_all"] = ready(data, campaign, compact_changes=1)
    old_edits = edits_of(old, edits, 0)
    out["old_p50"], out["old_p95"] = statistics.median(old_edits), percentile(old_edits, 0.95)
    started = time.perf_counter()
    zlib.crc32(path.read_bytes())
    out["crc_ms"] = ms(started)  # part of each old-path save here (the snapshot's checksum), not of the old code
    old.close()
    # new: the snapshot compacted (crc) and the journal index persisted by the old store's last save
    new, out["new_open"], out["new_all"] = ready(data, campaign)
    new_edits = edits_of(new, max(edits, 200), edits)
    out["new_p50"], out["new_p95"] = statistics.median(new_edits), percentile(new_edits, 0.95)
    started = time.perf_counter()
    new.compact()
    out["compact"] = ms(started)
    out["open_ratio"], out["edit_ratio"] = out["old_open"] / out["new_open"], out["old_p50"] / out["new_p50"]
    return out


@contextmanager
def collector_left_running():
    """The store's bulk builds with the garbage collector running, as before geo/bulk.py paused it."""
    saved = geo.journal.collector_paused, geo.store.geojson.collector_paused
    geo.journal.collector_paused = geo.store.geojson.collector_paused = nullcontext
    try:
        yield
    finally:
        geo.journal.collector_paused, geo.store.geojson.collector_paused = saved


def run_open(size: int, journal: int, repeats: int, root: Path) -> dict:
    """A start on a long campaign, as a restarted worker makes it, against the naive start, in one run."""
    data = root / f"o{size}"
    campaign = long_campaign(data, size, journal)
    store, _, _ = ready(data, campaign)
    edits_of(store, 1, 0)
    store.close()  # compacts the layer file and persists the journal index, as a stopped worker does
    os.sync()
    out: dict = {"size": size, "file_mb": (data / "layers" / f"{LAYER}.geojson").stat().st_size / 1e6,
                 "journal_mb": (data / JOURNAL_FILE).stat().st_size / 1e6 if journal else 0.0}

    def naive() -> None:
        orjson.loads((data / "layers" / f"{LAYER}.geojson").read_bytes())
        with open(data / JOURNAL_FILE, "rb") as fh:
            for line in fh:
                orjson.loads(line)

    def start() -> None:
        ready(data, campaign)[0].close()

    for key, call, wrap in (("open", start, nullcontext), ("open_gc", start, collector_left_running),
                            ("naive", naive, nullcontext)):
        times = []
        for _ in range(repeats):
            gc.collect()
            with wrap():
                started = time.perf_counter()
                call()
                times.append(ms(started))
        out[key] = statistics.median(times)
    out["open_ratio"], out["gc_ratio"] = out["naive"] / out["open"], out["open_gc"] / out["open"]
    return out


OPEN_ROWS = [
    ("file_mb", "layer file (MB)"), ("journal_mb", "journal (MB)"),
    ("naive", "naive: file parsed, every journal line read (ms)"),
    ("open_gc", "start, collector running in bulk builds (ms)"),
    ("open", "start: ready to serve (ms)"),
    ("open_ratio", "start sooner than naive by (×)"), ("gc_ratio", "  sooner than with the collector by (×)"),
]


WRITE_ROWS = [
    ("old_open", "old: start, ready to serve (ms)"), ("old_all", "  then every place parsed (ms)"),
    ("old_p50", "old: edit p50 (ms)"), ("old_p95", "old: edit p95 (ms)"),
    ("crc_ms", "  of which the file's crc32 (ms)"),
    ("new_open", "new: start, ready to serve (ms)"), ("new_all", "  then every place parsed (ms)"),
    ("new_p50", "new: edit p50 (ms)"), ("new_p95", "new: edit p95 (ms)"),
    ("compact", "new: one compaction (ms)"),
    ("open_ratio", "start sooner by (×)"), ("edit_ratio", "edit p50 faster by (×)"),
]


ROWS = [
    ("file_mb", "layer file (MB)"), ("journal_mb", "journal (MB)"),
    ("open_store", "open: store object, layer parsed (ms)"), ("open_read", "open: then features() (ms)"),
    ("edit", "edit: status update (ms)"), ("edit_build", "  building the file's bytes"),
    ("edit_write", "  writing the file (incl. fsync)"), ("edit_fsync", "  fsync: journal, file, folder"),
    ("create", "create (ms)"), ("delete", "delete (ms)"),
    ("see", "B: first read after A's edit (ms)"), ("b_parses", "  B's whole-file parses"),
    ("see_naive", "  naive: B parses the whole file (ms)"), ("see_ratio", "  catch-up faster by (×)"),
    ("layer_revision", "B: layer_revision (ms)"), ("changes_since", "B: changes_since (ms)"),
    ("revision", "B: revision (ms)"), ("see_create", "B: reads A's create (ms)"),
    ("see_delete", "B: reads A's delete, all features (ms)"),
    ("journal_index", "journal: index from scratch (ms)"), ("j_revision", "journal: revision after 1 append (ms)"),
    ("j_layer_last", "journal: layer_last_seq (ms)"), ("j_since", "journal: summaries_since (ms)"),
    ("j_history", "journal: history of one place (ms)"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_store", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--journal", type=int, default=100000, help="journal entries before the run")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="write the campaigns here and keep them")
    parser.add_argument("--write-path", action="store_true",
                        help="only the write path before and after (journal-first saves, compacted snapshots)")
    parser.add_argument("--open", action="store_true", help="only a start on a long campaign, against the naive one")
    parser.add_argument("--repeats", type=int, default=5, help="starts measured with --open (median)")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="guatu-bench-store-"))
    rows = OPEN_ROWS if args.open else WRITE_ROWS if args.write_path else ROWS
    try:
        if args.open:
            results = [run_open(int(s), args.journal, args.repeats, root) for s in args.sizes.split(",")]
        elif args.write_path:
            results = [run_write_path(int(s), args.journal, args.edits, root) for s in args.sizes.split(",")]
        else:
            results = [run(int(s), args.journal, args.edits, root) for s in args.sizes.split(",")]
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'':50}" + "".join(f"{r['size']:>12,}" for r in results))
    for key, label in rows:
        cells = []
        for r in results:
            v = r.get(key)
            cells.append(f"{'—':>12}" if v is None else f"{v:>12.1f}" if isinstance(v, float) else f"{v:>12}")
        print(f"{label:50}" + "".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
