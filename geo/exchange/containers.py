"""What GDAL's writers and zip archives get wrong with Chinese and odd text, put right.

- KML: libkml wraps a name or description holding `<` or `&` in a CDATA
  section without splitting a `]]>` inside it, so a place named `a]]>b`
  makes the whole file unreadable (and the rest of the name would be parsed
  as markup). `mask_cdata_end` replaces every `]]>` in the texts handed to
  GDAL with a token that cannot occur in them, and `unmask_cdata_end` puts
  it back into the written file the XML way: `]]]]><![CDATA[>` inside a CDATA
  section, `]]&gt;` elsewhere.
- Zip: `zip_files` writes every entry with the UTF-8 flag (general purpose
  bit 11) and its name in UTF-8, so 7-Zip, WinRAR, macOS and Info-ZIP's
  unzip show Chinese names instead of mojibake.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CDATA_END = "]]>"
UTF8_FLAG = 0x800  # general purpose bit 11: the name and comment are UTF-8
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)


def new_token(texts: Iterable[str]) -> str:
    """A stand-in for `]]>` that none of `texts` contains (private-use characters around a random word)."""
    texts = list(texts)
    while True:
        token = f"\ue000{secrets.token_hex(8)}\ue001"
        if not any(token in text for text in texts):
            return token


def mask_cdata_end(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """The rows with every `]]>` in their texts replaced by a token, and the token (None: nothing to mask)."""
    texts = [v for row in rows for v in row.values() if isinstance(v, str)]
    if not any(CDATA_END in text for text in texts):
        return rows, None
    token = new_token(texts)
    masked = [{k: v.replace(CDATA_END, token) if isinstance(v, str) else v for k, v in row.items()} for row in rows]
    return masked, token


def unmask_cdata_end(xml: bytes, token: str) -> bytes:
    """Put `]]>` back where `mask_cdata_end` took it out, escaped as XML needs it there."""
    mark = token.encode("utf-8")
    inside = _CDATA.sub(lambda m: m.group(0).replace(mark, b"]]]]><![CDATA[>"), xml)
    return inside.replace(mark, b"]]&gt;")


def fix_kml(path: Path, token: str | None) -> None:
    """Rewrite the KML file at `path` with its `]]>` put back (nothing to do without a token)."""
    if token is not None:
        path.write_bytes(unmask_cdata_end(path.read_bytes(), token))


class Utf8Entry(zipfile.ZipInfo):
    """A zip entry whose name is always written as UTF-8 with bit 11 set, in its local header and in the
    central directory. (Python's zipfile sets the bit only for names that are not ASCII, and clears any
    flag set beforehand when it starts writing an entry; both headers take name and flags from here.)"""

    __slots__ = ()

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("utf-8"), self.flag_bits | UTF8_FLAG


def zip_files(entries: Iterable[tuple[str, Path]]) -> bytes:
    """A deflated zip of (name in the archive, file) pairs, every name flagged as UTF-8."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in entries:
            info = Utf8Entry.from_file(path, name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()
