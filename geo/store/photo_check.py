"""What `store check` says about the photos: every photo a place names is kept, whole, with its variants.

Both backends' `check` add these findings and their summary line counts the
photos. A missing or damaged file (its original no longer hashes to its id)
cannot be rebuilt — `store repair` cannot invent a photo, it says so — and
is restored from a backup. A file no place names now (a photo taken off a
place, kept for its history; or an upload whose change failed) is harmless
and only counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from geo.errors import GuatuError
from geo.messages import compose, t
from geo.photos.blobs import VARIANTS
from geo.store.base import Finding, Store


@dataclass
class PhotoSurvey:
    """The photos the places name, and what is wrong with their files."""

    named: int = 0  # distinct photos named by the places
    kept: int = 0  # distinct photos whose original is kept
    missing: list[tuple[str, str]] = field(default_factory=list)  # (where, photo id): no original
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (where, photo id): does not hash to its id
    incomplete: list[tuple[str, str, str]] = field(default_factory=list)  # (where, photo id, variant) missing

    @property
    def unnamed(self) -> int:
        return max(0, self.kept - (self.named - len(self.missing)))


Places = Iterable[tuple[str, dict]]  # (layer id, feature) of every place to look at


def places_of(store: Store) -> Places:
    """Every place of the store's readable layers (a backend whose reads may write passes its own)."""
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            yield layer.id, feature


def survey(store: Store, places: Places | None = None) -> PhotoSurvey:
    """Read the places' photos and look at each named photo's files once (hashing its original)."""
    out = PhotoSurvey()
    first_place: dict[str, str] = {}
    for layer_id, feature in places_of(store) if places is None else places:
        for entry in (feature.get("properties") or {}).get("photos") or []:
            pid = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(pid, str):
                first_place.setdefault(pid, f"{layer_id}/{feature.get('id')}")
    blobs = store.blobs
    out.named = len(first_place)
    for pid, where in sorted(first_place.items(), key=lambda kv: kv[1]):
        if not blobs.has(pid, "original"):
            out.missing.append((where, pid))
            continue
        if blobs.digest(pid) != pid:
            out.damaged.append((where, pid))
        out.incomplete.extend((where, pid, v) for v in VARIANTS[1:] if not blobs.has(pid, v))
    out.kept = sum(1 for _ in blobs.ids())
    return out


def photo_findings(store: Store, places: Places | None = None) -> list[Finding]:
    """`store check`'s findings about photos (none repairable)."""
    found = survey(store, places)
    remedy = t("photo.check_remedy")
    out = [Finding(where=where, problem=t("photo.check_missing", photo=pid), remedy=remedy, repairable=False,
                   code="photo_missing") for where, pid in found.missing]
    out += [Finding(where=where, problem=t("photo.check_damaged", photo=pid), remedy=remedy, repairable=False,
                    code="photo_damaged") for where, pid in found.damaged]
    out += [Finding(where=where, problem=t("photo.check_variant_missing", photo=pid, variant=variant), remedy=remedy,
                    repairable=False, code="photo_damaged") for where, pid, variant in found.incomplete]
    return out


def photo_summary(store: Store, line: str, places: Places | None = None) -> str:
    """`store check`'s sound line with the photos counted."""
    found = survey(store, places)
    return compose("{line};{photos}", line=line, photos=t("photo.check_sound", count=found.named, loose=found.unnamed))


def unrecovered(store: Store) -> list[str]:
    """What `store repair` says it cannot do about the photos: each missing or damaged one, by name."""
    try:
        findings = photo_findings(store)
    except GuatuError:  # a layer still withheld, the database away: the repair's own report says so
        return []
    return [t("photo.repair_cannot", where=f.where, problem=f.problem) for f in findings]
