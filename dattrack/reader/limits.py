"""What the reader accepts before it parses anything: a size cap, compressed bytes inflated within
the same cap (a gzip bomb stops at the cap, never in memory), archives refused."""

from __future__ import annotations

import zlib

from dattrack.reader.model import UnreadableDocument

MAX_BYTES = 25 * 1024 * 1024   # SEC's largest 10-Ks are ~15 MB; a 50 MB "document" is refused
CHUNK = 1024 * 1024
REFUSED = (
    (b"PK\x03\x04", "a zip archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
)


def unpack(data: bytes) -> bytes:
    """The document's own bytes: gzip inflated (once, up to MAX_BYTES), anything else as given."""
    _check_size(len(data))
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
        if data[:2] == b"\x1f\x8b":
            raise UnreadableDocument("gzip inside gzip: not a document the reader reads")
    for magic, what in REFUSED:
        if data.startswith(magic):
            raise UnreadableDocument(f"{what}, not a document (HTML, text or PDF)")
    return data


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise UnreadableDocument(f"larger than the reader's limit of {MAX_BYTES // (1024 * 1024)} MB "
                                 f"({size / (1024 * 1024):.1f} MB)")


def _gunzip(data: bytes) -> bytes:
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            while True:
                piece = inflater.decompress(rest, CHUNK)
                size += len(piece)
                if size > MAX_BYTES:
                    raise UnreadableDocument(f"gzip data inflating past the reader's limit of "
                                             f"{MAX_BYTES // (1024 * 1024)} MB: refused")
                out.append(piece)
                rest = inflater.unconsumed_tail
                if inflater.eof or not rest:
                    break
            if not inflater.eof:
                raise UnreadableDocument("truncated gzip data: not a document")
            rest = inflater.unused_data  # a further gzip member follows
    except zlib.error as exc:
        raise UnreadableDocument(f"corrupt gzip data ({exc})") from None
    return b"".join(out)
