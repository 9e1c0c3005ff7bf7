"""The CJK font every print uses, found on the machine and made embeddable.

Debian's `fonts-noto-cjk` (SIL Open Font License 1.1) ships Noto Sans CJK as
OpenType collections (`.ttc`) with CFF (PostScript) outlines. matplotlib
embeds a font in a PDF as "Type 42", i.e. as TrueType, and writes a CFF
font into a TrueType slot (poppler warns "Mismatch between font type and
embedded font file"; strict viewers may refuse it). So for each set of
characters a print needs, `print_font` subsets the collection's Simplified
Chinese face with fontTools, converts the outlines to TrueType quadratics
(cu2qu, within 1 unit of the 1000-unit em) and caches the small result: the
PDF then carries a clean, subset, embedded "CID TrueType" font, and PNGs are
drawn from the very same file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import GuatuError
from geo.geojson_io import atomic_write
from geo.messages import t

FONT_PACKAGE = "fonts-noto-cjk"
FAMILY = "Noto Sans CJK SC"
# Where Debian's package puts the collections, in case fontconfig is not there.
KNOWN_PATHS = {
    "regular": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    "bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
}
SC_FACE = 2  # index of "Noto Sans CJK SC" in the Debian collections (JP, KR, SC, TC, HK, …)
# Always in the subset, so most prints of a campaign share one cached font.
BASE_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "，。、：；！？（）《》“”‘’—…·×÷±°％：—－～　"
    + "0123456789年月日时分秒截至比例尺数据来源图例合计完成街道社区北米千公里总数已未"
)
KEEP_SUBSETS = 64
MAX_ERR = 1.0  # font units: cu2qu's tolerance when turning cubic curves into quadratics


class FontMissing(GuatuError):
    """No CJK font on this machine: Chinese would print as empty boxes."""

    http_status = 500
    code = "font_missing"


@dataclass(frozen=True)
class SourceFont:
    path: str
    index: int


def _fc_match(weight: str) -> SourceFont | None:
    """Ask fontconfig for the Simplified Chinese face of Noto Sans CJK."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{FAMILY}:lang=zh-cn" + (":weight=bold" if weight == "bold" else "")
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, rest = out.partition("\t")
    index, _, family = rest.partition("\t")
    if "CJK" not in family or not path or not Path(path).is_file():
        return None  # fontconfig fell back to some other font: not good enough
    return SourceFont(path, int(index or 0))


@lru_cache(maxsize=4)
def find_cjk_font(weight: str = "regular") -> SourceFont:
    """The Noto Sans CJK SC face to print with (`weight`: regular or bold)."""
    found = _fc_match(weight)
    if found is not None:
        return found
    for path in KNOWN_PATHS[weight]:
        if Path(path).is_file():
            return SourceFont(path, SC_FACE)
    if weight == "bold":
        return find_cjk_font("regular")
    raise FontMissing(t("print.font_missing", family=repr(FAMILY), path=KNOWN_PATHS["regular"][0], package=FONT_PACKAGE))


def cache_dir() -> Path:
    """Where converted subsets are kept: $GUATU_FONT_CACHE, else the user's cache folder."""
    explicit = os.environ.get("GUATU_FONT_CACHE")
    if explicit:
        base = Path(explicit)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "guatu" / "fonts"
    try:
        base.mkdir(parents=True, exist_ok=True)
        probe = base / ".probe"
        probe.touch()
        probe.unlink()
    except OSError:
        base = Path(tempfile.gettempdir()) / f"guatu-fonts-{os.getuid()}"
        base.mkdir(parents=True, exist_ok=True)
    return base


_lock = threading.Lock()


def print_font(text: str, weight: str = "regular") -> Path:
    """A TrueType file with every character of `text` (and BASE_CHARS) for `weight`."""
    source = find_cjk_font(weight)
    chars = "".join(sorted(set(text) | set(BASE_CHARS)))
    stat = os.stat(source.path)
    key = hashlib.blake2b(
        f"{source.path}|{source.index}|{stat.st_size}|{stat.st_mtime_ns}|{chars}|v1".encode(), digest_size=10
    ).hexdigest()
    target = cache_dir() / f"guatu-{weight}-{key}.ttf"
    if target.is_file():
        with contextlib.suppress(OSError):  # only decides which subsets _prune keeps
            os.utime(target)
        return target
    with _lock:
        if not target.is_file():
            data = _subset_truetype(source, chars)
            atomic_write(target, data)  # under _lock: one writer per process; a full disk leaves no part
            _prune(target.parent)
    return target


def _prune(folder: Path, keep: int = KEEP_SUBSETS) -> None:
    """Keep the most recently made subsets only; each is a few hundred kilobytes at most."""
    def last_used(f: Path) -> int:
        try:
            return f.stat().st_mtime_ns
        except FileNotFoundError:  # pruned meanwhile by another server process
            return 0

    subsets = sorted(folder.glob("guatu-*.ttf"), key=last_used, reverse=True)
    for old in subsets[keep:]:
        old.unlink(missing_ok=True)


def _subset_truetype(source: SourceFont, chars: str) -> bytes:
    """Subset the face to `chars` and give it TrueType (glyf) outlines."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source.path, fontNumber=source.index)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["kern", "vert", "vrt2", "palt"]
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font) -> None:
    """Replace CFF outlines by TrueType ones (after fontTools' otf2ttf snippet)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for table in ("VORG",):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
