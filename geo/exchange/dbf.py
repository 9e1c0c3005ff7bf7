"""The DBF of a Shapefile: which encoding its text is in, and repairs of characters cut in half.

A Shapefile's attribute table (.dbf) carries no reliable encoding. Guatu uses
the .cpg's encoding when there is one, else the one the user declared, else
detects it: strict UTF-8, falling back to GB18030 (a superset of GBK and
GB2312, what Chinese GIS software writes). DBF names are limited to 10 bytes
and texts to 254, and some programs (GDAL among them) cut inside a
multi-byte character; `repair_dbf` drops such half characters in the private
copy of an upload so that the rest can be decoded.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from geo.exchange.archive import file_error
from geo.messages import t


def codec_for(name: str) -> str | None:
    """A Python codec for an encoding name from a .cpg or a user (GBK, 936, UTF-8, …); None if unknown."""
    text = name.strip().upper().replace("_", "-")
    if text.startswith("ANSI "):
        text = text[5:]
    if text in ("GBK", "CP936", "936", "GB2312", "EUC-CN", "GB18030", "54936"):
        return "gb18030"  # a superset of GBK and GB2312: reads both the same way
    if text in ("65001", "UTF8"):
        return "utf-8"
    if text.isdigit():
        text = f"CP{text}"
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _dbf_layout(data: bytes | bytearray) -> tuple[int, int, list[tuple[int, bytes, int, int]]]:
    """(header length, record length, fields as (descriptor offset, type, offset in record, size))."""
    header_len = int.from_bytes(data[8:10], "little")
    record_len = int.from_bytes(data[10:12], "little")
    fields, pos, offset = [], 32, 1  # each record starts with a deletion flag
    while pos + 32 <= min(header_len, len(data)) and data[pos] != 0x0D:
        fields.append((pos, bytes(data[pos + 11:pos + 12]), offset, data[pos + 16]))
        offset += data[pos + 16]
        pos += 32
    return header_len, record_len, fields


def _dbf_texts(data: bytes | bytearray):
    """(start, size, is a name) of every field name and text value of a DBF."""
    if len(data) < 32:
        return
    header_len, record_len, fields = _dbf_layout(data)
    for pos, _, _, _ in fields:
        yield pos, 11, True
    for start in range(header_len, len(data) - record_len + 1, max(record_len, 1)):
        for _, ftype, off, size in fields:
            if ftype == b"C":
                yield start + off, size, False


def _dbf_text(raw: bytes, is_name: bool) -> bytes:
    return raw.split(b"\x00")[0] if is_name else raw.rstrip(b" \x00")


def _decodes(data: bytes | bytearray, codec: str) -> bool:
    """The quick case: all names and records decode as a whole (numbers and flags are ASCII)."""
    if len(data) < 32:
        return True
    header_len = int.from_bytes(data[8:10], "little")
    try:
        for pos, _, _, _ in _dbf_layout(data)[2]:
            bytes(data[pos:pos + 11]).split(b"\x00")[0].decode(codec)
        bytes(data[header_len:]).rstrip(b"\x1a").decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _detect_dbf(dbf: Path) -> str:
    """UTF-8 if every name and text value of the DBF decodes strictly as UTF-8, else GB18030."""
    data = dbf.read_bytes()
    if _decodes(data, "utf-8"):
        return "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")
    try:
        for start, size, is_name in _dbf_texts(data):
            decoder().decode(_dbf_text(data[start:start + size], is_name), final=False)  # it may end in a cut character
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def repair_dbf(dbf: Path, codec: str) -> bool:
    """Drop a character cut in half at the end of a name or value (10- and 254-byte limits); True if any was."""
    data = bytearray(dbf.read_bytes())
    if _decodes(data, codec):
        return False
    repaired = False
    for start, size, is_name in _dbf_texts(data):
        text = _dbf_text(bytes(data[start:start + size]), is_name)
        try:
            text.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(text) - 3:
                continue  # not a cut: the wrong encoding, reported when reading
            data[start:start + size] = text[:exc.start].ljust(size, b"\x00" if is_name else b" ")
            repaired = True
    if repaired:
        dbf.write_bytes(bytes(data))
    return repaired


def shapefile_encoding(shp: Path, declared: str | None, shown: str) -> tuple[str, str]:
    cpg = shp.with_suffix(".cpg")
    if cpg.exists():
        text = cpg.read_bytes()[:64].decode("ascii", errors="replace").strip()
        codec = codec_for(text)
        if codec is None:
            raise file_error(t("upload.bad_cpg", file=shown, encoding=repr(text)))
        return codec, ".cpg"
    if declared:
        return declared, "declared"
    return _detect_dbf(shp.with_suffix(".dbf")), "detected"
