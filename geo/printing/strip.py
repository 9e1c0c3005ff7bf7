"""The photo strip of a printed map (`photos=1`): the newest 整改后 photos of the places on the sheet.

Along the bottom of the sheet (`PageLayout.strip`), under a heading: the
places in the printed extent that have an 整改后 photo, newest photo first,
each as its thumbnail (the `thumb` variant) captioned with the place's name,
as many as fit across the paper.
"""

from __future__ import annotations

from geo.messages import t
from geo.printing.data import Selection
from geo.printing.labels import wrap
from geo.printing.layout import HEADING_PT, PT_TO_MM
from geo.printing.photos import newest_after, picture, sort_key
from geo.printing.sheet import GREY, INK, Sheet
from geo.store.base import Store

THUMB_H = 22.0  # mm on A4, scaled with the paper
THUMB_W = THUMB_H * 4 / 3
GAP = 3.0
CAPTION_PT = 6.5


def strip_photos(store: Store, selection: Selection) -> list[tuple[str, dict]]:
    """(place name, its newest 整改后 photo) for each place of `selection` that has one, newest photo first."""
    if not len(selection) or selection.fid is None:
        return []
    by_layer: dict[str, dict[str, dict]] = {}
    found = []
    for layer, fid, name in zip(selection.layer.tolist(), selection.fid.tolist(), selection.name.tolist(), strict=True):
        features = by_layer.get(layer)
        if features is None:
            features = by_layer[layer] = {f["id"]: f for f in store.features(layer) if f["properties"].get("photos")}
        feature = features.get(fid)
        entry = newest_after(feature) if feature is not None else None
        if entry is not None:
            found.append((name or fid, entry))
    found.sort(key=lambda item: sort_key(item[1]), reverse=True)
    return found


def draw_strip(sheet: Sheet, store: Store, candidates: list[tuple[str, dict]]) -> list[str]:
    """The strip: heading, then thumbnails left to right while they fit; returns the ids of the photos drawn."""
    r, layout, k = sheet.layout.strip, sheet.layout, sheet.layout.k
    if r is None:
        return []
    fig = sheet.page.figure
    box_w, box_h, gap = THUMB_W * k, THUMB_H * k, GAP * k
    fits = max(0, int((r.w + gap) / (box_w + gap)))
    heading_pt = layout.pt(HEADING_PT * 0.85)
    thumb_top = r.top - heading_pt * PT_TO_MM * 1.6
    caption_pt = layout.pt(CAPTION_PT)
    drawn: list[str] = []
    for name, entry in candidates:
        if len(drawn) == fits:
            break
        pic = picture(store, entry, box_w, box_h, variant="thumb")
        if pic is None:
            continue
        x = r.x + len(drawn) * (box_w + gap)
        left = x + (box_w - pic.width_mm) / 2
        ax = fig.add_axes((left / layout.width, (thumb_top - pic.height_mm) / layout.height,
                           pic.width_mm / layout.width, pic.height_mm / layout.height))
        ax.set_axis_off()
        ax.imshow(pic.pixels, interpolation="none" if sheet.options.format == "pdf" else "antialiased", aspect="auto")
        sheet.texts.add(sheet.page, x + box_w / 2, thumb_top - box_h - 1.0 * k, wrap(name, box_w, caption_pt, 1)[0],
                        caption_pt, ha="center", va="top", color=INK)
        drawn.append(entry["id"])
    title = t("print.strip.title", n=len(drawn)) if drawn else t("print.strip.none")
    sheet.texts.add(sheet.page, r.x, r.top, title, heading_pt, bold=bool(drawn), ha="left", va="top",
                    color=INK if drawn else GREY)
    sheet.page.plot([r.x, r.right], [r.top + 1.5 * k] * 2, color=GREY, linewidth=0.4 * k)
    return drawn
