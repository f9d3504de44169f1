"""Detecting a text file's encoding: strict UTF-8 (with or without BOM) first, then GB18030
(a superset of GBK/GB2312, what Chinese Windows Excel writes), then charset-normalizer.

Detection reads the whole file in chunks through incremental *strict* decoders, so a file
that is ASCII for its first megabyte and GBK afterwards is still detected correctly, without
holding the decoded text in memory.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_CHUNK = 1 << 20


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str | None:
    """A Python codec name that decodes ``path`` strictly, or None if none is found."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(
        codecs.BOM_UTF32_LE
    ):
        # Excel's "Unicode text" export: UTF-16 with a BOM (tab-separated).
        return "utf-16" if _decodes(path, "utf-16") else None
    if _decodes(path, "utf-8"):
        return "utf-8-sig"  # strips a BOM when there is one
    if _decodes(path, "gb18030"):
        return "gb18030"
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None or best.encoding is None:
        return None
    return str(best.encoding) if _decodes(path, str(best.encoding)) else None
