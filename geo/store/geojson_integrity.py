"""`store check` and `store repair` for the embedded store: the layer files against the journal.

`check` reads only (no lock, no recovery, no file written), so it is safe
while the server runs. It reports, in the catalogue's words: layer files
that cannot be served (cut short, missing, not JSON…), a file whose places
differ from the journal's last after-image of each (version, a place deleted
in the journal still there), a file behind the journal (an interrupted
write) or ahead of it (the journal lost its tail), damaged or torn journal
lines, and records under `<kind>/` that do not parse.

`repair` holds every process's write lock and rebuilds what can be rebuilt,
moving each damaged file aside first (`<file>.damaged-<UTC stamp>`), never
deleting anything: a journal with damaged lines is rewritten with its
readable changes; a torn tail is kept aside; a withheld layer is rebuilt
from the journal's after-images when the journal holds the layer from its
start (every place's first change is its creation and the damaged file's
first line records the place count the journal's changes make, or the
operator vouches that the layer began empty: `--from-journal LAYER`), else
from the newest backup in `backups` (geo/backup.py) plus the journal's changes after
it, each change checked against its before-image; layers behind the journal
are replayed. What it cannot recover it says.
"""

from __future__ import annotations

import logging
import os
import tarfile
from pathlib import Path

import orjson

from geo.backup import DATA, BackupError, read_manifest
from geo.geojson_io import atomic_write
from geo.messages import t
from geo.store.base import RECORD_KINDS, Finding, RepairReport
from geo.store.geojson import (
    JOURNAL_FILE,
    BrokenAt,
    GeoJSONStore,
    LayerFile,
    LayerState,
    NotLineFormat,
    applied_changes,
    parse_header,
    parse_lines,
    parse_whole,
)

log = logging.getLogger(__name__)


# --- check ------------------------------------------------------------------------------

def check(store: GeoJSONStore) -> list[Finding]:
    """Every inconsistency between the layer files, the journal and the records; reads only."""
    journal = store.journal
    found: list[Finding] = []
    for bad in journal.bad_lines():
        found.append(Finding(where=f"{JOURNAL_FILE}:{bad.number}", code="journal_damaged",
                             problem=t("store.journal_bad_line", file=JOURNAL_FILE, line=bad.number, offset=bad.offset,
                                       detail=bad.detail),
                             remedy=t("store.journal_remedy")))
    missing = store.journal_missing_since()
    if missing:
        found.append(Finding(where=JOURNAL_FILE, code="journal_damaged",
                             problem=t("store.journal_missing", file=JOURNAL_FILE, seq=missing),
                             remedy=t("store.journal_missing_remedy", file=JOURNAL_FILE)))
    tail = journal.torn_tail()
    if tail is not None:
        found.append(Finding(where=JOURNAL_FILE, code="journal_torn",
                             problem=t("store.journal_torn", file=JOURNAL_FILE, offset=tail.offset, size=len(tail.data)),
                             remedy=t("store.journal_torn_remedy")))
    last = journal.last_seq()
    for layer_id, lf in store._files.items():
        state = lf.load()
        if state.error:
            found.append(Finding(where=lf.rel, problem=state.error, remedy=state.remedy or t("store.layer_remedy"),
                                 code="broken_layer"))
            continue
        if not state.ours:
            continue
        found += _layer_against_journal(store, lf, state)
        for _seq, fid, found_version, expected in state.disagrees:  # the file against the journal after its seq
            found.append(Finding(where=lf.rel, code="place_differs", repairable=False, remedy=t("store.layer_remedy"),
                                 problem=t("store.place_differs", file=lf.rel, id=fid, found=found_version,
                                           expected=expected)))
        journal_seq = journal.layer_last_seq(layer_id)
        if journal_seq > state.seq:
            found.append(Finding(where=lf.rel, code="layer_behind",
                                 problem=t("store.layer_behind_journal", file=lf.rel, seq=state.seq, journal_seq=journal_seq),
                                 remedy=t("store.layer_behind_remedy")))
        elif state.seq > last:
            found.append(Finding(where=lf.rel, code="journal_behind", repairable=False,
                                 problem=t("store.layer_seq_ahead", file=lf.rel, seq=state.seq, journal_seq=last),
                                 remedy=t("store.layer_seq_ahead_remedy")))
    for path, detail in _unreadable_records(store.dir):
        found.append(Finding(where=path.relative_to(store.dir).as_posix(), code="record_damaged",
                             problem=t("store.record_unreadable", file=path.relative_to(store.dir).as_posix(), detail=detail),
                             remedy=t("store.record_remedy")))
    return found


def _layer_against_journal(store: GeoJSONStore, lf: LayerFile, state: LayerState) -> list[Finding]:
    """Each place's version in the file against the journal's last change to it up to the file's seq."""
    found = []
    last_changes: dict[str, object] = {}
    for s in store.journal.layer_summaries(lf.layer.id):
        if state.since < s.seq <= state.seq:
            last_changes[s.id] = s
    for fid, s in last_changes.items():
        feature = state.features.get(fid)
        if s.op == "delete" and feature is not None:
            problem = t("store.place_not_deleted", file=lf.rel, id=fid)
        elif s.op != "delete" and feature is None:
            problem = t("store.place_missing", file=lf.rel, id=fid)
        elif feature is not None and feature["properties"].get("version") != s.version:
            problem = t("store.place_differs", file=lf.rel, id=fid, found=feature["properties"].get("version"),
                        expected=s.version)
        else:
            continue
        found.append(Finding(where=lf.rel, problem=problem, remedy=t("store.layer_remedy"), code="place_differs",
                             repairable=False))
    return found


def _unreadable_records(folder: Path) -> list[tuple[Path, str]]:
    out = []
    for kind in RECORD_KINDS:
        for path in sorted((folder / kind).glob("*.json")):
            try:
                value = orjson.loads(path.read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                out.append((path, str(exc)))
                continue
            if not isinstance(value, dict):
                out.append((path, type(value).__name__))
    return out


def summary(store: GeoJSONStore) -> str:
    """The one line `store check` prints when it finds nothing."""
    places = sum(len(lf.load().features) for lf in store._files.values())
    records = sum(len(list((store.dir / kind).glob("*.json"))) for kind in RECORD_KINDS)
    return t("store.check_sound", layers=len(store._files), places=places,
             changes=len(store.journal.summaries_since(0)), records=records)


# --- repair -----------------------------------------------------------------------------

def repair(store: GeoJSONStore, *, backups: Path | None = None, from_journal: tuple[str, ...] = ()) -> RepairReport:
    """Rebuild what `check` finds that can be rebuilt; move every damaged file aside first, delete nothing.
    `from_journal` names layers the operator knows began empty (made only through Guatu): they may be rebuilt
    from the journal alone when nothing else shows the journal holds them whole."""
    report = RepairReport()
    stamp = store.clock().strftime("%Y%m%dT%H%M%SZ")
    with store._locked():
        missing = store.journal_missing_since()
        if missing:  # the operator chose to go on without the lost history: a new, empty journal, said so
            atomic_write(store.journal.path, b"")
            report.unrecovered.append(t("store.repair_journal_new", file=JOURNAL_FILE, seq=missing, next=missing + 1))
        _repair_journal(store, stamp, report)
        aside = store.journal.set_aside_torn_tail()
        if aside is not None:
            report.moved_aside.append(t("store.repair_moved", file=JOURNAL_FILE, aside=aside.name))
        for lf in store._files.values():
            if lf.load().error:
                _rebuild_layer(store, lf, stamp, backups, report, trusted=lf.layer.id in from_journal)
        behind = {lf.rel: len([s for s in store.journal.summaries_since(lf.load().file_seq) if s.layer == lid])
                  for lid, lf in store._files.items() if not lf.load().error and lf.load().ours}
        store._recover()
        store._compact()  # the journal's changes after each file's seq written into it
        for rel, count in behind.items():
            if count:
                report.rebuilt.append(t("store.repair_replayed", count=count, file=rel))
        for path, _ in _unreadable_records(store.dir):
            target = _move_aside(path, stamp)
            rel = path.relative_to(store.dir).as_posix()
            report.moved_aside.append(t("store.repair_moved", file=rel, aside=target.name))
            report.unrecovered.append(t("store.repair_record_aside", file=rel, aside=target.name))
    return report


def _move_aside(path: Path, stamp: str) -> Path:
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, target)
    log.warning("moved %s aside to %s", path.name, target.name)
    return target


def _repair_journal(store: GeoJSONStore, stamp: str, report: RepairReport) -> None:
    """Keep the damaged journal aside whole, and write its readable lines as the journal."""
    journal = store.journal
    bad = journal.bad_lines()
    if not bad:
        return
    from geo.geojson_io import atomic_write

    path = journal.path
    data = path.read_bytes()
    skip = {b.offset for b in bad}
    kept, pos = [], 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        end = len(data) if nl < 0 else nl + 1
        if pos not in skip:
            kept.append(data[pos:end])
        pos = end
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    atomic_write(copy, data)
    atomic_write(path, b"".join(kept))
    journal.refresh()
    report.moved_aside.append(t("store.repair_moved", file=JOURNAL_FILE, aside=copy.name))
    report.rebuilt.append(t("store.repair_journal", file=JOURNAL_FILE, kept=len(journal.summaries_since(0)),
                            dropped=len(bad), aside=copy.name))
    lines = ";".join(t("store.repair_lost_line", line=b.number, seq=b.seq) if b.seq is not None
                     else t("store.repair_lost_line_noseq", line=b.number) for b in bad)  # the lines in the copy
    report.unrecovered.append(t("store.repair_lost_changes", count=len(bad), lines=lines, aside=copy.name))


def _rebuild_layer(store: GeoJSONStore, lf: LayerFile, stamp: str, backups: Path | None,
                   report: RepairReport, *, trusted: bool) -> None:
    rebuilt = _from_journal(store, lf)
    source = None
    if rebuilt is None and backups is not None:
        rebuilt, source = _from_backup(store, lf, backups)
    if rebuilt is None and trusted:
        rebuilt = _from_journal(store, lf, trusted=True)
    if rebuilt is None:
        report.unrecovered.append(t("store.repair_layer_lost", file=lf.rel, layer=lf.layer.id))
        return
    base, (features, lines, nbytes, numbering), seq = rebuilt
    if lf.path.exists():
        target = _move_aside(lf.path, stamp)
        report.moved_aside.append(t("store.repair_moved", file=lf.rel, aside=target.name))
    with lf._lock:
        lf.state = base  # the state the rebuild started from: its header's `since` carries on
    lf.write(features, lines, seq, first=seq, nbytes=nbytes, numbering=numbering)
    if source is None:
        report.rebuilt.append(t("store.repair_from_journal", file=lf.rel, count=len(lines), seq=seq))
    else:
        report.rebuilt.append(t("store.repair_from_backup", file=lf.rel, backup=source, count=len(lines), seq=seq))


def _damaged_header(lf: LayerFile) -> tuple[int | None, int | None]:
    """(seq, count) in the damaged file's first line, if it has one."""
    try:
        with open(lf.path, "rb") as fh:
            seq, count, _ = parse_header(fh.readline(1 << 16))
    except FileNotFoundError:
        return None, None
    return seq, count


def _from_journal(store: GeoJSONStore, lf: LayerFile, *, trusted: bool = False):
    """The layer from the journal's after-images, if the journal holds it from its start: every place's
    first change is its creation, and either the damaged file's first line records the place count the
    journal's changes up to its seq make, or the operator vouches that the layer began empty (`trusted`).
    A layer that began as a file of places (the demo's, at seq 0) is never rebuilt from the journal alone."""
    changes = store.journal.layer_summaries(lf.layer.id)
    firsts: dict[str, str] = {}
    for s in changes:
        firsts.setdefault(s.id, s.op)
    if not changes or any(op != "create" for op in firsts.values()):
        return None
    seq, count = _damaged_header(lf)
    if not trusted:
        upto = [s for s in changes if seq is not None and s.seq <= seq]
        if count is None or not upto or upto[-1].seq != seq:
            return None
        made = applied_changes(LayerState(), store.journal.entries(upto), lf.layer.id_prefix, verify=True)
        if made is None or len(made[1]) != count:
            return None
    base = LayerState()
    applied = applied_changes(base, store.journal.entries(changes), lf.layer.id_prefix, verify=True)
    if applied is None:
        return None
    return base, applied, changes[-1].seq


def _from_backup(store: GeoJSONStore, lf: LayerFile, backups: Path):
    """The layer from the newest backup that holds it readable, plus the journal's changes after it."""
    for archive in sorted(Path(backups).glob("*.tar.gz"), reverse=True):
        try:
            manifest = read_manifest(archive)
        except (BackupError, OSError, tarfile.TarError) as exc:
            log.warning("backup %s skipped: %s", archive.name, exc)
            continue
        layer = (manifest.get("layers") or {}).get(lf.layer.id) or {}
        if layer.get("seq") is None:
            continue
        try:
            with tarfile.open(archive, "r:gz") as tar:
                data = tar.extractfile(f"{DATA}/{lf.rel}").read()
        except (KeyError, AttributeError, OSError, tarfile.TarError) as exc:
            log.warning("backup %s has no readable %s: %s", archive.name, lf.rel, exc)
            continue
        try:
            try:
                base = parse_lines(data, (), lf.rel)
            except NotLineFormat:
                base = parse_whole(data, (), lf.rel)
        except BrokenAt as exc:
            log.warning("backup %s: %s", archive.name, exc)
            continue
        after = [s for s in store.journal.summaries_since(base.seq) if s.layer == lf.layer.id]
        applied = applied_changes(base, store.journal.entries(after), lf.layer.id_prefix, verify=True)
        if applied is None:
            log.warning("backup %s: the journal's changes after seq %d do not follow from it", archive.name, base.seq)
            continue
        return (base, applied, after[-1].seq if after else base.seq), archive.name
    return None, None


def format_finding(finding: Finding) -> str:
    return t("store.check_finding", where=finding.where, problem=finding.problem, remedy=finding.remedy)

