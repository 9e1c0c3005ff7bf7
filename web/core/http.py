"""Request and response helpers: a request's JSON object body (`json_body`), ETag revalidation (304) and
pre-compressed gzip bodies, also built from pieces kept between revisions (`gzip_pieces`, for the wall state),
and any response gzipped on its way out (`gzip_response`, for /ogc)."""

from __future__ import annotations

import gzip
import hashlib
import struct
import tempfile
import zlib
from collections.abc import Iterator, Mapping

from flask import Response, request, url_for
from werkzeug.exceptions import BadRequest

from geo.diskspace import refused_when_full
from geo.errors import BadParameters, FieldError, MalformedRequest, ValidationError
from geo.messages import message_of, t
from geo.parsing import BoolRefused, parse_bool
from web.core.cached import GZIP_FROM, GZIP_LEVEL, Cached
from web.core.context import PageStreams


def static_url(path: str) -> str:
    """The URL of a file under web/static (how pages name their scripts and styles)."""
    return url_for("static", filename=path)


URL_FOR_NAMES = ("endpoint", "values", "_anchor", "_method", "_scheme", "_external")  # url_for's own parameters


def same_query(**changes: object) -> dict:
    """This request's query with `changes` (a page's next or previous page): its values to give `url_for`, less any
    named like url_for's own parameters (`?endpoint=x` made those links a 500)."""
    kept = {k: v for k, v in request.args.items() if k not in URL_FOR_NAMES}
    return {**kept, **changes}


def json_body() -> dict:
    """The request's body as a JSON object, whatever its Content-Type: a body that is not JSON is a 400
    (bad_request), JSON that is not an object a 422, both naming `body`."""
    try:
        body = request.get_json(force=True)
    except BadRequest:
        raise MalformedRequest([FieldError("body", t("request.malformed_json"))]) from None
    if not isinstance(body, dict):
        raise ValidationError([FieldError("body", t("api.json_object"))])
    return body


def yes_no(values: Mapping[str, object], name: str, *, parameter: bool) -> bool:
    """A yes/no value of a query, form or JSON body, read by the one boolean reader (geo/parsing.py): absent,
    empty or false is no. One it refuses is named, never read as no (a typo must not turn an option off): a
    query parameter is a 400 (bad_parameter), a field of a form or body a 422 (invalid), docs/http-errors.md."""
    value = values.get(name)
    if value in (None, "", False):
        return False
    if value is True:
        return True
    try:
        return parse_bool(str(value))
    except BoolRefused as exc:
        refusal = BadParameters if parameter else ValidationError
        raise refusal([FieldError(name, message_of(exc))]) from None


def gzip_response(resp: Response, minimum: int = 1024) -> Response:
    """The response's body gzipped when the client accepts gzip and the body is worth it (a page of places
    is ~1 MB of JSON, a tenth of that gzipped); its ETag is kept: it names the version, whatever the coding."""
    if (resp.direct_passthrough or resp.status_code not in (200, 201) or "Content-Encoding" in resp.headers
            or "gzip" not in request.accept_encodings):
        return resp
    resp.vary.add("Accept-Encoding")
    body = resp.get_data()
    if len(body) < minimum:
        return resp
    resp.set_data(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    return resp


def make_cached(body: bytes) -> Cached:
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Cached(body=body, etag=etag)


def send_cached(item: Cached, mimetype: str = "application/json") -> Response:
    """304 when the client has this version; gzip when it accepts it (web/core/cached.py: a large body is
    compressed fast)."""
    if item.etag in request.if_none_match:
        resp = Response(status=304)
    else:
        resp = Response(mimetype=mimetype)
        if "gzip" in request.accept_encodings and item.size > GZIP_FROM:
            resp.set_data(item.gzip())
            resp.headers["Content-Encoding"] = "gzip"
        else:
            resp.set_data(item.body)
    resp.set_etag(item.etag)
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"  # always revalidate, cheaply
    return resp


STREAM_CHUNK = 1 << 18  # bytes gathered before they are compressed and spooled, or sent
SPOOL_IN_MEMORY = 8 << 20  # a spooled body larger than this goes to a temporary file


def send_spooled(pieces: Iterator[bytes], etag: str, mimetype: str) -> Response:
    """A body too large to hold, read from `pieces` (a database cursor, say) to its end and spooled, gzipped
    when the client takes gzip, to a temporary file beyond `SPOOL_IN_MEMORY`; then sent from there with its
    length. The source is read as fast as it gives and let go (closed) before the first byte is sent, so a
    slow client holds neither a database connection nor a snapshot, and a source that fails halfway is an
    error answer (a 503 for a database gone), not a cut-off body. A full disk is a 507. Weak ETag: the
    bytes are never held to hash them."""
    zipped = "gzip" in request.accept_encodings
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, prefix="guatu-body-")
    try:
        with refused_when_full(spool_dir()):
            z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if zipped else None
            batch: list[bytes] = []
            size = 0
            for piece in pieces:
                batch.append(piece)
                size += len(piece)
                if size >= STREAM_CHUNK:
                    spool.write(z.compress(b"".join(batch)) if z else b"".join(batch))
                    batch, size = [], 0
            spool.write(z.compress(b"".join(batch)) + z.flush() if z else b"".join(batch))
    except BaseException:
        spool.close()
        raise
    finally:
        close = getattr(pieces, "close", None)
        if close:
            close()
    length = spool.tell()
    spool.seek(0)
    resp = Response(iter(lambda: spool.read(STREAM_CHUNK), b""), mimetype=mimetype)
    resp.call_on_close(spool.close)
    resp.headers["Content-Length"] = str(length)
    if zipped:
        resp.headers["Content-Encoding"] = "gzip"
    resp.set_etag(etag, weak=True)
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def spool_dir() -> str:
    """Where spooled bodies go once they outgrow memory (the system's temporary folder)."""
    return tempfile.gettempdir()


def send_page(html: str, *, inline: tuple[str, bytes] | None = None, streams: PageStreams | None = None) -> Response:
    """An HTML page made for this request (never stored: it carries the request's nonce), gzipped when the
    client takes gzip and the page is large. A wall page carries its first data inlined (`inline`: a marker in
    `html` and the data's bytes, put in its place here, never made text): its deflate stream is kept in
    `streams` from the last page, so a page carrying the same data compresses only the page around it (at a
    million places, megabytes compressed for every page otherwise)."""
    if inline is None:
        pieces = [html.encode("utf-8")]
    else:
        marker, data = inline
        head, found, tail = html.partition(marker)
        if not found:
            raise RuntimeError(f"the page has no place for its data ({marker})")
        pieces = [head.encode("utf-8"), data, tail.encode("utf-8")]
    resp = Response(mimetype="text/html")
    if "gzip" in request.accept_encodings and sum(map(len, pieces)) > 1024:
        if inline is None or streams is None:
            body = gzip.compress(b"".join(pieces), compresslevel=GZIP_LEVEL, mtime=0)
        else:
            kept = dict(streams.deflated)  # this page's own copy, published whole when done
            body = gzip_pieces(pieces, kept, primed=False)
            streams.deflated = kept
        resp.headers["Content-Encoding"] = "gzip"
    else:
        body = b"".join(pieces)
    resp.set_data(body)
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-store"
    return resp


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, time 0, unknown system
_LARGE = 512  # pieces at least this long are deflated on their own; the glue between them in runs
_PRIMER = 4096  # a block's deflate stream may refer to this much of the large piece before it


def gzip_pieces(pieces: list[bytes], kept: dict[tuple[bytes, bytes], bytes], *, primed: bool = True) -> bytes:
    """The pieces joined, as one gzip member whose deflate stream is the pieces' own streams one after another:
    each begins afresh (primed with the end of the large piece before it, which a decoder has just written,
    unless not `primed`: that end changes with every body) and is flushed to a byte boundary, so it is the same
    whatever comes after. `kept` holds the streams of the last body and is replaced by this one's: a body that
    shares most pieces with the last is mostly copied."""
    out = [_GZIP_HEADER]
    crc = size = 0
    used: dict[tuple[bytes, bytes], bytes] = {}
    primer = b""
    for run, large in _runs(pieces):
        stream = kept.get((primer, run)) or used.get((primer, run)) or _deflate(run, primer)
        used[(primer, run)] = stream
        out.append(stream)
        crc = zlib.crc32(run, crc)
        size += len(run)
        primer = run[-_PRIMER:] if large and primed else b""
    kept.clear()
    kept.update(used)
    out.append(b"\x03\x00")  # the last block, empty
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def _deflate(run: bytes, primer: bytes) -> bytes:
    """`run`'s own deflate stream, primed with `primer`, flushed to a byte boundary (a piece of `gzip_pieces`)."""
    z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=primer) if primer else \
        zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return z.compress(run) + z.flush(zlib.Z_SYNC_FLUSH)


def prime_page_streams(streams: PageStreams, data: bytes) -> None:
    """Deflate the data a wall page carries (`send_page`'s `inline`) into `streams` before any page asks (a
    worker's warm-up): the first page then compresses only the page around it."""
    streams.deflated = {**streams.deflated, (b"", data): _deflate(data, b"")}


def _runs(pieces: list[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Large pieces on their own, the small ones between them joined: (bytes, large?)."""
    run: list[bytes] = []
    for piece in pieces:
        if len(piece) >= _LARGE:
            if run:
                yield b"".join(run), False
                run = []
            yield piece, True
        else:
            run.append(piece)
    if run:
        yield b"".join(run), False
